/**
 * Host tools that some tests drive for real (restic): found on PATH, installed from Debian's
 * packages when the tests run as root (as CI does), otherwise reported with one line saying how to
 * install them, for the caller to skip on.
 */
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** Whether a tool can be used, where it is, and otherwise why not. */
export interface ToolCheck {
  available: boolean;
  /** The executable's path when available. */
  path?: string;
  /** When not available: one line saying what is missing and how to install it. */
  reason?: string;
  /** True when this call installed it. */
  installed?: boolean;
}

/** The first executable named `command` on PATH. */
export function findOnPath(command: string, path = process.env.PATH ?? ""): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

function run(argv: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const [file, ...args] = argv as [string, ...string[]];
    let output = "";
    const child = spawn(file, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    const keep = (c: Buffer) => {
      output = (output + c.toString("utf8")).slice(-4096);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (err) => resolve({ code: 127, output: err.message }));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

const checks = new Map<string, Promise<ToolCheck>>();

/**
 * Makes sure the Debian tool `command` (from package `pkg`) is there: on PATH already, or installed
 * with `apt-get install -y <pkg>` when this process runs as root (an `apt-get update` first if the
 * package is not known yet; concurrent installs wait for dpkg's lock). Resolves `{ available: false,
 * reason }` otherwise — a test file then skips with that one line. Checked once per process.
 *
 * @example
 * ```ts
 * const restic = await ensureDebianTool("restic");
 * describe.skipIf(!restic.available)(restic.reason ?? "restic", () => { … });
 * ```
 */
export function ensureDebianTool(command: string, pkg = command): Promise<ToolCheck> {
  const key = `${command}\0${pkg}`;
  let check = checks.get(key);
  if (!check) {
    check = install(command, pkg);
    checks.set(key, check);
  }
  return check;
}

async function install(command: string, pkg: string): Promise<ToolCheck> {
  const found = findOnPath(command);
  if (found) return { available: true, path: found };
  const how = `${command} not found on PATH: install it with \`apt-get install -y ${pkg}\` (the tests install it themselves when run as root)`;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (!root || !findOnPath("apt-get")) return { available: false, reason: how };
  const apt = ["apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "--no-install-recommends", pkg];
  let result = await run(apt);
  if (result.code !== 0) {
    await run(["apt-get", "-o", "DPkg::Lock::Timeout=300", "update"]);
    result = await run(apt);
  }
  const path = findOnPath(command);
  if (path) return { available: true, path, installed: true };
  const tail = result.output.trim().split("\n").pop() ?? "";
  return { available: false, reason: `${how}; apt-get failed: ${tail}` };
}
