/** The outcome of a session: resolution, then cancellation, then the first failure along the lifecycle. */
import { type SerializedError, serializeError } from "@quiesce/core";
import { type HookPolicy, RANK, type RankedDecision } from "../policies/policy.js";
import type { DecidedBy, HookRecord, SessionResult, StepRecord } from "../result.js";

/** The decision: outcome, the rule, and the error behind it. */
export interface OutcomeDecision {
  outcome: SessionResult["outcome"];
  decidedBy: DecidedBy;
  error: SerializedError | undefined;
}

const counting = (r: HookRecord) => r.status === "failed" && r.continueOnError !== true;

/**
 * Decides in this order: a hook that could not be resolved; cancellation (anything cancelled or
 * skipped because of it, or a cleanup hook another host took over); then the earliest failure in
 * lifecycle order among those the policies report and the step's (pre hooks, preHook, step,
 * onSuccess, post hooks, onFailure, then the failures that only make a session partially failed);
 * else all succeeded.
 */
export function decide(
  hooks: readonly HookRecord[],
  step: StepRecord,
  resolutionFailed: boolean,
  signal: AbortSignal,
  policies: readonly HookPolicy[],
): OutcomeDecision {
  if (resolutionFailed) {
    return { outcome: "failed", decidedBy: "hook-resolution-failed", error: hooks.find(counting)?.error };
  }
  // A cleanup hook another host took over: this session lost its Lease, whatever else it did —
  // never reported as a success, though the hooks it still ran may all have succeeded.
  const takenOver = hooks.find((h) => h.skippedBecause === "taken-over");
  const cancelledHook = hooks.find((h) => h.status === "cancelled" || h.skippedBecause === "cancelled");
  if (step.status === "cancelled" || step.skippedBecause === "cancelled" || cancelledHook || takenOver) {
    const error =
      (step.status === "cancelled" ? step.error : undefined) ??
      takenOver?.error ??
      cancelledHook?.error ??
      (signal.aborted ? serializeError(signal.reason) : undefined);
    return { outcome: "cancelled", decidedBy: "cancelled", error };
  }
  const candidates: RankedDecision[] = policies.flatMap((p) => p.failures(hooks, step));
  if (step.status === "failed") {
    candidates.push({
      rank: RANK.step,
      order: 0,
      outcome: "failed",
      decidedBy: "step-failed",
      error: step.error,
    });
  }
  const first = candidates.sort((a, b) => a.rank - b.rank || a.order - b.order)[0];
  if (first) return { outcome: first.outcome, decidedBy: first.decidedBy, error: first.error };
  return { outcome: "succeeded", decidedBy: "all-succeeded", error: undefined };
}
