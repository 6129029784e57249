/** The session result: everything that happened, for every hook and the step, even on failure. */
import type { SerializedError } from "@quiesce/core";
import type { LeakedObject } from "@quiesce/kube";
import type { Artifact } from "./journal.js";

/** The lifecycle phase a hook ran in: KubeStash `pre`/`post`, K10 `preHook`/`onSuccess`/`onFailure`. */
export type HookPhase = "pre" | "post" | "preHook" | "onSuccess" | "onFailure";

/**
 * The family of a hook: a KubeStash HookTemplate (or inline action), a Blueprint action, a host
 * function, or a Velero exec hook.
 */
export type HookKind = "kubestash" | "k10" | "function" | "velero";

/** How a hook ended. */
export type HookStatus = "succeeded" | "failed" | "skipped" | "cancelled";

/** Why a hook did not run. */
export type SkipReason =
  | "execution-policy"
  | "earlier-hook-failed"
  | "pre-hook-failed"
  | "step-failed"
  | "step-succeeded"
  | "already-succeeded"
  | "retries-remaining"
  | "cancelled"
  | "resolution-failed"
  /** Another host took the session over (its Lease): the cleanup hook is theirs to run. */
  | "taken-over";

/** What one target (a pod, the host, a Job) did in an attempt. */
export interface TargetRecord {
  /** Pod name, `operator`, or the Job/pod name. */
  name: string;
  namespace?: string;
  status: "succeeded" | "failed" | "cancelled";
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  httpStatus?: number;
  /** True when a timed-out remote command may still be running. */
  possiblyStillRunning?: boolean;
  error?: SerializedError;
}

/** One attempt of a hook. */
export interface AttemptRecord {
  /** 1-based. */
  attempt: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  status: "succeeded" | "failed" | "cancelled";
  /** First failing (else first) target's exit code. */
  exitCode?: number;
  /** Tail of stdout (first failing, else first target). */
  stdout?: string;
  stderr?: string;
  httpStatus?: number;
  /** True when the attempt timed out and the remote command may still be running. */
  timedOut?: boolean;
  error?: SerializedError;
  /** What went wrong without failing the attempt (a Blueprint action's `warnings`). */
  warnings?: SerializedError[];
  targets: TargetRecord[];
}

/** One hook in one namespace. */
export interface HookRecord {
  name: string;
  kind: HookKind;
  phase: HookPhase;
  namespace: string;
  status: HookStatus;
  skippedBecause?: SkipReason;
  /** Post hooks: the policy that decided whether it ran. */
  executionPolicy?: "Always" | "OnSuccess" | "OnFailure";
  /** True when the hook's failure is only recorded: it skips nothing and does not fail the session. */
  continueOnError?: boolean;
  attempts: AttemptRecord[];
  /** Targets of the last attempt. */
  targets: TargetRecord[];
  outputs: Record<string, unknown>;
  /** Output artifacts (K10 hooks); a preHook's become onSuccess/onFailure input artifacts. */
  artifacts: Record<string, Artifact>;
  error?: SerializedError;
  /**
   * What went wrong without failing the hook, from every attempt: a Blueprint action's `warnings`
   * (e.g. `QUIESCE_SESSION_RECORD_FAILED` when its own record fell behind).
   */
  warnings?: SerializedError[];
  startedAt?: string;
  finishedAt?: string;
}

/** A pod the step was called for (Velero sessions with `stepPer: "target"`). */
export interface StepTargetRecord {
  namespace: string;
  name: string;
  /** True when the pod's pre hooks failed with `onError: Fail` (see StepContext.target). */
  excluded: boolean;
  status: "succeeded" | "failed" | "skipped" | "cancelled";
  skippedBecause?: SkipReason;
  error?: SerializedError;
  startedAt?: string;
  finishedAt?: string;
  outputs: Record<string, unknown>;
}

/** The host's step. */
export interface StepRecord {
  status: "succeeded" | "failed" | "skipped" | "cancelled";
  skippedBecause?: SkipReason;
  error?: SerializedError;
  startedAt?: string;
  finishedAt?: string;
  outputs: Record<string, unknown>;
  /**
   * `stepPer: "target"`: one entry per call, in order. The step's status is then `failed` if any
   * call failed, `cancelled` if the session was cancelled, else `succeeded` (also with no call).
   */
  targets?: StepTargetRecord[];
}

/** Velero's hook counters (Backup/Restore `status.hookStatus`), for sessions of Velero hooks. */
export interface VeleroHookStatus {
  /** Hooks Velero counts as attempted: those of every pod it reached, including those not run after an `onError: Fail` failure. */
  hooksAttempted: number;
  hooksFailed: number;
}

/** The rule that decided a session's outcome. */
export type DecidedBy =
  | "all-succeeded"
  | "hook-resolution-failed"
  | "pre-hook-failed"
  | "step-failed"
  | "on-success-failed"
  | "post-hook-failed"
  | "on-failure-failed"
  | "partially-failed"
  | "cancelled";

/**
 * Where a session recorded the cleanup it owed, and how that record ended: `done` (deleted: nothing
 * owed), `owed` (kept, its Lease released: a cleanup hook did not succeed, and `recoverSessions` runs
 * it again), `failed` (a recovery left cleanup still owed; kept), `lost` (another host took the
 * session over).
 */
export interface SessionRecordInfo {
  namespace: string;
  /** The ConfigMap and the Lease share this name. */
  name: string;
  state: "done" | "owed" | "failed" | "lost";
  /** The record could not be closed (it stays; recovery finds it once its Lease expires). */
  error?: SerializedError;
  /**
   * Writes after the freeze that failed (`QUIESCE_SESSION_RECORD_FAILED`, one per kind: what the
   * hooks before the step did, a cleanup hook's claim): the hooks went on, but the record fell
   * behind — a recovery from it would lack that progress (artifacts, discharged cleanup).
   */
  warnings?: SerializedError[];
}

/** What {@link runWithHooks} resolves with. */
export interface SessionResult {
  operationId: string;
  /**
   * `partiallyFailed`: Velero sessions only — a Velero hook failed (with any `onError`), as a
   * Velero Backup or Restore then ends PartiallyFailed; everything else still ran.
   */
  outcome: "succeeded" | "failed" | "partiallyFailed" | "cancelled";
  decidedBy: DecidedBy;
  /** The error behind `decidedBy` (absent when all succeeded). */
  error?: SerializedError;
  namespaces: string[];
  step: StepRecord;
  hooks: HookRecord[];
  /** Sessions of Velero hooks: Velero's counters. */
  hookStatus?: VeleroHookStatus;
  /**
   * One-off pods and Jobs the hooks created (Blueprint functions, Function executors) and could
   * not delete (empty when none). They do not change the outcome; `cleanupOrphans` removes them later.
   */
  leaked: LeakedObject[];
  /** The session's record in the cluster, when a hook made cleanup owed (see `sessionRecord`). */
  sessionRecord?: SessionRecordInfo;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}
