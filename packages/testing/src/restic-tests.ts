/**
 * The gate of the tests that drive restic for real: restic itself (found, or installed from
 * Debian when the tests run as root, as in CI) and isolated process-runtime containers (so restic's
 * absolute paths land in the containers' volumes). Suites carry the {@link RESTIC_TAG} tag, which
 * the test configuration skips — with one summary line saying why — when either is missing.
 *
 * @example
 * ```ts
 * // a test file's header: / ** @module-tag restic * /
 * const reason = await resticTestsUnavailable(); // undefined when they can run
 * ```
 * @packageDocumentation
 */
import { hostTool } from "./host-tools.js";
import { isolationAvailable } from "./runtime/isolation-probe.js";

/** The test tag of every suite that runs restic. */
export const RESTIC_TAG = "restic";

/** Why the restic suites cannot run here (one line), or undefined when they can. */
export async function resticTestsUnavailable(): Promise<string | undefined> {
  const restic = hostTool({ name: "restic", command: "restic", args: ["version"], debianPackage: "restic" });
  if (!restic.available) return restic.reason;
  const isolation = await isolationAvailable();
  return isolation.available ? undefined : isolation.reason;
}
