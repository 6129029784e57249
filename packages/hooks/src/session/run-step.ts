/** The host's step: run under the session's signal, its outcome and outputs recorded. */
import { raceAbort, serializeError, settleWithin } from "@quiesce/core";
import type { LifecycleEmitter } from "../events.js";
import type { Step, StepContext } from "../lifecycle-options.js";
import type { StepRecord } from "../result.js";

/** How long a cancelled step may take to wind down before the session moves on to its cleanup. */
export const STEP_SETTLE_AFTER_ABORT_MS = 10_000;

/** Runs `step` with `ctx` and fills `record`; never throws. */
export async function runStep(
  step: Step,
  record: StepRecord,
  ctx: StepContext & { events: LifecycleEmitter | undefined },
): Promise<void> {
  const { events, ...stepContext } = ctx;
  record.startedAt = new Date().toISOString();
  delete record.skippedBecause;
  events?.emit("step:started", { operationId: ctx.operationId, startedAt: record.startedAt });
  const running = Promise.resolve().then(() => step(stepContext));
  try {
    const outputs = await raceAbort(running, ctx.signal);
    record.status = "succeeded";
    record.outputs = outputs && typeof outputs === "object" ? { ...outputs } : {};
  } catch (err) {
    record.status = ctx.signal.aborted ? "cancelled" : "failed";
    record.error = serializeError(err);
    // Cancelled: the cleanup hooks that follow (a thaw) must not run while the step still works on
    // the frozen application, so the step gets a bounded time to wind down first.
    if (ctx.signal.aborted) await settleWithin(running, STEP_SETTLE_AFTER_ABORT_MS);
  }
  record.finishedAt = new Date().toISOString();
  events?.emit("step:finished", { operationId: ctx.operationId, step: record });
}
