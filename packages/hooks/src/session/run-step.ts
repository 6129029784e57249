/** The host's step: run under the session's signal, its outcome and outputs recorded. */
import { raceAbort, serializeError } from "@quiesce/core";
import type { LifecycleEmitter } from "../events.js";
import type { Step, StepContext } from "../lifecycle-options.js";
import type { StepRecord } from "../result.js";

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
  try {
    const outputs = await raceAbort(
      Promise.resolve().then(() => step(stepContext)),
      ctx.signal,
    );
    record.status = "succeeded";
    record.outputs = outputs && typeof outputs === "object" ? { ...outputs } : {};
  } catch (err) {
    record.status = ctx.signal.aborted ? "cancelled" : "failed";
    record.error = serializeError(err);
  }
  record.finishedAt = new Date().toISOString();
  events?.emit("step:finished", { operationId: ctx.operationId, step: record });
}
