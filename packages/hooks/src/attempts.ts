/** Runs one prepared hook: attempts bounded by the per-attempt timeout, retries with backoff, a full record. */
import {
  type BackoffOptions,
  backoffDelay,
  createDeadline,
  ErrorCodes,
  QuiesceError,
  raceAbort,
  redactTail,
  serializeError,
  settleWithin,
  sleep,
} from "@quiesce/core";
import type { HookEventInfo, LifecycleEmitter } from "./events.js";
import type { HookRunContext, HookRunOutput, PreparedHook } from "./hook-spec.js";
import type { AttemptRecord, HookRecord, TargetRecord } from "./result.js";

/** Settings of `runAttempts`. */
export interface AttemptSettings {
  operationId: string;
  backoff: BackoffOptions;
  /** Bytes of stdout/stderr kept per target in records (the tail). */
  outputTailBytes: number;
  events: LifecycleEmitter | undefined;
  /** How long a stopped attempt may take to report its partial result. */
  settleGraceMs: number;
  random?: () => number;
}

/** A fresh record for a hook that has not run. */
export function newHookRecord(hook: PreparedHook): HookRecord {
  const record: HookRecord = {
    name: hook.name,
    kind: hook.kind,
    phase: hook.phase,
    namespace: hook.namespace,
    status: "skipped",
    attempts: [],
    targets: [],
    outputs: {},
    artifacts: {},
  };
  if (hook.executionPolicy !== undefined) record.executionPolicy = hook.executionPolicy;
  if (hook.continueOnError) record.continueOnError = true;
  return record;
}

export function eventInfo(record: HookRecord, operationId: string): HookEventInfo {
  return {
    operationId,
    name: record.name,
    kind: record.kind,
    phase: record.phase,
    namespace: record.namespace,
  };
}

// Redacted before it is cut, so a secret straddling the cut is scrubbed whole.
function tail(text: string | undefined, limit: number): string | undefined {
  return text === undefined ? undefined : redactTail(text, limit);
}

function cleanTargets(targets: readonly TargetRecord[] | undefined, limit: number): TargetRecord[] {
  return (targets ?? []).map((t) => {
    const out: TargetRecord = { ...t };
    if (t.stdout !== undefined) out.stdout = tail(t.stdout, limit) as string;
    if (t.stderr !== undefined) out.stderr = tail(t.stderr, limit) as string;
    return out;
  });
}

/**
 * Runs `hook` with `1 + maxRetry` attempts at most, each under its own deadline, and fills
 * `record`. `signal` is the session's (or, for cleanup hooks, a detached one): when it aborts,
 * the running attempt is cancelled and no retry follows.
 */
export async function runAttempts(
  hook: PreparedHook,
  record: HookRecord,
  base: Omit<HookRunContext, "signal" | "attempt">,
  signal: AbortSignal,
  settings: AttemptSettings,
): Promise<HookRecord> {
  const info = eventInfo(record, settings.operationId);
  const maxAttempts = 1 + Math.max(0, hook.maxRetry);
  record.startedAt = new Date().toISOString();
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    settings.events?.emit("hook:started", { ...info, attempt });
    const started = Date.now();
    const deadline = createDeadline(
      { signal, timeoutMs: hook.timeoutMs },
      `hook "${hook.name}" attempt ${attempt}`,
    );
    let output: HookRunOutput | undefined;
    let error: unknown;
    let failed = false;
    try {
      const running = Promise.resolve().then(() => hook.run({ ...base, signal: deadline.signal, attempt }));
      try {
        output = (await raceAbort(running, deadline.signal)) ?? undefined;
      } catch (err) {
        // Stopped by the deadline or the session: give the hook a moment to report what its
        // targets did (exit codes, output tails, "possibly still running") before moving on.
        output = deadline.signal.aborted
          ? ((await settleWithin(running, hook.settleGraceMs ?? settings.settleGraceMs)) ?? undefined)
          : undefined;
        throw err;
      }
      if (output?.status === "failed") {
        failed = true;
        error = output.error ?? new QuiesceError(ErrorCodes.HOOK_FAILED, `hook "${hook.name}" failed`);
      }
    } catch (err) {
      failed = true;
      error = err;
    } finally {
      deadline.dispose();
    }
    // A scope that ran out of time (the cleanup budget after a cancellation) is a timeout, not a cancellation.
    const scopeTimedOut = signal.aborted && QuiesceError.is(signal.reason, ErrorCodes.TIMEOUT);
    const cancelled = failed && signal.aborted && !deadline.timedOut && !scopeTimedOut;
    const finished = Date.now();
    const targets = cleanTargets(output?.targets, settings.outputTailBytes);
    const rec: AttemptRecord = {
      attempt,
      startedAt: new Date(started).toISOString(),
      finishedAt: new Date(finished).toISOString(),
      durationMs: finished - started,
      status: cancelled ? "cancelled" : failed ? "failed" : "succeeded",
      targets,
    };
    const focus = targets.find((t) => t.status !== "succeeded") ?? targets[0];
    if (focus?.exitCode !== undefined) rec.exitCode = focus.exitCode;
    if (focus?.stdout !== undefined) rec.stdout = focus.stdout;
    if (focus?.stderr !== undefined) rec.stderr = focus.stderr;
    if (focus?.httpStatus !== undefined) rec.httpStatus = focus.httpStatus;
    // The hook's own time limit may fire a moment before the attempt's (both are `timeout`): a
    // failure with a timeout error is a timed-out attempt whichever timer won.
    if (failed && (deadline.timedOut || scopeTimedOut || QuiesceError.is(error, ErrorCodes.TIMEOUT)))
      rec.timedOut = true;
    if (failed) rec.error = serializeError(error);
    if (output?.warnings && output.warnings.length > 0) {
      rec.warnings = [...output.warnings];
      record.warnings = [...(record.warnings ?? []), ...output.warnings];
    }
    record.attempts.push(rec);
    record.targets = targets;
    if (!failed) {
      record.status = "succeeded";
      record.outputs = output?.outputs ?? {};
      record.artifacts = output?.artifacts ?? {};
      break;
    }
    record.error = rec.error as NonNullable<AttemptRecord["error"]>;
    if (cancelled) {
      record.status = "cancelled";
      break;
    }
    record.status = "failed";
    settings.events?.emit("hook:attempt-failed", { ...info, attempt: rec });
    if (attempt >= maxAttempts || signal.aborted || output?.noRetry === true) break;
    const delayMs = backoffDelay(attempt, settings.backoff, settings.random);
    settings.events?.emit("hook:retrying", { ...info, nextAttempt: attempt + 1, delayMs });
    try {
      await sleep(delayMs, { signal });
    } catch (reason) {
      record.status = "cancelled";
      record.error = serializeError(reason);
      break;
    }
  }
  if (record.status === "succeeded") delete record.error;
  record.finishedAt = new Date().toISOString();
  const event =
    record.status === "succeeded"
      ? "hook:succeeded"
      : record.status === "cancelled"
        ? "hook:cancelled"
        : "hook:failed";
  settings.events?.emit(event, { ...info, hook: record });
  return record;
}
