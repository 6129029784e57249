/** The Kubernetes remote-command channel protocols: negotiation and the Status sent on channel 3. */
import type { ApiStatusError } from "../api/errors.js";

/** Sub-protocols served, most preferred first. */
export const EXEC_PROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io", "channel.k8s.io"] as const;
export type ExecProtocol = (typeof EXEC_PROTOCOLS)[number];

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const STATUS = 3;
export const RESIZE = 4;
/** v5 only, client → server: "I am done sending on channel <payload>". Never sent by the server. */
export const CLOSE = 255;

/** Picks our most preferred protocol among those the client offered (false: none in common). */
export function negotiate(offered: Set<string>): ExecProtocol | false {
  for (const p of EXEC_PROTOCOLS) if (offered.has(p)) return p;
  return false;
}

/** True for protocols whose status channel carries a JSON Status (v4 and later). */
export function structuredStatus(protocol: string): boolean {
  return protocol === "v4.channel.k8s.io" || protocol === "v5.channel.k8s.io";
}

/** Formats argv the way Go's `%v` prints a string slice (`[sh -c exit 2]`). */
function goSlice(argv: string[]): string {
  return `[${argv.join(" ")}]`;
}

/** The status frame body for an exit code (v4/v5 JSON; text for older protocols, empty on success). */
export function exitStatus(protocol: string, argv: string[], exitCode: number): string | undefined {
  const message = `command terminated with non-zero exit code: error executing command ${goSlice(argv)}, exit code ${exitCode}`;
  if (!structuredStatus(protocol)) return exitCode === 0 ? undefined : message;
  if (exitCode === 0) return JSON.stringify({ metadata: {}, status: "Success" });
  return JSON.stringify({
    metadata: {},
    status: "Failure",
    message,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(exitCode) }] },
  });
}

/** The status frame body for a failure to run the command at all. */
export function errorStatus(protocol: string, err: ApiStatusError): string {
  if (!structuredStatus(protocol)) return err.message;
  return JSON.stringify({
    metadata: {},
    status: "Failure",
    message: err.message,
    reason: err.reason,
    code: err.statusCode,
  });
}
