/** Error codes the executors add to core's, and helpers shared by the actions. */
import type { SerializedError } from "@quiesce/core";

/** Codes specific to executors (stable, part of the public API). */
export const ExecutorErrorCodes = {
  /** The executor found nothing to run on (no Running pod matched the selector and owner). */
  NO_TARGETS: "QUIESCE_NO_TARGETS",
  /** A named port is not declared by the target's container(s). */
  PORT_NOT_FOUND: "QUIESCE_PORT_NOT_FOUND",
  /** A local process could not be started (e.g. the executable does not exist). */
  EXEC_START_FAILED: "QUIESCE_EXEC_START_FAILED",
} as const;

/** True for an already-serialized error (a plain object with name and message). */
export function isSerializedError(value: unknown): value is SerializedError {
  return (
    typeof value === "object" &&
    value !== null &&
    !(value instanceof Error) &&
    typeof (value as { message?: unknown }).message === "string" &&
    typeof (value as { name?: unknown }).name === "string"
  );
}

/** Milliseconds left before `deadline` (at least 1, so a call still gets a positive limit). */
export function remainingMs(deadline: number): number {
  return Math.max(1, deadline - Date.now());
}
