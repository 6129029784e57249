/** The result of a Blueprint action: nothing is lost, even on failure or cancellation. */
import type { SerializedError } from "@quiesce/core";
import type { LeakedObject } from "@quiesce/kube";
import type { Artifact } from "../template-params.js";

/** How a phase or action ended. Phases after a failure are "skipped". */
export type PhaseStatus = "succeeded" | "failed" | "cancelled" | "skipped";

/** One phase's outcome. */
export interface PhaseResult {
  name: string;
  func: string;
  status: PhaseStatus;
  /** ISO timestamps; absent for a skipped phase. */
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  /** Outputs (under `.Phases.<name>.Output` for later phases). */
  output: Record<string, unknown>;
  /** Serialized, redacted error. */
  error?: SerializedError;
}

/** The outcome of `runBlueprintAction`. */
export interface ActionResult {
  action: string;
  status: "succeeded" | "failed" | "cancelled";
  phases: PhaseResult[];
  deferPhase?: PhaseResult;
  /** Rendered output artifacts (only when every phase, the deferPhase included, succeeded). */
  outputArtifacts: Record<string, Artifact>;
  /**
   * One-off pods and Jobs the action's functions created and could not delete (empty when none).
   * They do not change `status`; `cleanupOrphans` removes them later.
   */
  leaked: LeakedObject[];
  /**
   * The session record (an action with a deferPhase) fell behind: writes after the first phase
   * started that failed (`QUIESCE_SESSION_RECORD_FAILED`, one per kind — a phase's output, the
   * deferPhase's claim), or the record could not be closed. The action went on regardless.
   */
  warnings?: SerializedError[];
  error?: SerializedError;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}
