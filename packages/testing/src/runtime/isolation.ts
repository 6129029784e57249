/**
 * Container file systems for the process runtime: a container whose image matches an isolation
 * rule runs its processes in a private mount namespace, chrooted into a directory of its own where
 * the host's system directories are mounted read-only and each volume is mounted at its
 * `mountPath`. Absolute paths in its commands (`restic backup /var/log`, `restore --target /`) then
 * mean what they mean in a real container, and nothing is written to the host outside the local
 * cluster's directory. Path mapping for tests, not a security boundary.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve, sep } from "node:path";
import { ErrorCodes, QuiesceError } from "@quiesce/core";

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

// The set-up runs as root of the new mount namespace (real root, or mapped root of a user
// namespace): system directories read-only, /dev and /proc, the volumes, then chroot. Every step
// that fails stops it before the command runs, so a command never runs unmapped.
const SCRIPT = `set -eu
fail() { echo "quiesce local cluster (isolation): $*" >&2; exit 126; }
root=$1; cwd=$2; shift 2
mkdir -p "$root" || fail "cannot create $root"
for d in usr bin sbin lib lib32 lib64 libx32 etc; do
  if [ -L "/$d" ]; then
    # -n: never inside an existing link (another process of the container may be setting up too).
    [ -L "$root/$d" ] || ln -sn "$(readlink "/$d")" "$root/$d" 2>/dev/null || [ -L "$root/$d" ] || fail "cannot link /$d"
  elif [ -d "/$d" ]; then
    mkdir -p "$root/$d"
    mount --rbind "/$d" "$root/$d" || fail "cannot mount /$d"
    mount -o remount,bind,ro "$root/$d" 2>/dev/null || true
  fi
done
mkdir -p "$root/dev" "$root/proc" "$root/tmp"
chmod 1777 "$root/tmp"
mount --rbind /dev "$root/dev" || fail "cannot mount /dev"
mount --rbind /proc "$root/proc" || fail "cannot mount /proc"
while [ "$1" != "--" ]; do
  mode=$1; src=$2; dst=$root$3; shift 3
  if [ -d "$src" ]; then mkdir -p "$dst"; else mkdir -p "$(dirname "$dst")"; [ -e "$dst" ] || : >"$dst"; fi
  mount --bind "$src" "$dst" || fail "cannot mount $src at $dst"
  if [ "$mode" = ro ]; then mount -o remount,bind,ro "$dst" || fail "cannot make $dst read-only"; fi
done
shift
if [ -n "\${HOME:-}" ]; then mkdir -p "$root$HOME"; fi
exec chroot "$root" /bin/sh -c 'cd "$0" && exec "$@"' "$cwd" "$@"`;

/** True when this process runs as root (uid 0). */
function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
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
  return [
    "unshare",
    "--mount",
    "--propagation",
    "private",
    "--fork",
    "--kill-child",
    ...(isRoot() ? [] : ["--map-root-user"]),
    "sh",
    "-c",
    SCRIPT,
    "quiesce-isolate",
    rootfs,
    cwd,
    ...binds,
    "--",
    ...argv,
  ];
}

let availability: Promise<{ available: boolean; reason?: string }> | undefined;

/**
 * Whether isolated containers can run here (Linux with `unshare`, as root or with unprivileged user
 * namespaces). Checked once per process by isolating `true`.
 */
export function isolationAvailable(): Promise<{ available: boolean; reason?: string }> {
  availability ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), "quiesce-isolation-"));
    try {
      const argv = isolatedArgv(join(dir, "root"), "/", [], ["true"]);
      const [file, ...args] = argv;
      const { code, stderr } = await new Promise<{ code: number; stderr: string }>((done) => {
        let err = "";
        const child = spawn(file as string, args, { stdio: ["ignore", "ignore", "pipe"] });
        child.stderr.on("data", (c: Buffer) => {
          err += c.toString("utf8");
        });
        child.on("error", (e) => done({ code: 127, stderr: e.message }));
        child.on("close", (c) => done({ code: c ?? 1, stderr: err }));
      });
      if (code === 0) return { available: true };
      return {
        available: false,
        reason: `isolated containers need Linux mount namespaces (root, or unprivileged user namespaces): ${stderr.trim() || `exit ${code}`}`,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return availability;
}
