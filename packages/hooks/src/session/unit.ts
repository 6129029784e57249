/** What a session works on: units (a namespace, or a Velero pod) holding one slot per hook and phase. */
import type { HookSubject, PreparedHook } from "../hook-spec.js";
import type { Artifact } from "../journal.js";
import type { HookPhase, HookRecord } from "../result.js";

/** One hook of one unit: its record (always present) and, once resolved, what runs it. */
export interface Slot {
  record: HookRecord;
  /** Undefined when resolution failed. */
  hook: PreparedHook | undefined;
}

/** The phases in lifecycle order: the order of records in the result. */
export const PHASES: readonly HookPhase[] = ["pre", "preHook", "onSuccess", "onFailure", "post"];

/** A pod the step is told about (Velero sessions). */
export interface StepTarget {
  kind: "Pod";
  namespace: string;
  name: string;
  /**
   * True when the pod's pre hooks failed with `onError: Fail`: Velero leaves the pod itself out of
   * the backup (the other items of its block, e.g. its PVCs, are still backed up) and runs none of
   * its post hooks.
   */
  excluded: boolean;
}

/**
 * The hooks of one namespace (KubeStash and K10 sessions) or of one pod (Velero sessions), with
 * what the policies remember about them while the session runs.
 */
export interface Unit {
  namespace: string;
  subject: HookSubject;
  slots: Record<HookPhase, Slot[]>;
  /** preHook output artifacts: `.ArtifactsIn` of later K10 hooks and `ctx.artifacts` of the step. */
  artifacts: Record<string, Artifact>;
  /** Velero sessions: the pod these hooks run in. */
  target: StepTarget | undefined;
  /** The unit's pre-step stage began before the session was cancelled (its cleanup is owed). */
  reached: boolean;
  /** A pre-step hook of this unit failed in a way that stops the unit's remaining pre-step hooks. */
  preFailed: boolean;
  /** A K10 onSuccess hook failed. */
  onSuccessFailed: boolean;
  /** The first failure's message: `.Status.Error` of the hooks after the step. */
  firstError: string | undefined;
}

/** A fresh unit with no slots. */
export function newUnit(namespace: string, subject: HookSubject, target?: StepTarget): Unit {
  return {
    namespace,
    subject,
    slots: { pre: [], preHook: [], onSuccess: [], onFailure: [], post: [] },
    artifacts: {},
    target,
    reached: false,
    preFailed: false,
    onSuccessFailed: false,
    firstError: undefined,
  };
}

/** Every record of `units`, unit by unit, in lifecycle order within each. */
export function recordsOf(units: readonly Unit[]): HookRecord[] {
  return units.flatMap((u) => PHASES.flatMap((phase) => u.slots[phase].map((s) => s.record)));
}
