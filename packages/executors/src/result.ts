/** The result shapes of an action run: one entry per target, and the run's outcome. */
import type { SerializedError } from "@quiesce/core";
import type { ActionKind } from "./action-schema.js";

/** Where an action ran: a pod, the host process, a Job, or a kind a host executor defines. */
export type TargetKind = "Pod" | "Host" | "Job" | (string & {});

/**
 * How one target ended. `cancelled`: the caller's signal aborted it while it ran; `skipped`: it
 * never started (the run was cancelled or timed out first).
 */
export type TargetStatus = "succeeded" | "failed" | "cancelled" | "skipped";

/** How the whole run ended. */
export type RunStatus = "succeeded" | "failed" | "cancelled";

/** What happened on one target. Every field a user may need to diagnose a failure is kept. */
export interface TargetResult {
  kind: TargetKind;
  namespace?: string;
  /** Pod name, host name (`localhost`), or Job name. */
  name: string;
  container?: string;
  status: TargetStatus;
  /** Exit code of an exec (pod or local process) or of the Job's container. */
  exitCode?: number;
  /** The tail of stdout (UTF-8, registered secrets redacted); "" when the action has none. */
  stdout: string;
  /** The tail of stderr. */
  stderr: string;
  /** True when the head of stdout/stderr was dropped to stay within the output limit. */
  outputTruncated?: boolean;
  /** HTTP status of an httpGet/httpPost. */
  httpStatus?: number;
  /** The tail of the HTTP response body, bounded by the output limit. */
  responseBody?: string;
  /** Why the target failed (code, message, details, cause chain); secrets redacted. */
  error?: SerializedError;
  /** ISO-8601 times. */
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /**
   * True when the command may still be running after quiesce stopped waiting for it (a remote exec
   * that timed out or was cancelled: Kubernetes cannot kill it through the exec protocol).
   */
  possiblyStillRunning?: boolean;
}

/**
 * The outcome of {@link runAction}. It is complete whatever happened: a failure, a timeout or a
 * cancellation still yields every target that ran (or was skipped) and the reason.
 */
export interface ActionRunResult {
  /** The executor type (`Pod`, `Operator`, `Function`, or a host's own). */
  executor: string;
  /** The action's handler. */
  action: ActionKind;
  namespace: string;
  status: RunStatus;
  targets: TargetResult[];
  /** Why the run failed or was cancelled (for several failed targets, a summary with the first as cause). */
  error?: SerializedError;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** True when any target may still be running. */
  possiblyStillRunning: boolean;
}

/**
 * What an executor's `run` returns for one target; the runner adds the target's identity and times.
 * `name`/`container` override the target's (e.g. the Job name known only once it was created).
 */
export interface TargetOutcome {
  status: "succeeded" | "failed";
  name?: string;
  container?: string;
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  outputTruncated?: boolean;
  httpStatus?: number;
  responseBody?: string;
  /** Any thrown value; serialized (and redacted) into the result. */
  error?: unknown;
  possiblyStillRunning?: boolean;
}
