/**
 * The contract between a session and a format's policy: the session owns signals, records and
 * the step; a policy decides, for its format, in which order hooks run, what a failure skips and
 * what it means for the outcome.
 */
import type { Logger, SerializedError } from "@quiesce/core";
import type { Cluster } from "@quiesce/kube";
import type { SessionStatusView } from "../hook-spec.js";
import type { DecidedBy, HookRecord, SessionResult, SkipReason, StepRecord } from "../result.js";
import type { Slot, Unit } from "../session/unit.js";

/** What a policy may ask of the session it runs in. */
export interface SessionApi {
  /** The session's signal: aborts on cancellation. */
  readonly signal: AbortSignal;
  /** The signal of cleanup hooks: the session's abort does not reach it; `cleanupTimeout` bounds it once aborted. */
  readonly cleanupSignal: AbortSignal;
  /** False when the host will retry the operation (K10 onFailure waits for the last attempt). */
  readonly finalAttempt: boolean;
  /** The host's step so far. */
  readonly step: StepRecord;
  /** Set by a policy when a pre-step failure means the step must not run (and other units' pre-step hooks neither). */
  stepBlocked: SkipReason | undefined;
  readonly logger: Logger;
  /** The session's cluster, when it has one. */
  readonly cluster: Cluster | undefined;
  /** Runs one slot's hook (every attempt) and fills its record; succeeded K10 hooks are journalled. */
  runSlot(unit: Unit, slot: Slot, signal: AbortSignal, options?: RunSlotOptions): Promise<void>;
  /** Marks a slot skipped, with the reason, and says so in an event. */
  skip(slot: Slot, reason: SkipReason): void;
  /** Marks a slot failed with `error` without running it (or overrides the result it got), and says so in an event. */
  fail(slot: Slot, error: unknown): void;
  /** How the operation went, as the hooks after the step see it (`.Status`); fixed at first use per unit. */
  statusOf(unit: Unit): SessionStatusView;
}

/** Options of {@link SessionApi.runSlot}. */
export interface RunSlotOptions {
  /** `.Status` of the hook's templates (hooks after the step). */
  status?: SessionStatusView | undefined;
}

/** One failure a policy found, ranked by where it happened in the lifecycle (lower decides first). */
export interface RankedDecision {
  rank: number;
  /** Position of the deciding record among the session's records: breaks ties of rank. */
  order: number;
  outcome: Exclude<SessionResult["outcome"], "succeeded" | "cancelled">;
  decidedBy: DecidedBy;
  error: SerializedError | undefined;
}

/** Where each kind of failure sits in the lifecycle: the first one decides the outcome. */
export const RANK = {
  /** KubeStash pre hooks and K10 preHooks alike: the first one in record order decides. */
  pre: 10,
  preHook: 10,
  step: 30,
  onSuccess: 40,
  post: 50,
  onFailure: 60,
  /** Failures that make a session partially failed rather than failed (Velero). */
  partial: 90,
} as const;

/** A format's rules. */
export interface HookPolicy {
  readonly name: string;
  /** Runs (or skips) the unit's hooks of this format that come before the step. */
  before(unit: Unit, session: SessionApi): Promise<void>;
  /** Runs (or skips) the unit's hooks of this format that come after the step. */
  after(unit: Unit, session: SessionApi): Promise<void>;
  /** The failures among `records` (this format's) that can decide the outcome. */
  failures(records: readonly HookRecord[], step: StepRecord): RankedDecision[];
  /** Adds what the format reports beyond the common result (Velero's hookStatus), from the session's units. */
  report?(result: SessionResult, units: readonly Unit[]): void;
  /** Run every unit's hooks at once rather than `concurrency` units at a time. */
  readonly allUnitsAtOnce?: boolean;
}

/** True when the hook ran and succeeded, or succeeded in an earlier attempt of the operation. */
export function succeeded(slot: Slot): boolean {
  return slot.record.status === "succeeded" || slot.record.skippedBecause === "already-succeeded";
}

/** A `continueOnError` hook that failed (not one that was cancelled) lets the lifecycle go on. */
export function tolerated(slot: Slot): boolean {
  return slot.hook?.continueOnError === true && slot.record.status === "failed";
}

/** A failure that counts: failed and not tolerated by `continueOnError`. */
export function counts(record: HookRecord): boolean {
  return record.status === "failed" && record.continueOnError !== true;
}

/**
 * KubeStash pre hooks and K10 preHooks share one rule: in order; the first failure skips the
 * unit's remaining ones, the step, and every other unit's pre-step hooks not yet run.
 */
export async function runGate(
  unit: Unit,
  slots: readonly Slot[],
  session: SessionApi,
  afterSuccess?: (slot: Slot) => void,
): Promise<void> {
  for (const slot of slots) {
    if (session.signal.aborted) session.skip(slot, "cancelled");
    else if (unit.preFailed) session.skip(slot, "earlier-hook-failed");
    else if (session.stepBlocked !== undefined) session.skip(slot, "pre-hook-failed");
    else {
      await session.runSlot(unit, slot, session.signal);
      if (succeeded(slot)) afterSuccess?.(slot);
      else if (!tolerated(slot)) {
        unit.preFailed = true;
        session.stepBlocked = "pre-hook-failed";
        unit.firstError ??= slot.record.error?.message;
      }
    }
  }
}

/** The first counting failure among `records` of `phases`, as a ranked decision. */
export function firstFailure(
  records: readonly HookRecord[],
  phases: readonly HookRecord["phase"][],
  rank: number,
  decidedBy: DecidedBy,
): RankedDecision[] {
  const order = records.findIndex((r) => counts(r) && phases.includes(r.phase));
  const record = records[order];
  return record ? [{ rank, order, outcome: "failed", decidedBy, error: record.error }] : [];
}
