/**
 * Container file systems for the process runtime: a container whose image matches an isolation
 * rule runs its processes in a private mount namespace, chrooted into a directory of its own where
 * the host's system directories are mounted read-only and each volume is mounted at its
 * `mountPath`. Absolute paths in its commands (`restic backup /var/log`, `restore --target /`) then
 * mean what they mean in a real container, and nothing is written to the host outside the local
 * cluster's directory. Path mapping for tests, not a security boundary.
 */
import { resolve, sep } from "node:path";
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { unshareArgv } from "./isolation-probe.js";

export { isolationAvailable } from "./isolation-probe.js";

/** Containers to give their own file system, and what their "image" carries. */
export interface IsolationRule {
  /**
   * Matches the container's image like a handler's `image`: a string matches the whole image, the
   * image without tag, or its last path segment (`"kanister-tools"`); a RegExp is tested on the image.
   */
  image: string | RegExp;
  /** Environment of every process of such a container (e.g. `SSL_CERT_FILE` naming a test CA). */
  env?: Readonly<Record<string, string>>;
  /** Host files or directories made visible read-only at the same path inside (e.g. that CA file). */
  hostPaths?: readonly string[];
}

/** One bind mount inside an isolated container. */
export interface IsolatedMount {
  /** The host directory or file. */
  source: string;
  /** The absolute path inside the container. */
  target: string;
  readOnly: boolean;
}

/** `target` (an absolute container path) inside `root`; a path climbing out of it is refused. */
function inside(root: string, target: string): string {
  const resolved = resolve(root, `.${sep}${target.replace(/^\/+/, "")}`);
  if (resolved !== root && !resolved.startsWith(`${root}${sep}`)) {
    throw new QuiesceError(ErrorCodes.VALIDATION, `mount path "${target}" leaves the container's root`, {
      details: { path: target },
    });
  }
  return resolved;
}

/**
 * The argv that runs `argv` isolated: `unshare` (a private mount namespace; a user namespace too
 * when not root) running the set-up script, which chroots into `rootfs` and starts `argv` in `cwd`.
 */
export function isolatedArgv(
  rootfs: string,
  cwd: string,
  mounts: readonly IsolatedMount[],
  argv: readonly string[],
): string[] {
  const binds: string[] = [];
  for (const mount of mounts) {
    inside(rootfs, mount.target);
    binds.push(mount.readOnly ? "ro" : "rw", mount.source, `/${mount.target.replace(/^\/+/, "")}`);
  }
  inside(rootfs, cwd);
  return unshareArgv(rootfs, cwd, binds, argv);
}
