/** `--lease-duration` and `--no-session-record`: how `run` and `hooks` record the cleanup they owe. */
import { parseDuration } from "@quiesce/core";
import type { SessionRecordSettings } from "@quiesce/kube";
import { UsageError } from "./io.js";

/** The flags of the commands that record sessions. */
export const SESSION_FLAGS = {
  "lease-duration": { type: "string" },
  "no-session-record": { type: "boolean" },
} as const;

/** `--lease-duration` as the Lease's whole seconds (≥ 1 s), or undefined when not given. */
export function leaseSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch (err) {
    throw new UsageError(`--lease-duration: ${(err as Error).message}`);
  }
  if (ms < 1000 || ms % 1000 !== 0) {
    throw new UsageError(`--lease-duration: a Lease lasts whole seconds, at least 1s (got ${value})`);
  }
  return ms / 1000;
}

/** The runners' `sessionRecord` option from the flags. */
export function sessionRecordFlags(values: {
  "lease-duration"?: string | undefined;
  "no-session-record"?: boolean | undefined;
}): SessionRecordSettings | false | undefined {
  if (values["no-session-record"]) {
    if (values["lease-duration"] !== undefined)
      throw new UsageError("--lease-duration and --no-session-record exclude each other");
    return false;
  }
  const seconds = leaseSeconds(values["lease-duration"]);
  return seconds === undefined ? undefined : { leaseDurationSeconds: seconds };
}
