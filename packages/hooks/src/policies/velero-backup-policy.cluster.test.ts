import { ErrorCodes } from "@quiesce/core";
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWithHooks } from "../lifecycle.js";
import type { StepTarget } from "../session/unit.js";
import { find } from "../test-support/function-hooks.js";
import { loadVeleroHooks } from "../velero/load.js";
import { resolveVeleroBackupHooks } from "../velero/resolve-backup.js";

// Velero's backup rules (pkg/backup/backup.go, internal/hook/item_hook_handler.go,
// internal/hook/hook_tracker.go, pkg/controller/backup_controller.go) on the local cluster.

let lc: LocalCluster;
const ran: string[] = [];
const failIn = new Set<string>();

async function waitForPhase(namespace: string, name: string, phases: string[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const pod = (await lc.cluster.selectPods(namespace)).find((p) => p.metadata?.name === name);
    if (phases.includes(pod?.status?.phase ?? "")) return;
    if (Date.now() > deadline) throw new Error(`${namespace}/${name} did not reach ${phases.join("/")}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function pod(namespace: string, name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels: { app: "db" } },
    spec: { containers: [{ name: "db", image: "db" }], ...extra },
  };
}

async function pods(namespace: string, names: string[]) {
  await lc.apply(names.map((n) => pod(namespace, n)));
  for (const n of names) await waitForPhase(namespace, n, ["Running"]);
}

function backup(namespace: string, pre: unknown[], post: unknown[] = []) {
  return loadVeleroHooks({
    apiVersion: "velero.io/v1",
    kind: "Backup",
    metadata: { name: "nightly", namespace: "velero" },
    spec: { hooks: { resources: [{ name: "db", includedNamespaces: [namespace], pre, post }] } },
  });
}

const exec = (command: string, onError?: "Fail" | "Continue") => ({
  exec: { command: [command], ...(onError ? { onError } : {}) },
});

beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: ["order", "cont", "batch", "phases", "posts", "stop", "slow", "sidecar", "deleting", "dupes"],
  });
  lc.runtime.onExec(
    { command: (argv) => ["freeze", "flush", "thaw", "log"].includes(argv[0] ?? "") },
    (ctx) => {
      ran.push(`${ctx.pod}:${ctx.argv[0]}`);
      return failIn.has(`${ctx.pod}:${ctx.argv[0]}`) ? { stderr: "cannot\n", exitCode: 1 } : {};
    },
  );
});
afterAll(() => lc.stop());

describe("Velero backup policy", () => {
  it("works pod by pod; a failed Fail pre hook leaves only that pod out, skips its later hooks and post hooks, and the backup ends PartiallyFailed", async () => {
    await pods("order", ["p1", "p2", "p3"]);
    failIn.add("p2:freeze");
    const velero = await resolveVeleroBackupHooks({
      cluster: lc.cluster,
      hooks: backup("order", [exec("freeze", "Fail"), exec("flush")], [exec("thaw")]),
    });
    ran.length = 0;
    const errors: string[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (m: string) => void errors.push(m) };
    const result = await runWithHooks(
      { cluster: lc.cluster, subject: velero.subject, hooks: velero, stepPer: "target", logger },
      async ({ target }) => {
        ran.push(`backup ${target?.name}${target?.excluded ? " (pod left out)" : ""}`);
      },
    );
    expect(ran).toEqual([
      "p1:freeze",
      "p1:flush",
      "backup p1",
      "p1:thaw",
      "p2:freeze",
      "backup p2 (pod left out)",
      "p3:freeze",
      "p3:flush",
      "backup p3",
      "p3:thaw",
    ]);
    expect(result).toMatchObject({
      outcome: "partiallyFailed",
      decidedBy: "partially-failed",
      error: { code: ErrorCodes.EXEC_NONZERO_EXIT },
      // The not-run flush of p2 counts as attempted (hookTracker.Add), its post hook not at all.
      hookStatus: { hooksAttempted: 8, hooksFailed: 1 },
      namespaces: ["order"],
    });
    expect(find(result.hooks, "order/p2 db.pre[1]")).toMatchObject({
      kind: "velero",
      status: "skipped",
      skippedBecause: "earlier-hook-failed",
    });
    expect(find(result.hooks, "order/p2 db.post[0]")).toMatchObject({
      status: "skipped",
      skippedBecause: "pre-hook-failed",
    });
    // Velero logs the failure as an error, which is what makes its backup PartiallyFailed.
    expect(errors).toEqual([expect.stringContaining("Error executing hook order/p2 db.pre[0]")]);
    expect(result.step.targets?.map((t) => [t.name, t.excluded, t.status])).toEqual([
      ["p1", false, "succeeded"],
      ["p2", true, "succeeded"],
      ["p3", false, "succeeded"],
    ]);
  });

  // Velero requires no distinct rule names; internal/hook/hook_tracker.go keys a hook by pod,
  // source, container as written, phase, rule name and index — Add counts a key once, Record keeps
  // the first result of a key.
  it("runs the hooks of two rules of one name, counting them as Velero's hook tracker does", async () => {
    await pods("dupes", ["d1"]);
    failIn.add("d1:flush");
    const rule = (pre: unknown[]) => ({ name: "db", includedNamespaces: ["dupes"], pre });
    const hooks = loadVeleroHooks({
      apiVersion: "velero.io/v1",
      kind: "Backup",
      metadata: { name: "nightly", namespace: "velero" },
      spec: {
        hooks: {
          resources: [
            rule([exec("freeze"), exec("log")]),
            rule([exec("flush"), { exec: { container: "db", command: ["log"] } }]),
          ],
        },
      },
    });
    const velero = await resolveVeleroBackupHooks({ cluster: lc.cluster, hooks });
    expect(velero.pre.map((h) => h.name)).toEqual([
      "dupes/d1 db.pre[0]",
      "dupes/d1 db.pre[1]",
      "dupes/d1 db.pre[0] #2",
      "dupes/d1 db.pre[1] #2",
    ]);
    ran.length = 0;
    const result = await runWithHooks({ cluster: lc.cluster, hooks: velero }, async () => {});
    expect(ran).toEqual(["d1:freeze", "d1:log", "d1:flush", "d1:log"]);
    // freeze and flush share a key (no container written, index 0): counted once, freeze's success
    // recorded; the two log hooks differ in the container as written.
    expect(result).toMatchObject({
      outcome: "partiallyFailed",
      hookStatus: { hooksAttempted: 3, hooksFailed: 0 },
    });
    expect(find(result.hooks, "dupes/d1 db.pre[0] #2").status).toBe("failed");
  });

  it("onError unset behaves like Continue: the failure is recorded, the pod's next hooks run, PartiallyFailed", async () => {
    await pods("cont", ["c1"]);
    failIn.add("c1:freeze");
    const velero = await resolveVeleroBackupHooks({
      cluster: lc.cluster,
      hooks: backup("cont", [exec("freeze"), exec("flush", "Continue")], [exec("thaw")]),
    });
    ran.length = 0;
    let targets: readonly StepTarget[] | undefined;
    const result = await runWithHooks({ cluster: lc.cluster, hooks: velero }, async (ctx) => {
      targets = ctx.targets;
    });
    expect(velero.planned[0]?.onError).toBeUndefined();
    expect(ran).toEqual(["c1:freeze", "c1:flush", "c1:thaw"]);
    expect(targets).toEqual([{ kind: "Pod", namespace: "cont", name: "c1", excluded: false }]);
    expect(result).toMatchObject({
      outcome: "partiallyFailed",
      hookStatus: { hooksAttempted: 3, hooksFailed: 1 },
    });
  });

  it("with one step for the whole backup, the step learns which pods Velero would leave out", async () => {
    await pods("batch", ["b1", "b2"]);
    failIn.add("b1:freeze");
    const velero = await resolveVeleroBackupHooks({
      cluster: lc.cluster,
      hooks: backup("batch", [exec("freeze", "Fail")], [exec("thaw")]),
    });
    ran.length = 0;
    const result = await runWithHooks({ cluster: lc.cluster, hooks: velero }, async (ctx) => {
      ran.push(`backup ${ctx.targets?.map((t) => `${t.name}${t.excluded ? "-" : "+"}`).join(" ")}`);
    });
    expect(ran).toEqual(["b1:freeze", "b2:freeze", "backup b1- b2+", "b2:thaw"]);
    expect(result.outcome).toBe("partiallyFailed");
  });

  it("tries the exec on pods that are not running (a Pending pod's hook fails) and counts a finished pod's hook as done without running it", async () => {
    lc.runtime.onRun(
      { container: "gate" },
      (ctx) => new Promise((done) => ctx.signal.addEventListener("abort", () => done({}))),
    );
    lc.runtime.onRun({ container: "once" }, () => ({}));
    await lc.apply([
      pod("phases", "pending", { initContainers: [{ name: "gate", image: "busybox" }] }),
      pod("phases", "done", { restartPolicy: "Never", containers: [{ name: "once", image: "job" }] }),
    ]);
    await waitForPhase("phases", "pending", ["Pending"]);
    await waitForPhase("phases", "done", ["Succeeded"]);
    const velero = await resolveVeleroBackupHooks({
      cluster: lc.cluster,
      hooks: backup("phases", [exec("log", "Fail")]),
    });
    expect(velero.planned.map((p) => `${p.pod} ${p.container}`)).toEqual(["done once", "pending db"]);
    ran.length = 0;
    const result = await runWithHooks({ cluster: lc.cluster, hooks: velero }, async () => {});
    expect(ran).toEqual([]);
    expect(find(result.hooks, "phases/done db.pre[0]")).toMatchObject({
      status: "succeeded",
      outputs: { notRun: "pod phases/done is Succeeded: Velero runs no exec hook in it" },
    });
    expect(find(result.hooks, "phases/pending db.pre[0]").status).toBe("failed");
    expect(result).toMatchObject({
      outcome: "partiallyFailed",
      hookStatus: { hooksAttempted: 2, hooksFailed: 1 },
    });
  });

  it("a failed Fail post hook stops that pod's later post hooks; they count as attempted", async () => {
    await pods("posts", ["q1"]);
    failIn.add("q1:thaw");
    const velero = await resolveVeleroBackupHooks({
      cluster: lc.cluster,
      hooks: backup("posts", [], [exec("thaw", "Fail"), exec("log")]),
    });
    ran.length = 0;
    const result = await runWithHooks({ cluster: lc.cluster, hooks: velero }, async () => {});
    expect(ran).toEqual(["q1:thaw"]);
    expect(find(result.hooks, "posts/q1 db.post[1]").skippedBecause).toBe("earlier-hook-failed");
    expect(result.hookStatus).toEqual({ hooksAttempted: 2, hooksFailed: 1 });
  });

  it("a cancelled per-pod backup still runs the post hooks of pods whose pre hooks ran, and nothing for pods not reached", async () => {
    await pods("stop", ["s1", "s2"]);
    const velero = await resolveVeleroBackupHooks({
      cluster: lc.cluster,
      hooks: backup("stop", [exec("freeze")], [exec("thaw")]),
    });
    const controller = new AbortController();
    ran.length = 0;
    const result = await runWithHooks(
      { cluster: lc.cluster, hooks: velero, stepPer: "target", signal: controller.signal },
      async () => {
        controller.abort(new Error("operator cancelled"));
      },
    );
    expect(ran).toEqual(["s1:freeze", "s1:thaw"]);
    expect(result.outcome).toBe("cancelled");
    expect(find(result.hooks, "stop/s2 db.pre[0]").skippedBecause).toBe("cancelled");
    expect(find(result.hooks, "stop/s2 db.post[0]").skippedBecause).toBe("cancelled");
  });

  it("bounds a hook by its timeout and reports the command as possibly still running", async () => {
    lc.runtime.onExec(
      { command: "hang" },
      (ctx) => new Promise((r) => ctx.signal.addEventListener("abort", () => r({}))),
    );
    await lc.apply(
      pod("slow", "h1", {
        containers: [
          { name: "db", image: "db" },
          { name: "side", image: "side" },
        ],
      }),
    );
    await waitForPhase("slow", "h1", ["Running"]);
    const velero = await resolveVeleroBackupHooks({
      cluster: lc.cluster,
      hooks: backup("slow", [{ exec: { container: "side", command: ["hang"], timeout: "200ms" } }]),
    });
    const result = await runWithHooks({ cluster: lc.cluster, hooks: velero }, async () => {});
    expect(result.outcome).toBe("partiallyFailed");
    expect(result.hooks[0]?.error?.code).toBe(ErrorCodes.TIMEOUT);
    expect(result.hooks[0]?.targets[0]).toMatchObject({ name: "h1/side", possiblyStillRunning: true });
  });

  // pkg/podexec ensureContainerExists: a main container, or a sidecar (an init container with
  // restartPolicy Always); anything else fails the hook with "no such container".
  it("runs hooks in a sidecar; a hook naming an init container or an unknown one fails as no such container, under its onError", async () => {
    await lc.apply(
      pod("sidecar", "sc1", {
        initContainers: [
          { name: "proxy", image: "proxy", restartPolicy: "Always" },
          { name: "setup", image: "setup" },
        ],
      }),
    );
    await waitForPhase("sidecar", "sc1", ["Running"]);
    const velero = await resolveVeleroBackupHooks({
      cluster: lc.cluster,
      hooks: backup("sidecar", [
        { exec: { container: "proxy", command: ["log"] } },
        { exec: { container: "setup", command: ["log"], onError: "Continue" } },
        { exec: { container: "nope", command: ["log"], onError: "Fail" } },
        exec("freeze"),
      ]),
    });
    ran.length = 0;
    const result = await runWithHooks({ cluster: lc.cluster, hooks: velero }, async () => {});
    expect(ran).toEqual(["sc1:log"]);
    expect(result.hooks.map((h) => [h.name, h.status, h.error?.code ?? h.skippedBecause])).toEqual([
      ["sidecar/sc1 db.pre[0]", "succeeded", undefined],
      ["sidecar/sc1 db.pre[1]", "failed", "QUIESCE_VELERO_NO_SUCH_CONTAINER"],
      ["sidecar/sc1 db.pre[2]", "failed", "QUIESCE_VELERO_NO_SUCH_CONTAINER"],
      ["sidecar/sc1 db.pre[3]", "skipped", "earlier-hook-failed"],
    ]);
    expect(result.hooks[1]?.error?.message).toBe('no such container: "setup" in pod sidecar/sc1');
    expect(result).toMatchObject({
      outcome: "partiallyFailed",
      hookStatus: { hooksAttempted: 4, hooksFailed: 2 },
    });
  });

  // pkg/backup/item_backupper.go itemInclusionChecks: "Skipping item because it's being deleted."
  it("gives a pod that is being deleted no hooks: Velero leaves it out of the backup", async () => {
    await lc.apply([
      {
        ...pod("deleting", "gone"),
        metadata: { ...pod("deleting", "gone").metadata, finalizers: ["example.com/hold"] },
      },
      pod("deleting", "live"),
    ]);
    await waitForPhase("deleting", "gone", ["Running"]);
    await waitForPhase("deleting", "live", ["Running"]);
    await lc.cluster.delete({ version: "v1", resource: "pods", namespace: "deleting", name: "gone" });
    const velero = await resolveVeleroBackupHooks({
      cluster: lc.cluster,
      hooks: backup("deleting", [exec("freeze")]),
    });
    expect(velero.pre.map((h) => h.name)).toEqual(["deleting/live db.pre[0]"]);
    expect(velero.skipped).toEqual([
      { namespace: "deleting", pod: "gone", reason: "being deleted: Velero skips the pod and its hooks" },
    ]);
  });

  it("a Backup whose resources exclude pods runs no hooks; Velero hooks cannot share a session with other hooks", async () => {
    const noPods = loadVeleroHooks({
      apiVersion: "velero.io/v1",
      kind: "Backup",
      spec: {
        includedResources: ["deployments"],
        hooks: { resources: [{ name: "db", includedNamespaces: ["order"], pre: [exec("freeze")] }] },
      },
    });
    expect((await resolveVeleroBackupHooks({ cluster: lc.cluster, hooks: noPods })).pre).toEqual([]);
    const velero = await resolveVeleroBackupHooks({
      cluster: lc.cluster,
      hooks: backup("order", [exec("freeze")]),
    });
    await expect(
      runWithHooks(
        { cluster: lc.cluster, hooks: { pre: [...velero.pre, { name: "other", run: async () => {} }] } },
        async () => {},
      ),
    ).rejects.toThrow("cannot share a session with other hooks");
  });
});
