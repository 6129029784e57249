/**
 * Kasten K10's execution-hook rules: `preHook` before the step (a failure skips it); then
 * `onSuccess` after a successful step, or `onFailure` after a failure (of a preHook or the step)
 * once the host has no retry left (`finalAttempt`) — one or the other, never both: an onSuccess
 * that fails does not bring on onFailure. onFailure is never retried. Succeeded K10 hooks are journalled, so a retry
 * of the operation does not run them again; preHook output artifacts flow to the step and to
 * onSuccess/onFailure.
 */
import type { HookRecord } from "../result.js";
import {
  firstFailure,
  type HookPolicy,
  RANK,
  type RankedDecision,
  runGate,
  succeeded,
  tolerated,
} from "./policy.js";

/** K10 `preHook` / `onSuccess` / `onFailure` hooks. */
export const k10Policy: HookPolicy = {
  name: "k10",

  async before(unit, session) {
    await runGate(unit, unit.slots.preHook, session, (slot) =>
      Object.assign(unit.artifacts, slot.record.artifacts),
    );
  },

  async after(unit, session) {
    const stepOk = session.step.status === "succeeded";
    for (const slot of unit.slots.onSuccess) {
      if (!stepOk) {
        const reason = session.signal.aborted
          ? "cancelled"
          : session.stepBlocked !== undefined
            ? "pre-hook-failed"
            : "step-failed";
        session.skip(slot, reason);
      } else if (session.signal.aborted) session.skip(slot, "cancelled");
      else {
        await session.runSlot(unit, slot, session.signal);
        if (!succeeded(slot) && !tolerated(slot)) {
          unit.onSuccessFailed = true;
          unit.firstError ??= slot.record.error?.message;
        }
      }
    }
    const status = session.statusOf(unit);
    for (const slot of unit.slots.onFailure) {
      // Only one of onSuccess and onFailure runs: after a successful step it was onSuccess.
      if (stepOk) session.skip(slot, "step-succeeded");
      else if (!session.finalAttempt) session.skip(slot, "retries-remaining");
      else await session.runSlot(unit, slot, session.cleanupSignal, { status });
    }
  },

  failures(records: readonly HookRecord[]): RankedDecision[] {
    return [
      ...firstFailure(records, ["preHook"], RANK.preHook, "pre-hook-failed"),
      ...firstFailure(records, ["onSuccess"], RANK.onSuccess, "on-success-failed"),
      ...firstFailure(records, ["onFailure"], RANK.onFailure, "on-failure-failed"),
    ];
  },
};
