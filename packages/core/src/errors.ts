/** The one error base of quiesce: a stable string code, a cause chain and secret redaction. */
import { redactText, redactValue } from "./redact.js";

/**
 * Stable error codes. Codes are part of the public API: hosts branch on them, so a code is never
 * renamed. Packages may use codes beyond this list (any `QUIESCE_*` string), but the shared ones
 * live here so that two packages never invent two names for one failure.
 */
export const ErrorCodes = {
  /** A document (Blueprint, HookTemplate, reference, options) failed schema validation. */
  VALIDATION: "QUIESCE_VALIDATION",
  /** A duration string could not be parsed (a unit-less number is an error). */
  INVALID_DURATION: "QUIESCE_INVALID_DURATION",
  /** An operation exceeded its time limit. */
  TIMEOUT: "QUIESCE_TIMEOUT",
  /** An operation was aborted through its AbortSignal. */
  ABORTED: "QUIESCE_ABORTED",
  /** A registry already holds a different entry under that name (and version). */
  DUPLICATE_REGISTRATION: "QUIESCE_DUPLICATE_REGISTRATION",
  /** A registry lookup found nothing under that name. */
  NOT_REGISTERED: "QUIESCE_NOT_REGISTERED",
  /** A Go/mustache template failed to parse. */
  TEMPLATE_PARSE: "QUIESCE_TEMPLATE_PARSE",
  /** A template referenced a key absent from its data (missingkey=error). */
  TEMPLATE_MISSING_KEY: "QUIESCE_TEMPLATE_MISSING_KEY",
  /** A template failed while executing (bad function call, `fail`, type error, …). */
  TEMPLATE_EXEC: "QUIESCE_TEMPLATE_EXEC",
  /** A template exceeded its step budget or output-size limit. */
  TEMPLATE_LIMIT: "QUIESCE_TEMPLATE_LIMIT",
  /** A remote command exited with a non-zero code. */
  EXEC_NONZERO_EXIT: "QUIESCE_EXEC_NONZERO_EXIT",
  /** The Kubernetes API answered 404. */
  KUBE_NOT_FOUND: "QUIESCE_KUBE_NOT_FOUND",
  /** The Kubernetes API answered 403 (or 401). */
  KUBE_FORBIDDEN: "QUIESCE_KUBE_FORBIDDEN",
  /** The Kubernetes API answered 409. */
  KUBE_CONFLICT: "QUIESCE_KUBE_CONFLICT",
  /** The Kubernetes API answered 422 or 400. */
  KUBE_INVALID: "QUIESCE_KUBE_INVALID",
  /** The Kubernetes API answered 410 Gone (a watch's resourceVersion is too old). */
  KUBE_GONE: "QUIESCE_KUBE_GONE",
  /** Any other Kubernetes API failure (5xx, 429 after retries, connection reset). */
  KUBE_API: "QUIESCE_KUBE_API",
  /**
   * A connection to the API server went silent: an exec session answered no WebSocket ping in time,
   * or its upgrade was never answered. A command it ran may still be running.
   */
  KUBE_CONNECTION_LOST: "QUIESCE_KUBE_CONNECTION_LOST",
  /** The named container does not exist in the pod. */
  KUBE_CONTAINER_NOT_FOUND: "QUIESCE_KUBE_CONTAINER_NOT_FOUND",
  /** The pod is not running, so it cannot be exec'd into. */
  KUBE_POD_NOT_RUNNING: "QUIESCE_KUBE_POD_NOT_RUNNING",
  /** A one-off pod or job could not start (bad image, unschedulable) or failed. */
  KUBE_WORKLOAD_FAILED: "QUIESCE_KUBE_WORKLOAD_FAILED",
  /** A usage policy refused a reference (e.g. HookTemplate allowedNamespaces). */
  POLICY_REFUSED: "QUIESCE_POLICY_REFUSED",
  /** A hook, phase or action failed. */
  HOOK_FAILED: "QUIESCE_HOOK_FAILED",
  /** An HTTP action answered outside 200 ≤ status < 400 or could not connect. */
  HTTP_FAILED: "QUIESCE_HTTP_FAILED",
  /** A TCP action could not open the port. */
  TCP_FAILED: "QUIESCE_TCP_FAILED",
  /** A captured output exceeded a configured limit. */
  OUTPUT_LIMIT: "QUIESCE_OUTPUT_LIMIT",
  /** A function output line (###Phase-output###) could not be parsed. */
  OUTPUT_MALFORMED: "QUIESCE_OUTPUT_MALFORMED",
  /** A Kanister Profile (or its credential Secret) could not be read or is not usable; names the field. */
  PROFILE_INVALID: "QUIESCE_PROFILE_INVALID",
  /**
   * A session could not record the cleanup it is about to owe (its Lease or its record could not
   * be written) before a hook that needs a cleanup ran; that hook did not run.
   */
  SESSION_RECORD_FAILED: "QUIESCE_SESSION_RECORD_FAILED",
  /**
   * Another host took over the session's Lease (it found it expired): the owed cleanup is theirs
   * now, and this host stops the session's work and runs none of it.
   */
  SESSION_LEASE_LOST: "QUIESCE_SESSION_LEASE_LOST",
  /** A session record in the cluster could not be read (not JSON, an unknown version, a wrong shape). */
  SESSION_RECORD_INVALID: "QUIESCE_SESSION_RECORD_INVALID",
  /**
   * A recovered session owes a cleanup this process cannot run: a host function hook that was not
   * passed to recoverSessions, or a Profile whose credentials were not recorded.
   */
  SESSION_HOOK_UNAVAILABLE: "QUIESCE_SESSION_HOOK_UNAVAILABLE",
  /** The host of a session stopped (crashed, was killed) while its step or a hook was running. */
  SESSION_HOST_LOST: "QUIESCE_SESSION_HOST_LOST",
} as const;

/** A known error code, or any other `QUIESCE_*` string a package defines. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes] | `QUIESCE_${string}`;

/** Options accepted by {@link QuiesceError}. */
export interface QuiesceErrorOptions {
  /** The underlying error. */
  cause?: unknown;
  /** Structured, JSON-safe facts about the failure (redacted like the message). */
  details?: Record<string, unknown>;
  /** Secret values to scrub from the message and details, besides the globally registered ones. */
  secrets?: readonly string[];
}

/**
 * Base class of every error quiesce throws.
 *
 * The message and details are redacted at construction: any registered secret (see
 * {@link registerSecret}) or secret passed in `options.secrets` is replaced by `[REDACTED]`, so
 * an error can be logged or emitted as an event without leaking credentials.
 *
 * @example
 * ```ts
 * import { QuiesceError, ErrorCodes } from "@quiesce/core";
 * try {
 *   throw new QuiesceError(ErrorCodes.TIMEOUT, "hook freeze timed out after 30s");
 * } catch (err) {
 *   if (QuiesceError.is(err, ErrorCodes.TIMEOUT)) console.log(err.code);
 * }
 * ```
 */
export class QuiesceError extends Error {
  override name = "QuiesceError";
  /** Stable string code, e.g. `QUIESCE_TEMPLATE_MISSING_KEY`. */
  readonly code: ErrorCode;
  /** Structured facts about the failure, redacted. */
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: QuiesceErrorOptions = {}) {
    const secrets = options.secrets ?? [];
    super(redactText(message, secrets), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = redactValue(options.details ?? {}, secrets) as Record<string, unknown>;
  }

  /** True when `err` is a QuiesceError, optionally with the given code. */
  static is(err: unknown, code?: ErrorCode): err is QuiesceError {
    return err instanceof QuiesceError && (code === undefined || err.code === code);
  }

  /** A JSON-safe view (code, message, details, and the cause chain), for results and events. */
  toJSON(): SerializedError {
    return serializeError(this);
  }
}

/** The JSON form of an error, as carried in results and events. */
export interface SerializedError {
  name: string;
  code?: string;
  message: string;
  details?: Record<string, unknown>;
  cause?: SerializedError;
}

/**
 * Turns any thrown value into a JSON-safe, redacted {@link SerializedError}, following `cause`.
 * Never throws: a cause already in this JSON form (a result read back, an error a test runner or
 * another process flattened) keeps its name, code, message, details and cause; any other value is
 * described as text, even one without a prototype or whose `toString` throws.
 */
export function serializeError(err: unknown, depth = 0): SerializedError {
  if (err instanceof Error || isErrorShaped(err)) {
    const shaped = err as {
      name?: unknown;
      message?: unknown;
      code?: unknown;
      details?: unknown;
      cause?: unknown;
    };
    const out: SerializedError = {
      name: typeof shaped.name === "string" ? shaped.name : "Error",
      message: redactText(
        typeof shaped.message === "string" ? shaped.message : describeValue(shaped.message),
      ),
    };
    if (typeof shaped.code === "string") out.code = shaped.code;
    const details = err instanceof QuiesceError || !(err instanceof Error) ? shaped.details : undefined;
    if (isRecord(details) && Object.keys(details).length > 0)
      out.details =
        err instanceof QuiesceError ? details : (redactValue({ ...details }) as Record<string, unknown>);
    if (shaped.cause !== undefined && depth < 8) out.cause = serializeError(shaped.cause, depth + 1);
    return out;
  }
  return { name: "NonError", message: redactText(describeValue(err)) };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** An object with a string `message` (and no `Error` prototype): an error in JSON form. */
function isErrorShaped(value: unknown): boolean {
  return isRecord(value) && typeof value.message === "string";
}

/** Text for a thrown value that is not an error: its JSON when it has one, else its tag. */
function describeValue(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    const text =
      typeof value === "object" && value !== null
        ? (JSON.stringify(value) ?? Object.prototype.toString.call(value))
        : String(value);
    return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
