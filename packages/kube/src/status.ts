/** Kubernetes `Status` bodies: what the API server answers on failure and sends on the exec status channel. */

/** A cause inside `Status.details.causes`. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** The parts of a Kubernetes `Status` object quiesce reads. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
}

/** Parses a response body as a `Status` when it is one; otherwise `undefined`. */
export function parseStatus(body: string | Uint8Array): KubeStatus | undefined {
  const text = typeof body === "string" ? body : Buffer.from(body).toString("utf8");
  if (!text.trimStart().startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (isStatus(value)) return value;
  } catch {
    // not JSON: the caller reports the raw text instead
  }
  return undefined;
}

/**
 * Parses a frame of the exec status channel. The API server sends a bare Status there
 * (`{"metadata":{},"status":"Success"}`, without `kind`), so any object with a `status` string counts.
 */
export function parseStatusFrame(frame: Uint8Array): KubeStatus | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(frame).toString("utf8"));
    if (
      value !== null &&
      typeof value === "object" &&
      typeof (value as { status?: unknown }).status === "string"
    ) {
      return value as KubeStatus;
    }
  } catch {
    // reported by the caller as an unreadable status
  }
  return undefined;
}

/** True when `value` looks like a `Status` object (kind Status, or status/reason/code fields). */
export function isStatus(value: unknown): value is KubeStatus {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return v.kind === "Status" || (typeof v.status === "string" && ("reason" in v || "code" in v));
}

/** How an exec ended according to its status channel. */
export type ExecOutcome = { kind: "exited"; exitCode: number } | { kind: "failed"; status: KubeStatus };

/**
 * Reads the exit code from the status channel (channel 3) of the exec protocol: `Success` means 0;
 * `Failure` with reason `NonZeroExitCode` carries the code in a cause `{reason: "ExitCode", message: "<n>"}`.
 * Any other failure (the command could not start, the pod went away) is a `failed` outcome.
 *
 * @example
 * ```ts
 * execOutcome({ status: "Success" }); // { kind: "exited", exitCode: 0 }
 * ```
 */
export function execOutcome(status: KubeStatus): ExecOutcome {
  if (status.status === "Success") return { kind: "exited", exitCode: 0 };
  if (status.reason === "NonZeroExitCode") {
    const cause = status.details?.causes?.find((c) => c.reason === "ExitCode");
    const code = cause?.message === undefined ? Number.NaN : Number.parseInt(cause.message, 10);
    if (Number.isInteger(code)) return { kind: "exited", exitCode: code };
  }
  return { kind: "failed", status };
}
