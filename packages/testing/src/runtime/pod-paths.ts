/**
 * Where a "container" of the process runtime finds its paths: its pod's root directory on the
 * host. A host process cannot be given its own filesystem view without privileges, so the runtime
 * points what it can at the pod root — the working directory, `HOME`, `TMPDIR`, and the command
 * line's absolute paths under the container's own directories — and leaves the rest of the host
 * visible.
 */
import { posix } from "node:path";
import type { ContainerInfo } from "./types.js";

/** The container paths that live in the pod root besides the volume mounts and the workingDir. */
export const POD_DIRECTORIES = ["/tmp", "/root"] as const;

/** The container's directories whose paths map into the pod root: /tmp, /root, mounts, workingDir. */
export function mappedPrefixes(container: ContainerInfo): string[] {
  const prefixes: string[] = [...POD_DIRECTORIES, ...container.mounts.map((m) => m.mountPath)];
  if (container.workingDir) prefixes.push(container.workingDir);
  return prefixes
    .map((p) => posix.normalize(p).replace(/\/+$/, ""))
    .filter((p) => p.startsWith("/") && p !== "");
}

/**
 * Maps the arguments (not the executable) that are absolute paths under one of the container's
 * directories into the pod root: relative to it when the process runs in the pod root itself (so
 * `tar cf - /tmp/x` still archives `tmp/x`, as in a container), else as a host path under it.
 * Other arguments — other absolute paths, paths inside `--flag=/x` or shell scripts — are left as
 * they are.
 */
export function mapArguments(
  argv: readonly string[],
  prefixes: readonly string[],
  root: string,
  cwd: string,
): string[] {
  return argv.map((arg, i) => {
    if (i === 0 || !arg.startsWith("/")) return arg;
    const path = posix.normalize(arg);
    const under = prefixes.some((p) => path === p || path.startsWith(`${p}/`));
    if (!under) return arg;
    const relative = path.replace(/^\/+/, "");
    return cwd === root ? relative : posix.join(root, relative);
  });
}

/**
 * The environment a pod's processes start with, before the host variables passed through and the
 * container's own: `HOME` (`<root>/root`), `TMPDIR` (`<root>/tmp`), `HOSTNAME` (the pod's name, as
 * container runtimes set it) and `QUIESCE_POD_ROOT`.
 */
export function podEnvironment(root: string, pod: string): Record<string, string> {
  return {
    HOME: posix.join(root, "root"),
    TMPDIR: posix.join(root, "tmp"),
    HOSTNAME: pod,
    QUIESCE_POD_ROOT: root,
  };
}
