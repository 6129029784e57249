/** The typed failures of the Cluster adapter: API errors mapped to codes, exec timeouts and non-zero exits. */
import {
  type ErrorCode,
  ErrorCodes,
  QuiesceError,
  type QuiesceErrorOptions,
  redactHead,
} from "@quiesce/core";
import type { ExecResult } from "./cluster.js";
import type { KubeStatus } from "./status.js";

/** What a failed request was doing, for error messages and details. */
export interface RequestFacts {
  /** The API verb: get, list, watch, create, patch, update, delete, exec, log. */
  verb: string;
  /** The resource (plural, with subresource), e.g. "pods/exec", "deployments/scale". */
  resource?: string | undefined;
  namespace?: string | undefined;
  name?: string | undefined;
}

/** The QuiesceError code for an HTTP status of the API server. */
export function codeForStatus(statusCode: number | undefined): ErrorCode {
  switch (statusCode) {
    case 404:
      return ErrorCodes.KUBE_NOT_FOUND;
    case 401:
    case 403:
      return ErrorCodes.KUBE_FORBIDDEN;
    case 409:
      return ErrorCodes.KUBE_CONFLICT;
    case 400:
    case 422:
      return ErrorCodes.KUBE_INVALID;
    case 410:
      return ErrorCodes.KUBE_GONE;
    default:
      return ErrorCodes.KUBE_API;
  }
}

function describeTarget(req: RequestFacts): string {
  const where = [req.namespace, req.name].filter(Boolean).join("/");
  return `${req.verb} ${req.resource ?? "resource"}${where ? ` "${where}"` : ""}`;
}

/**
 * A failure answered (or not answered) by the Kubernetes API server. `code` follows the HTTP status
 * (404 → QUIESCE_KUBE_NOT_FOUND, 401/403 → QUIESCE_KUBE_FORBIDDEN, 409 → QUIESCE_KUBE_CONFLICT,
 * 400/422 → QUIESCE_KUBE_INVALID, 410 → QUIESCE_KUBE_GONE, else QUIESCE_KUBE_API); `details` keeps
 * the Status `reason`, `message` and `code` and the request's verb, resource, namespace and name.
 *
 * @example
 * ```ts
 * try {
 *   await cluster.get({ version: "v1", resource: "pods", namespace: "db", name: "x" });
 * } catch (err) {
 *   if (err instanceof KubeApiError && err.statusCode === 404) console.log(err.reason); // "NotFound"
 * }
 * ```
 */
export class KubeApiError extends QuiesceError {
  override name = "KubeApiError";
  /** HTTP status, when the server answered. */
  readonly statusCode: number | undefined;
  /** The Status `reason` (NotFound, Forbidden, AlreadyExists, Conflict, Invalid, Expired, …). */
  readonly reason: string | undefined;
  /** The Status as the server sent it. */
  readonly status: KubeStatus | undefined;

  constructor(
    request: RequestFacts,
    answer: { statusCode?: number | undefined; status?: KubeStatus | undefined; text?: string | undefined },
    options: QuiesceErrorOptions & { attempts?: number; code?: ErrorCode } = {},
  ) {
    const statusCode = answer.statusCode ?? answer.status?.code;
    const why =
      answer.status?.message ??
      (answer.text === undefined ? undefined : redactHead(answer.text, 500)) ??
      (options.cause instanceof Error ? options.cause.message : "request failed");
    const suffix = statusCode === undefined ? "" : ` (${answer.status?.reason ?? "HTTP"} ${statusCode})`;
    super(options.code ?? codeForStatus(statusCode), `${describeTarget(request)}: ${why}${suffix}`, {
      ...options,
      details: {
        verb: request.verb,
        resource: request.resource,
        namespace: request.namespace,
        name: request.name,
        statusCode,
        reason: answer.status?.reason,
        statusMessage: answer.status?.message,
        causes: answer.status?.details?.causes,
        attempts: options.attempts,
        ...options.details,
      },
    });
    this.statusCode = statusCode;
    this.reason = answer.status?.reason;
    this.status = answer.status;
  }
}

/** The partial output of an exec that did not finish. */
export interface PartialOutput {
  pod: string;
  container: string;
  stdout: string;
  stderr: string;
  stdoutDroppedBytes: number;
  stderrDroppedBytes: number;
  durationMs: number;
}

/**
 * An exec that exceeded its time limit. The stream was closed, but the remote command may still be
 * running in the container (Kubernetes has no way to kill it through the exec protocol):
 * `possiblyStillRunning` is always true. Carries the stdout/stderr tails captured so far.
 *
 * @example
 * ```ts
 * try {
 *   await cluster.exec({ namespace: "db", pod: "pg-0" }, ["pg_dump", "app"], { timeoutMs: 60_000 });
 * } catch (err) {
 *   if (err instanceof ExecTimeoutError) console.log(err.possiblyStillRunning, err.partial.stderr);
 * }
 * ```
 */
export class ExecTimeoutError extends QuiesceError {
  override name = "ExecTimeoutError";
  readonly possiblyStillRunning = true as const;
  readonly partial: PartialOutput;

  constructor(command: readonly string[], timeoutMs: number, partial: PartialOutput, cause?: unknown) {
    super(
      ErrorCodes.TIMEOUT,
      `exec ${JSON.stringify(command)} in ${partial.pod}/${partial.container} timed out after ${timeoutMs}ms; the command may still be running`,
      {
        cause,
        details: { command: [...command], timeoutMs, possiblyStillRunning: true, ...partial },
      },
    );
    this.partial = partial;
  }
}

/** A command that exited non-zero, for callers that want to throw on it (see {@link assertExitZero}). */
export class ExecFailedError extends QuiesceError {
  override name = "ExecFailedError";
  readonly result: ExecResult;

  constructor(result: ExecResult, command?: readonly string[]) {
    const what = command ? `exec ${JSON.stringify(command)}` : "exec";
    const tail = result.stderr.trim().split("\n").slice(-1)[0] ?? "";
    super(
      ErrorCodes.EXEC_NONZERO_EXIT,
      `${what} in ${result.pod}/${result.container} exited with code ${result.exitCode}${tail ? `: ${redactHead(tail, 300)}` : ""}`,
      { details: { ...result, ...(command ? { command: [...command] } : {}) } },
    );
    this.result = result;
  }
}

/**
 * Throws an {@link ExecFailedError} (QUIESCE_EXEC_NONZERO_EXIT, with the stdout/stderr tails) unless
 * the command exited 0; returns the result otherwise.
 *
 * @example
 * ```ts
 * const { stdout } = assertExitZero(await cluster.exec(ref, ["pg_isready"]));
 * ```
 */
export function assertExitZero(result: ExecResult, command?: readonly string[]): ExecResult {
  if (result.exitCode !== 0) throw new ExecFailedError(result, command);
  return result;
}

/**
 * A one-off pod or job that could not start (bad image, unschedulable) or vanished before it ended;
 * `details.reason` names the cause (`ErrImagePull`, `ImagePullBackOff`, `Unschedulable`, …).
 *
 * @example
 * ```ts
 * const err = new WorkloadFailedError("pod ns/task-x cannot start: ErrImagePull", { reason: "ErrImagePull" });
 * err.code; // "QUIESCE_KUBE_WORKLOAD_FAILED"
 * ```
 */
export class WorkloadFailedError extends QuiesceError {
  override name = "WorkloadFailedError";
  constructor(message: string, details: Record<string, unknown>, cause?: unknown) {
    super(ErrorCodes.KUBE_WORKLOAD_FAILED, message, { details, cause });
  }
}
