/**
 * Host tools a test needs (kubectl, the Python client, restic, …): found on the machine, installed
 * from Debian when the test runs as root on a Debian-like system (as in CI), else reported in one
 * line saying how to install them, for the test to skip with.
 *
 * @example
 * ```ts
 * import { hostTool } from "@quiesce/testing/host-tools";
 * const kubectl = hostTool({ name: "kubectl", command: "kubectl", args: ["version", "--client"], debianPackage: "kubernetes-client" });
 * describe.skipIf(!kubectl.available)("with kubectl", () => { … });
 * if (!kubectl.available) process.stdout.write(`${kubectl.reason}\n`);
 * ```
 * @packageDocumentation
 */
import { spawnSync } from "node:child_process";

/** How to find (and, as root, install) a tool. */
export interface HostToolSpec {
  /** What the skip line calls it. */
  name: string;
  /** The executable to check with (`kubectl`, `/usr/bin/python3`). */
  command: string;
  /** Arguments of a cheap check that exits 0 when the tool works (`["version", "--client"]`). */
  args?: readonly string[];
  /** The Debian package that provides it. */
  debianPackage: string;
}

/** A tool found (or installed), or why not. */
export type HostTool =
  | { available: true; command: string; installed: boolean }
  | { available: false; reason: string };

/** Tools already looked up in this process, so several suites do not install twice. */
const seen = new Map<string, HostTool>();

/** An install takes at most this long (apt-get update included). */
const INSTALL_TIMEOUT_MS = 10 * 60_000;

/**
 * Finds a tool by running its check; when it is missing, the process runs as root and `apt-get`
 * exists, installs `debianPackage` (non-interactively, running `apt-get update` first if the
 * package is unknown) and checks again. Otherwise `reason` is one line: what is missing and the
 * command that installs it.
 */
export function hostTool(spec: HostToolSpec): HostTool {
  const key = `${spec.command} ${spec.debianPackage}`;
  const known = seen.get(key);
  if (known) return known;
  const result = lookUp(spec);
  seen.set(key, result);
  return result;
}

function works(spec: HostToolSpec): boolean {
  const run = spawnSync(spec.command, [...(spec.args ?? [])], { stdio: "ignore", timeout: 60_000 });
  return run.status === 0;
}

function lookUp(spec: HostToolSpec): HostTool {
  if (works(spec)) return { available: true, command: spec.command, installed: false };
  const hint = `install it with: apt-get install ${spec.debianPackage}`;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const apt = spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
  if (!root || !apt) {
    return { available: false, reason: `${spec.name} not found (${spec.command}); ${hint}` };
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () =>
    // Suites in parallel processes may install at once: wait for dpkg's lock instead of failing.
    spawnSync(
      "apt-get",
      ["-o", "DPkg::Lock::Timeout=300", "install", "-y", "--no-install-recommends", spec.debianPackage],
      {
        stdio: "ignore",
        env,
        timeout: INSTALL_TIMEOUT_MS,
      },
    ).status === 0;
  let ok = install();
  if (!ok) {
    spawnSync("apt-get", ["-o", "DPkg::Lock::Timeout=300", "update"], {
      stdio: "ignore",
      env,
      timeout: INSTALL_TIMEOUT_MS,
    });
    ok = install();
  }
  if (ok && works(spec)) return { available: true, command: spec.command, installed: true };
  return {
    available: false,
    reason: `${spec.name} not found and apt-get install ${spec.debianPackage} failed; ${hint}`,
  };
}
