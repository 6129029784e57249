/**
 * Crash recovery for real: `quiesce hooks` and `quiesce run` run in child processes against the
 * local cluster (through a kubeconfig) and are killed with SIGKILL after the freeze; `quiesce
 * recover`, in other child processes, runs the owed cleanup. Every exec is answered — and counted —
 * by this test process, so "exactly once" is counted where the thaw lands.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LocalCluster } from "@quiesce/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hookTemplates } from "./test-support/hook-documents.js";
import { startShopCluster } from "./test-support/shop-cluster.js";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const cli = fileURLToPath(new URL("../cli.ts", import.meta.url));
const LEASE = "2s";

/** A Blueprint that locks, dumps (a command that runs until it is cut) and unlocks in its deferPhase. */
const lockDumpUnlock = (name: string, unlock: string) => `apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata: { name: ${name} }
actions:
  backup:
    phases:
      - { func: KubeExec, name: lock, args: { namespace: shop, pod: db-0, container: db, command: [lock-tables] } }
      - { func: KubeExec, name: dump, args: { namespace: shop, pod: db-0, container: db, command: [sleep, "600"] } }
    deferPhase:
      func: KubeExec
      name: unlock
      args: { namespace: shop, pod: db-0, container: db, command: ${unlock} }
`;

let lc: LocalCluster;
let dir: string;
const execs: string[] = [];
// A command that blocks until its exec is cut (the process that asked for it died) or released.
let stalls = 0;
let stallReleased = false;

beforeAll(async () => {
  lc = await startShopCluster(async (ctx) => {
    const line = ctx.argv.join(" ");
    execs.push(`${ctx.pod}: ${line}`);
    if (line === "sleep 600" || (line.includes("stall") && !stallReleased)) {
      if (line.includes("stall")) stalls++;
      await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
      return { exitCode: 137 };
    }
    return { stdout: "ok\n" };
  });
  dir = mkdtempSync(join(tmpdir(), "quiesce-recover-"));
  writeFileSync(
    join(dir, "hooks.yaml"),
    `${hookTemplates("shop")}---
apiVersion: core.kubestash.com/v1alpha1
kind: HookTemplate
metadata: { name: notify, namespace: shop }
spec:
  action: { exec: { command: ["/bin/sh", "-c", "stall-then-notify"] }, containerName: db }
  executor: { type: Pod, pod: { selector: "app=db", strategy: ExecuteOnOne } }
`,
  );
  writeFileSync(
    join(dir, "blueprint.yaml"),
    lockDumpUnlock("dumper", '[unlock-tables, "{{ .Options.who }}"]'),
  );
  writeFileSync(join(dir, "blueprint-stall.yaml"), lockDumpUnlock("staller", "[stall-then-unlock]"));
});
afterEach(async () => {
  stallReleased = false;
  stalls = 0;
  execs.length = 0;
  for (const ref of [
    { version: "v1", resource: "configmaps", namespace: "shop" },
    { group: "coordination.k8s.io", version: "v1", resource: "leases", namespace: "shop" },
  ]) {
    const { items } = await lc.cluster.list(ref, { labelSelector: "quiesce.dev/session" });
    for (const o of items) await lc.cluster.delete({ ...ref, name: o.metadata?.name ?? "" }).catch(() => {});
  }
});
afterAll(async () => {
  await lc?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The CLI in a process group of its own (so SIGKILL takes what it started too). */
function quiesce(args: string[]) {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", cli, ...args], {
    cwd: packageDir,
    env: { ...process.env, KUBECONFIG: lc.kubeconfigPath },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

const kill = (child: ChildProcess) => process.kill(-(child.pid as number), "SIGKILL");

async function until(what: string, test: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; execs: ${execs.join(", ")}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const count = (line: string) => execs.filter((e) => e === line).length;
const THAW = "/bin/sh -c psql -c 'select pg_backup_stop()'";
const FREEZE = "/bin/sh -c psql -c 'select pg_backup_start(1)'";

/** A `quiesce hooks` session killed with SIGKILL once both pods are frozen and its command runs. */
async function crashedHooksSession(post: string[]) {
  const host = quiesce([
    "hooks",
    ...["-f", join(dir, "hooks.yaml"), "-n", "shop", "--pre", "freeze"],
    ...post.flatMap((p) => ["--post", p]),
    ...["--lease-duration", LEASE, "--", process.execPath, "-e", "setTimeout(() => {}, 600000)"],
  ]);
  await until(
    "the freeze and the command",
    () => count(`db-0: ${FREEZE}`) === 1 && /> command/.test(host.output().stderr),
  );
  kill(host.child);
  expect(await host.exited).toBe(null);
  expect(count(`db-0: ${THAW}`)).toBe(0); // nobody thawed: the host died
}

async function sessionObjects(): Promise<number> {
  const cms = await lc.cluster.list(
    { version: "v1", resource: "configmaps", namespace: "shop" },
    { labelSelector: "quiesce.dev/session" },
  );
  const leases = await lc.cluster.list(
    { group: "coordination.k8s.io", version: "v1", resource: "leases", namespace: "shop" },
    { labelSelector: "quiesce.dev/session" },
  );
  return cms.items.length + leases.items.length;
}

describe("a host killed after the freeze", () => {
  it("leaves its thaw to quiesce recover, which runs it exactly once on every frozen pod", async () => {
    await crashedHooksSession(["thaw"]);
    const recover = quiesce(["recover", "-n", "shop", "--lease-duration", LEASE]);
    const code = await recover.exited;
    const { stdout, stderr } = recover.output();
    expect(code, stderr).toBe(0);
    expect(count(`db-0: ${THAW}`)).toBe(1);
    expect(count(`db-1: ${THAW}`)).toBe(1);
    expect(count(`db-0: ${FREEZE}`)).toBe(1); // the freeze is not repeated
    expect(stderr).toMatch(/watching 1 held session Lease for/);
    expect(stdout).toMatch(/1 session recovered/);
    expect(stdout).toMatch(/: hooks \S+, held by \S+: cleanup completed/);
    expect(stdout).toMatch(/ok {8}post thaw \[kubestash\] in shop/);
    expect(await sessionObjects()).toBe(0);
    // Nothing is owed any more: a second recovery finds nothing and runs nothing.
    const again = quiesce(["recover", "-n", "shop"]);
    expect(await again.exited).toBe(0);
    expect(again.output().stdout).toMatch(/0 sessions recovered, 0 left alone/);
    expect(count(`db-0: ${THAW}`)).toBe(1);
  }, 60_000);

  it("is recovered by exactly one of two recoverers racing for it", async () => {
    await crashedHooksSession(["thaw"]);
    const racers = [quiesce(["recover", "-n", "shop"]), quiesce(["recover", "-n", "shop"])];
    const codes = await Promise.all(racers.map((r) => r.exited));
    expect(codes).toEqual([0, 0]);
    const outputs = racers.map((r) => r.output().stdout);
    expect(outputs.filter((o) => /1 session recovered/.test(o))).toHaveLength(1);
    // The other saw the Lease change hands, or the session already gone, when it looked again — or,
    // started late on a loaded machine, found nothing left to recover.
    expect(
      outputs.filter(
        (o) =>
          (/0 sessions recovered, 1 left alone/.test(o) && /: (taken|finished)/.test(o)) ||
          /0 sessions recovered, 0 left alone/.test(o),
      ),
    ).toHaveLength(1);
    expect(count(`db-0: ${THAW}`)).toBe(1);
    expect(count(`db-1: ${THAW}`)).toBe(1);
    expect(await sessionObjects()).toBe(0);
  }, 60_000);

  it("is resumed after the recoverer is killed too, without running again what completed", async () => {
    await crashedHooksSession(["thaw", "notify"]);
    const first = quiesce(["recover", "-n", "shop", "--lease-duration", LEASE]);
    await until("the first recoverer's second hook", () => stalls === 1);
    expect(count(`db-0: ${THAW}`)).toBe(1);
    kill(first.child);
    await first.exited;
    stallReleased = true;
    const second = quiesce(["recover", "-n", "shop", "--lease-duration", LEASE]);
    const code = await second.exited;
    const { stdout, stderr } = second.output();
    expect(code, stderr).toBe(0);
    // The thaw completed under the first recoverer: not run again. The hook it was running when it
    // died is run again (it may have run).
    expect(count(`db-0: ${THAW}`)).toBe(1);
    expect(count(`db-1: ${THAW}`)).toBe(1);
    expect(execs.filter((e) => e.endsWith("stall-then-notify"))).toHaveLength(2);
    expect(stdout).toMatch(/skipped +post thaw \[kubestash\] in shop .*\(already-succeeded\)/);
    expect(stdout).toMatch(/ok {8}post notify \[kubestash\] in shop/);
    expect(await sessionObjects()).toBe(0);
  }, 60_000);
});

describe("a Blueprint action killed mid-phase", () => {
  it("leaves its deferPhase to quiesce recover, which runs it once with the action's options", async () => {
    const host = quiesce([
      "run",
      join(dir, "blueprint.yaml"),
      ...["--action", "backup", "--subject", "namespace/shop", "--option", "who=nightly"],
      ...["--lease-duration", LEASE],
    ]);
    await until("the dump phase", () => execs.includes("db-0: sleep 600"));
    kill(host.child);
    await host.exited;
    expect(execs).toEqual(["db-0: lock-tables", "db-0: sleep 600"]);
    const recover = quiesce(["recover", "-n", "shop", "-o", "json"]);
    const code = await recover.exited;
    const { stdout, stderr } = recover.output();
    expect(code, stderr).toBe(0);
    expect(execs).toEqual(["db-0: lock-tables", "db-0: sleep 600", "db-0: unlock-tables nightly"]);
    const report = JSON.parse(stdout) as { recovered: Array<Record<string, unknown>> };
    expect(report.recovered).toEqual([
      expect.objectContaining({
        kind: "blueprint-action",
        operation: "backup",
        cleanup: "completed",
        action: expect.objectContaining({
          phases: [
            expect.objectContaining({ name: "lock", status: "succeeded" }),
            expect.objectContaining({
              name: "dump",
              status: "failed",
              error: expect.objectContaining({ code: "QUIESCE_SESSION_HOST_LOST" }),
            }),
          ],
          deferPhase: expect.objectContaining({ name: "unlock", status: "succeeded" }),
        }),
      }),
    ]);
    expect(await sessionObjects()).toBe(0);
  }, 60_000);

  it("is resumed after its recoverer is killed in the deferPhase, by exactly one of two recoverers racing", async () => {
    const host = quiesce([
      "run",
      join(dir, "blueprint-stall.yaml"),
      ...["--action", "backup", "--subject", "namespace/shop", "--lease-duration", LEASE],
    ]);
    await until("the dump phase", () => execs.includes("db-0: sleep 600"));
    kill(host.child);
    await host.exited;
    const first = quiesce(["recover", "-n", "shop", "--lease-duration", LEASE]);
    await until("the first recoverer's deferPhase", () => stalls === 1);
    kill(first.child);
    await first.exited;
    stallReleased = true;
    const racers = [
      quiesce(["recover", "-n", "shop", "-o", "json"]),
      quiesce(["recover", "-n", "shop", "-o", "json"]),
    ];
    const codes = await Promise.all(racers.map((r) => r.exited));
    expect(codes, racers.map((r) => r.output().stderr).join("\n")).toEqual([0, 0]);
    const reports = racers.map(
      (r) =>
        JSON.parse(r.output().stdout) as {
          recovered: Array<Record<string, unknown>>;
          skipped: Array<{ reason: string }>;
        },
    );
    const winners = reports.filter((r) => r.recovered.length === 1);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.recovered[0]).toEqual(
      expect.objectContaining({
        kind: "blueprint-action",
        cleanup: "completed",
        action: expect.objectContaining({
          deferPhase: expect.objectContaining({ name: "unlock", status: "succeeded" }),
        }),
      }),
    );
    // The other saw the Lease change hands, or the session already gone, when it looked again — or,
    // started late on a loaded machine, found nothing left to recover.
    expect(
      reports.filter(
        (r) =>
          r.recovered.length === 0 &&
          (r.skipped.length === 0 || /^(taken|finished)$/.test(r.skipped[0]?.reason ?? "")),
      ),
    ).toHaveLength(1);
    // The phases that ran under the host never run again; the deferPhase the first recoverer was
    // running when it died runs once more (it may have run), under one recoverer only.
    expect(execs).toEqual([
      "db-0: lock-tables",
      "db-0: sleep 600",
      "db-0: stall-then-unlock",
      "db-0: stall-then-unlock",
    ]);
    expect(await sessionObjects()).toBe(0);
  }, 60_000);
});
