/** Runs an executor on each target with bounded parallelism, turning every outcome into a complete TargetResult. */
import { ErrorCodes, mapSettledLimit, QuiesceError, redactText, serializeError } from "@quiesce/core";
import { isSerializedError } from "./errors.js";
import type { ExecutionTarget, Executor, ExecutorContext } from "./executor.js";
import type { TargetOutcome, TargetResult } from "./result.js";

// After an abort, how long an executor may take to wind down (and report partial output) before
// the runner stops waiting for it and records the target as possibly still running.
const ABORT_GRACE_MS = 2_000;

/** Runs `executor.run` on every target, at most `ctx.settings.concurrency` at once, preserving order. */
export async function runTargets(
  executor: Executor,
  targets: readonly ExecutionTarget[],
  ctx: ExecutorContext,
  state: { cancelled: () => boolean },
): Promise<TargetResult[]> {
  const settled = await mapSettledLimit(targets, ctx.settings.concurrency, async (target) => {
    const result = await runOne(executor, target, ctx, state);
    ctx.settings.logger.debug("hook action target finished", {
      executor: ctx.executor.type,
      action: ctx.actionKind,
      target: result.name,
      status: result.status,
      exitCode: result.exitCode,
      httpStatus: result.httpStatus,
      durationMs: result.durationMs,
      error: result.error?.message,
    });
    return result;
  });
  // runOne never rejects; the fallback keeps the result total if it ever did.
  return settled.map((s, i) =>
    s.status === "fulfilled"
      ? s.value
      : failedResult(targets[i] as ExecutionTarget, Date.now(), s.reason, state),
  );
}

async function runOne(
  executor: Executor,
  target: ExecutionTarget,
  ctx: ExecutorContext,
  state: { cancelled: () => boolean },
): Promise<TargetResult> {
  const startedAt = Date.now();
  if (ctx.signal.aborted) {
    const r = identity(target, "skipped", startedAt);
    r.error = serializeError(ctx.signal.reason);
    return r;
  }
  try {
    const outcome = await withAbortGrace(executor.run(target, ctx), ctx.signal);
    return fromOutcome(target, outcome, startedAt, state);
  } catch (err) {
    return failedResult(target, startedAt, err, state);
  }
}

function identity(target: ExecutionTarget, status: TargetResult["status"], startedAt: number): TargetResult {
  const finishedAt = Date.now();
  const r: TargetResult = {
    kind: target.kind,
    name: target.name,
    status,
    stdout: "",
    stderr: "",
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date(finishedAt).toISOString(),
    durationMs: finishedAt - startedAt,
  };
  if (target.namespace !== undefined) r.namespace = target.namespace;
  if (target.container !== undefined) r.container = target.container;
  return r;
}

function fromOutcome(
  target: ExecutionTarget,
  outcome: TargetOutcome,
  startedAt: number,
  state: { cancelled: () => boolean },
): TargetResult {
  const status = outcome.status === "failed" && state.cancelled() ? "cancelled" : outcome.status;
  const r = identity(target, status, startedAt);
  if (outcome.name !== undefined) r.name = outcome.name;
  if (outcome.container !== undefined) r.container = outcome.container;
  if (outcome.exitCode !== undefined) r.exitCode = outcome.exitCode;
  // A truncated output may open with the end of a secret whose beginning was dropped.
  const edges = { cutAtStart: outcome.outputTruncated === true };
  r.stdout = redactText(outcome.stdout ?? "", [], edges);
  r.stderr = redactText(outcome.stderr ?? "", [], edges);
  if (outcome.outputTruncated) r.outputTruncated = true;
  if (outcome.httpStatus !== undefined) r.httpStatus = outcome.httpStatus;
  if (outcome.responseBody !== undefined) r.responseBody = redactText(outcome.responseBody);
  if (outcome.error !== undefined)
    r.error = isSerializedError(outcome.error) ? outcome.error : serializeError(outcome.error);
  if (outcome.possiblyStillRunning) r.possiblyStillRunning = true;
  return r;
}

function failedResult(
  target: ExecutionTarget,
  startedAt: number,
  err: unknown,
  state: { cancelled: () => boolean },
): TargetResult {
  const r = identity(target, state.cancelled() ? "cancelled" : "failed", startedAt);
  r.error = serializeError(err);
  if (isPossiblyRunning(err)) r.possiblyStillRunning = true;
  const partial = (err as { partial?: { stdout?: unknown; stderr?: unknown } } | null)?.partial;
  if (typeof partial?.stdout === "string") r.stdout = redactText(partial.stdout);
  if (typeof partial?.stderr === "string") r.stderr = redactText(partial.stderr);
  return r;
}

function isPossiblyRunning(err: unknown): boolean {
  return (
    typeof err === "object" &&
    err !== null &&
    (err as { possiblyStillRunning?: unknown }).possiblyStillRunning === true
  );
}

/** The runner gave up waiting for an executor that ignored its signal: whatever it started may still run. */
class AbandonedError extends QuiesceError {
  override name = "AbandonedError";
  readonly possiblyStillRunning = true as const;
  constructor(reason: unknown) {
    super(
      QuiesceError.is(reason) ? reason.code : ErrorCodes.ABORTED,
      `the executor did not stop within ${ABORT_GRACE_MS} ms of the abort; its work may still be running`,
      { cause: reason, details: { possiblyStillRunning: true } },
    );
  }
}

/** Awaits `work`, but no longer than {@link ABORT_GRACE_MS} after `signal` aborts. */
function withAbortGrace<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      timer = setTimeout(() => {
        work.catch(() => {});
        const reason: unknown = signal.reason;
        reject(new AbandonedError(reason));
      }, ABORT_GRACE_MS);
      timer.unref?.();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => {
        if (timer) clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        if (timer) clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
