/**
 * Where a "container" of the process runtime finds its paths: its pod's root directory on the
 * host. A host process cannot be given its own filesystem view without privileges, so the runtime
 * points what it can at the pod root — the working directory, `HOME`, `TMPDIR`, and the command
 * line's absolute paths of the pod's own files — and leaves the rest of the host visible.
 */
import { existsSync } from "node:fs";
import { posix } from "node:path";
import type { ContainerInfo } from "./types.js";

/** The container paths that live in the pod root besides the volume mounts and the workingDir. */
export const POD_DIRECTORIES = ["/tmp", "/root"] as const;

/** The container's directories whose paths may map into the pod root. */
export interface PodDirectories {
  /** Volume mount paths: a volume hides what the host has there, so their paths always map. */
  mounts: string[];
  /**
   * `/tmp`, `/root` and the workingDir: the pod's own files there lie over the host's, which stay
   * visible where the pod has nothing (see {@link mapArguments}).
   */
  overlays: string[];
}

const clean = (paths: readonly string[]) =>
  paths.map((p) => posix.normalize(p).replace(/\/+$/, "")).filter((p) => p.startsWith("/") && p !== "");

/** The container's directories whose paths map into the pod root: its mounts, /tmp, /root, workingDir. */
export function podDirectories(container: ContainerInfo): PodDirectories {
  return {
    mounts: clean(container.mounts.map((m) => m.mountPath)),
    overlays: clean([...POD_DIRECTORIES, ...(container.workingDir ? [container.workingDir] : [])]),
  };
}

/**
 * Maps the arguments (not the executable) that are absolute paths of the pod's own files into the
 * pod root: relative to it when the process runs in the pod root itself (so `tar cf - /tmp/x`
 * still archives `tmp/x`, as in a container), else as a host path under it.
 *
 * A path under a volume mount is always the pod's. A path under `/tmp`, `/root` or the workingDir
 * is the pod's unless the host has it and the pod does not: the deepest existing part of the path
 * decides, the pod root's copy first. So `/tmp/x` the pod wrote, or `/tmp/new` nobody has yet, is
 * the pod's (`kubectl cp` lands there), while a host file the container is meant to run — a script
 * in a checkout under `/tmp` or `/root` — keeps its host path, as an image's files would. Other
 * arguments — other absolute paths, paths inside `--flag=/x` or shell scripts — are left as they are.
 */
export function mapArguments(
  argv: readonly string[],
  directories: PodDirectories,
  root: string,
  cwd: string,
  exists: (path: string) => boolean = existsSync,
): string[] {
  return argv.map((arg, i) => {
    if (i === 0 || !arg.startsWith("/")) return arg;
    const path = posix.normalize(arg);
    const under = (p: string) => path === p || path.startsWith(`${p}/`);
    const mapped =
      directories.mounts.some(under) || (directories.overlays.some(under) && podOwns(path, root, exists));
    if (!mapped) return arg;
    const relative = path.replace(/^\/+/, "");
    return cwd === root ? relative : posix.join(root, relative);
  });
}

/** Whether the deepest part of `path` that exists anywhere exists in the pod root (or nothing does). */
function podOwns(path: string, root: string, exists: (path: string) => boolean): boolean {
  for (let p = path; ; p = posix.dirname(p)) {
    if (exists(posix.join(root, p))) return true;
    if (exists(p)) return false;
    if (p === "/") return true;
  }
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
