import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LocalCluster } from "@quiesce/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hookTemplates } from "./test-support/hook-documents.js";
import { startShopCluster } from "./test-support/shop-cluster.js";

// The real executable in a child process, as a user runs it; Ctrl-C is a real SIGINT.
const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const cli = fileURLToPath(new URL("../cli.ts", import.meta.url));

let lc: LocalCluster;
let dir: string;
const execs: string[] = [];
// Whether the wrapped command had finished when each thaw ran.
const commandEndedAtThaw: boolean[] = [];

beforeAll(async () => {
  lc = await startShopCluster(async (ctx) => {
    execs.push(`${ctx.pod}: ${ctx.argv.join(" ")}`);
    if (ctx.argv.join(" ").includes("pg_backup_stop"))
      commandEndedAtThaw.push(existsSync(join(dir, "ended")));
    if (ctx.argv[0] === "sleep") {
      await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
      return { exitCode: 137 };
    }
    return { stdout: "ok\n" };
  });
  dir = mkdtempSync(join(tmpdir(), "quiesce-interrupt-"));
  writeFileSync(join(dir, "hooks.yaml"), hookTemplates("shop"));
  writeFileSync(
    join(dir, "blueprint.yaml"),
    `apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata: { name: slow }
actions:
  backup:
    phases:
      - { func: KubeExec, name: dump, args: { namespace: shop, pod: db-0, container: db, command: [sleep, "600"] } }
    deferPhase:
      func: KubeExec
      name: cleanup
      args: { namespace: shop, pod: db-0, container: db, command: [rm, -f, /tmp/dump] }
`,
  );
});
afterAll(async () => {
  await lc?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function runCli(args: string[], until: RegExp) {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", cli, ...args], {
    cwd: packageDir,
    env: { ...process.env, KUBECONFIG: lc.kubeconfigPath },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  const reached = new Promise<void>((resolve) => {
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      if (until.test(stderr)) resolve();
    });
  });
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  return { child, reached, exited, output: () => ({ stdout, stderr }) };
}

describe("Ctrl-C", () => {
  it("stops the wrapped command, runs the post hooks, and exits 130", async () => {
    const pidFile = join(dir, "command.pid");
    // The command takes a moment to stop on SIGTERM, as a real backup command would. Its pid file
    // appears once it handles SIGTERM (a signal before that would end it at once, unmarked).
    const script = `const fs = require("fs");
process.on("SIGTERM", () => setTimeout(() => { fs.writeFileSync(${JSON.stringify(join(dir, "ended"))}, ""); process.exit(143); }, 300));
fs.writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));
setTimeout(() => {}, 60000);`;
    const run = runCli(
      [
        "hooks",
        "-f",
        join(dir, "hooks.yaml"),
        "-n",
        "shop",
        "--pre",
        "freeze",
        "--post",
        "thaw",
        "--",
        process.execPath,
        "-e",
        script,
      ],
      /> command /,
    );
    await run.reached;
    while (!existsSync(pidFile)) await new Promise((r) => setTimeout(r, 10));
    execs.length = 0;
    run.child.kill("SIGINT");
    const code = await run.exited;
    const { stdout, stderr } = run.output();
    expect(code, stderr).toBe(130);
    expect(stderr).toContain("quiesce: interrupted by SIGINT: cancelling and running cleanup");
    // The thaw ran on both pods after the interrupt.
    expect(execs.sort()).toEqual([
      "db-0: /bin/sh -c psql -c 'select pg_backup_stop()'",
      "db-1: /bin/sh -c psql -c 'select pg_backup_stop()'",
    ]);
    expect(stdout).toMatch(/hooks session \S+: cancelled/);
    expect(stdout).toMatch(/ok {8}post thaw \[kubestash\] in shop/);
    // The thaw ran only once the wrapped command had stopped, and the CLI waited for (and reaped) it.
    expect(commandEndedAtThaw).toEqual([true, true]);
    const pid = Number(readFileSync(pidFile, "utf8"));
    expect(existsSync(`/proc/${pid}`)).toBe(false);
  }, 30_000);

  it("cancels a Blueprint action, runs its deferPhase, and exits 130", async () => {
    execs.length = 0;
    const run = runCli(
      ["run", join(dir, "blueprint.yaml"), "--action", "backup", "--subject", "namespace/shop"],
      /> phase dump/,
    );
    await run.reached;
    while (!execs.includes("db-0: sleep 600")) await new Promise((r) => setTimeout(r, 10));
    run.child.kill("SIGINT");
    const code = await run.exited;
    const { stdout, stderr } = run.output();
    expect(code, stderr).toBe(130);
    expect(execs).toEqual(["db-0: sleep 600", "db-0: rm -f /tmp/dump"]);
    expect(stdout).toMatch(/^action backup on Namespace shop: cancelled/);
    expect(stdout).toMatch(/ok {8}deferPhase cleanup \(KubeExec\)/);
  }, 30_000);
});
