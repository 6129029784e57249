/** AbortSignal helpers: every wait in quiesce is cancellable and bounded. */

import { formatDuration } from "./duration.js";
import { ErrorCodes, QuiesceError } from "./errors.js";

/** Options every public async function of quiesce accepts. */
export interface OperationOptions {
  /** Aborts the operation; the returned promise rejects with `signal.reason`. */
  signal?: AbortSignal | undefined;
  /** Time limit in milliseconds; the package documents its default. */
  timeoutMs?: number | undefined;
}

/** Throws `signal.reason` when the signal is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}

/** A TIMEOUT QuiesceError for `what` after `timeoutMs`. */
export function timeoutError(
  what: string,
  timeoutMs: number,
  details: Record<string, unknown> = {},
): QuiesceError {
  return new QuiesceError(ErrorCodes.TIMEOUT, `${what} timed out after ${formatDuration(timeoutMs)}`, {
    details: { timeoutMs, ...details },
  });
}

/** A bounded scope: a signal that aborts when the parent aborts or the time limit passes. */
export interface Deadline {
  /** Aborts on parent abort (with the parent's reason) or on timeout (with a TIMEOUT error). */
  readonly signal: AbortSignal;
  /** True when the deadline (not the parent) fired. */
  readonly timedOut: boolean;
  /** Releases the timer and the parent listener; call it when the work is done. */
  dispose(): void;
}

/**
 * Creates a {@link Deadline}: a child signal bounded by `timeoutMs` (no limit when undefined or
 * not finite). The timeout reason is a `QUIESCE_TIMEOUT` error naming `what`.
 *
 * @example
 * ```ts
 * const deadline = createDeadline({ signal, timeoutMs: 30_000 }, "exec freeze");
 * try { await work(deadline.signal); } finally { deadline.dispose(); }
 * ```
 */
export function createDeadline(options: OperationOptions, what: string): Deadline {
  const controller = new AbortController();
  const parent = options.signal;
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener("abort", onAbort, { once: true });
  const ms = options.timeoutMs;
  if (ms !== undefined && Number.isFinite(ms) && !controller.signal.aborted) {
    timer = setTimeout(
      () => {
        timedOut = true;
        controller.abort(timeoutError(what, ms));
      },
      Math.max(0, ms),
    );
    timer.unref?.();
  }
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    dispose() {
      if (timer) clearTimeout(timer);
      parent?.removeEventListener("abort", onAbort);
    },
  };
}

/** A signal that follows others until released (see {@link linkSignals}). */
export interface LinkedSignal {
  /** Aborts with the reason of the first of the linked signals to abort. */
  readonly signal: AbortSignal;
  /** Stops following the linked signals (removes the listeners); call it when the work is done. */
  dispose(): void;
}

/**
 * A signal that aborts when any of `signals` does, with its reason — what `AbortSignal.any` does,
 * for work that ends at a known point: the listeners are removed by `dispose()` instead of being
 * tracked through weak references, which makes `AbortSignal.any` cost about ten times as much (a
 * few microseconds, paid by every exec of a fan-out over thousands of pods).
 *
 * @example
 * ```ts
 * const linked = linkSignals([deadline.signal, podTroubles.signal]);
 * try { await run(linked.signal); } finally { linked.dispose(); }
 * ```
 */
export function linkSignals(signals: readonly (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  const links: [AbortSignal, () => void][] = [];
  const dispose = () => {
    for (const [signal, onAbort] of links) signal.removeEventListener("abort", onAbort);
    links.length = 0;
  };
  for (const signal of signals) {
    if (!signal) continue;
    if (signal.aborted) {
      dispose();
      controller.abort(signal.reason);
      break;
    }
    const onAbort = () => {
      dispose();
      controller.abort(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    links.push([signal, onAbort]);
  }
  return { signal: controller.signal, dispose };
}

/** A cleanup scope: work the caller's abort must not cut short, bounded once the caller aborts. */
export interface CleanupScope {
  /**
   * Never aborts because the parent did; aborts with a `QUIESCE_TIMEOUT` error (its details carry
   * `cleanupTimeout: true`) when the budget that starts at the parent's abort runs out.
   */
  readonly signal: AbortSignal;
  /** True once the parent has aborted (the budget is running or spent). */
  readonly parentAborted: boolean;
  /** True when the budget ran out. */
  readonly timedOut: boolean;
  /** Releases the timer and the parent listener. */
  dispose(): void;
}

/**
 * Creates a {@link CleanupScope} for work that must finish even when the caller cancels (a thaw,
 * a deferPhase, a post hook). The caller's abort is checked for as long as the scope lives, not
 * once before the work starts: an abort that arrives while the cleanup runs starts the budget
 * clock (`timeoutMs` after the abort) instead of killing the cleanup.
 *
 * @example
 * ```ts
 * const scope = createCleanupScope({ signal, timeoutMs: 120_000 }, "deferPhase unfreeze");
 * try { await thaw(scope.signal); } finally { scope.dispose(); }
 * ```
 */
export function createCleanupScope(options: OperationOptions, what: string): CleanupScope {
  const controller = new AbortController();
  const parent = options.signal;
  const ms = options.timeoutMs;
  let parentAborted = false;
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const startClock = () => {
    parentAborted = true;
    if (ms === undefined || !Number.isFinite(ms) || timer !== undefined) return;
    timer = setTimeout(
      () => {
        timedOut = true;
        controller.abort(timeoutError(`${what} after cancellation`, ms, { cleanupTimeout: true }));
      },
      Math.max(0, ms),
    );
    timer.unref?.();
  };
  if (parent?.aborted) startClock();
  else parent?.addEventListener("abort", startClock, { once: true });
  return {
    signal: controller.signal,
    get parentAborted() {
      return parentAborted;
    },
    get timedOut() {
      return timedOut;
    },
    dispose() {
      if (timer) clearTimeout(timer);
      parent?.removeEventListener("abort", startClock);
    },
  };
}

/** Runs `fn` under a {@link Deadline}, disposing it afterwards. */
export async function withDeadline<T>(
  options: OperationOptions,
  what: string,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = createDeadline(options, what);
  try {
    return await raceAbort(fn(deadline.signal), deadline.signal);
  } finally {
    deadline.dispose();
  }
}

/** Rejects with `signal.reason` as soon as the signal aborts, whatever `promise` does. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** Resolves after `ms`, or rejects with `signal.reason` when aborted first. */
export function sleep(ms: number, options: { signal?: AbortSignal | undefined } = {}): Promise<void> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Waits for aborted work to wind down, at most `ms`: resolves with its value when it fulfils in
 * time, with `undefined` when it rejects or takes longer. Never rejects.
 *
 * @example
 * ```ts
 * // the step was cancelled: let it stop its child process before the cleanup runs
 * await settleWithin(running, 10_000);
 * ```
 */
export async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref?.();
  });
  try {
    return await Promise.race([promise.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** An ABORTED QuiesceError, the default reason quiesce uses when it cancels work itself. */
export function abortedError(what: string): QuiesceError {
  return new QuiesceError(ErrorCodes.ABORTED, `${what} was aborted`);
}
