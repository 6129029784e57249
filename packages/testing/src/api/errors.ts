/** Kubernetes `Status` failures as errors: what the store throws and what the HTTP layer serialises. */
import { QuiesceError } from "@quiesce/core";
// The same HTTP status → error code mapping the client adapter uses, so both sides agree.
import { codeForStatus } from "@quiesce/kube";

/** A cause inside `Status.details.causes`. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** The Kubernetes `Status` object (`kind: Status`, `apiVersion: v1`). */
export interface StatusBody {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, unknown>;
  status: "Failure" | "Success";
  message: string;
  reason: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code: number;
}

/**
 * A failure the API server answers with a `Status` body: thrown by the object store and the pod
 * I/O, written by the HTTP layer with `statusCode` as the HTTP status.
 *
 * @example
 * ```ts
 * throw ApiStatusError.notFound({ group: "", resource: "pods" }, "web-0");
 * ```
 */
export class ApiStatusError extends QuiesceError {
  override name = "ApiStatusError";
  /** HTTP status code (404, 409, 422, …). */
  readonly statusCode: number;
  /** The Kubernetes reason (`NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, …). */
  readonly reason: string;
  /** The full Status body as served. */
  readonly status: StatusBody;

  constructor(statusCode: number, reason: string, message: string, details?: StatusBody["details"]) {
    super(codeForStatus(statusCode), message, { details: { statusCode, reason } });
    this.statusCode = statusCode;
    this.reason = reason;
    this.status = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message,
      reason,
      ...(details === undefined ? {} : { details }),
      code: statusCode,
    };
  }

  /** `pods "x" not found` — 404 NotFound. */
  static notFound(type: { group: string; resource: string }, name: string): ApiStatusError {
    const qualified = qualifiedResource(type);
    return new ApiStatusError(404, "NotFound", `${qualified} "${name}" not found`, {
      name,
      ...(type.group === "" ? {} : { group: type.group }),
      kind: type.resource,
    });
  }

  /** `pods "x" already exists` — 409 AlreadyExists. */
  static alreadyExists(type: { group: string; resource: string }, name: string): ApiStatusError {
    return new ApiStatusError(409, "AlreadyExists", `${qualifiedResource(type)} "${name}" already exists`, {
      name,
      ...(type.group === "" ? {} : { group: type.group }),
      kind: type.resource,
    });
  }

  /** Optimistic-concurrency failure — 409 Conflict. */
  static conflict(type: { group: string; resource: string }, name: string, why: string): ApiStatusError {
    return new ApiStatusError(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": ${why}`,
      { name, ...(type.group === "" ? {} : { group: type.group }), kind: type.resource },
    );
  }

  /** Validation failure — 422 Invalid, one cause per field. */
  static invalid(
    kind: string,
    group: string,
    name: string,
    causes: { field: string; message: string; reason?: string }[],
  ): ApiStatusError {
    // apimachinery errors.NewInvalid: "<Kind.group> <name> is invalid: <errs.ToAggregate()>", the
    // aggregate bracketed when it holds several distinct messages.
    const messages = [...new Set(causes.map((c) => `${c.field}: ${c.message}`))];
    const text = messages.length > 1 ? `[${messages.join(", ")}]` : (messages[0] ?? "");
    const qualified = group === "" ? kind : `${kind}.${group}`;
    return new ApiStatusError(422, "Invalid", `${qualified} "${name}" is invalid: ${text}`, {
      name,
      ...(group === "" ? {} : { group }),
      kind,
      causes: causes.map((c) => ({
        reason: c.reason ?? "FieldValueInvalid",
        message: c.message,
        field: c.field,
      })),
    });
  }

  /** 400 BadRequest. */
  static badRequest(message: string): ApiStatusError {
    return new ApiStatusError(400, "BadRequest", message);
  }

  /** 410 Gone / Expired: a watch's resourceVersion is older than the retained history. */
  static expired(message = "too old resource version"): ApiStatusError {
    return new ApiStatusError(410, "Expired", message);
  }

  /** 405 MethodNotAllowed. */
  static methodNotAllowed(message: string): ApiStatusError {
    return new ApiStatusError(405, "MethodNotAllowed", message);
  }

  /** 500 InternalError. */
  static internal(message: string): ApiStatusError {
    return new ApiStatusError(500, "InternalError", `Internal error occurred: ${message}`);
  }
}

function qualifiedResource(type: { group: string; resource: string }): string {
  return type.group === "" ? type.resource : `${type.resource}.${type.group}`;
}
