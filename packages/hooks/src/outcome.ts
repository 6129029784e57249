/** Which rule decides a session's outcome, from its hook records and step. */
import { type SerializedError, serializeError } from "@quiesce/core";
import type { DecidedBy, HookRecord, SessionResult, StepRecord } from "./result.js";

/** The decision: outcome, the rule, and the error behind it. */
export interface OutcomeDecision {
  outcome: SessionResult["outcome"];
  decidedBy: DecidedBy;
  error: SerializedError | undefined;
}

// A hook marked continueOnError keeps its failed status in the record but decides nothing.
const failed = (r: HookRecord) => r.status === "failed" && r.continueOnError !== true;

/**
 * Decides in this order: a hook that could not be resolved; cancellation (anything cancelled or
 * skipped because of it); then the first failure along the lifecycle — pre hooks, step,
 * onSuccess, post hooks, onFailure (failures of `continueOnError` hooks do not count); else all
 * succeeded.
 */
export function decideOutcome(
  hooks: readonly HookRecord[],
  step: StepRecord,
  resolutionFailed: boolean,
  signal: AbortSignal,
): OutcomeDecision {
  if (resolutionFailed) {
    return { outcome: "failed", decidedBy: "hook-resolution-failed", error: hooks.find(failed)?.error };
  }
  const cancelledHook = hooks.find((h) => h.status === "cancelled" || h.skippedBecause === "cancelled");
  if (step.status === "cancelled" || step.skippedBecause === "cancelled" || cancelledHook) {
    const error =
      (step.status === "cancelled" ? step.error : undefined) ??
      cancelledHook?.error ??
      (signal.aborted ? serializeError(signal.reason) : undefined);
    return { outcome: "cancelled", decidedBy: "cancelled", error };
  }
  const firstFailed = (phases: readonly string[]) => hooks.find((h) => failed(h) && phases.includes(h.phase));
  const pre = firstFailed(["pre", "preHook"]);
  if (pre) return { outcome: "failed", decidedBy: "pre-hook-failed", error: pre.error };
  if (step.status === "failed") return { outcome: "failed", decidedBy: "step-failed", error: step.error };
  const later: [DecidedBy, HookRecord | undefined][] = [
    ["on-success-failed", firstFailed(["onSuccess"])],
    ["post-hook-failed", firstFailed(["post"])],
    ["on-failure-failed", firstFailed(["onFailure"])],
  ];
  for (const [decidedBy, record] of later)
    if (record) return { outcome: "failed", decidedBy, error: record.error };
  return { outcome: "succeeded", decidedBy: "all-succeeded", error: undefined };
}
