/**
 * The command line that runs a process in a container file system of its own (a private mount
 * namespace, chrooted), and the check whether this machine can do it. Imports nothing from the
 * workspace's packages: the test configuration asks {@link isolationAvailable} before any package
 * is built.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

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

/**
 * The argv that runs `argv` isolated: `unshare` (a private mount namespace; a user namespace too
 * when not root) running the set-up script, which chroots into `rootfs`, bind-mounts `binds`
 * (triples of `ro|rw`, host source, container target) and starts `argv` in `cwd`. The caller has
 * checked that every target and `cwd` stay inside `rootfs`.
 */
export function unshareArgv(
  rootfs: string,
  cwd: string,
  binds: readonly string[],
  argv: readonly string[],
): string[] {
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
      const argv = unshareArgv(join(dir, "root"), "/", [], ["true"]);
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
