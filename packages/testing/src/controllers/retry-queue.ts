/**
 * A work queue for controllers whose reconcile may be asynchronous and may fail: client-go's
 * rate-limited workqueue in small. Requests for one key coalesce; a key is never reconciled twice
 * at once (a request arriving meanwhile runs it again afterwards); a failed or unfinished key is
 * retried after a per-key exponential back-off that resets once it succeeds.
 */
import type { Logger } from "@quiesce/core";

/** What a reconcile tells the queue: "done" (forget the key), or "requeue" (try again after back-off). */
export type ReconcileResult = "done" | "requeue";

/** Back-off of a {@link RetryQueue}: the first retry after `baseMs`, doubling up to `maxMs`. */
export interface RetryBackoff {
  baseMs: number;
  maxMs: number;
}

export interface RetryQueue {
  enqueue(key: string): void;
  /** Drops pending work and retries; resolves once reconciles in flight have ended. */
  stop(): Promise<void>;
}

/** Creates a queue that reconciles keys on a later tick; a thrown error is logged and retried. */
export function createRetryQueue(
  name: string,
  reconcile: (key: string) => ReconcileResult | Promise<ReconcileResult>,
  backoff: RetryBackoff,
  logger: Logger,
): RetryQueue {
  const pending = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const failures = new Map<string, number>();
  const timers = new Map<string, NodeJS.Timeout>();
  let scheduled = false;
  let stopped = false;

  const retryLater = (key: string) => {
    const n = failures.get(key) ?? 0;
    failures.set(key, n + 1);
    const delay = Math.min(backoff.maxMs, backoff.baseMs * 2 ** n);
    clearTimeout(timers.get(key));
    const timer = setTimeout(() => {
      timers.delete(key);
      enqueue(key);
    }, delay);
    timers.set(key, timer);
  };

  const run = (key: string) => {
    // Started on a microtask, so that it is registered as running before any of it executes.
    const done = Promise.resolve().then(async () => {
      let outcome: ReconcileResult;
      try {
        outcome = await reconcile(key);
      } catch (err) {
        logger.debug(`local cluster: ${name} controller will retry ${key}`, { error: String(err) });
        outcome = "requeue";
      }
      running.delete(key);
      if (stopped) return;
      if (outcome === "requeue") retryLater(key);
      else failures.delete(key);
      if (pending.has(key)) schedule();
    });
    running.set(key, done);
  };

  const drain = () => {
    scheduled = false;
    for (const key of [...pending]) {
      if (stopped) return;
      if (running.has(key)) continue; // runs again once the current reconcile ends
      pending.delete(key);
      run(key);
    }
  };

  const schedule = () => {
    if (scheduled || stopped) return;
    scheduled = true;
    setImmediate(drain);
  };

  const enqueue = (key: string) => {
    if (stopped) return;
    pending.add(key);
    schedule();
  };

  return {
    enqueue,
    async stop() {
      stopped = true;
      pending.clear();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.all(running.values());
    },
  };
}
