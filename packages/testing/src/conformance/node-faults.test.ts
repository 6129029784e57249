/**
 * A lost node, deletions that stick in Terminating, and watch events duplicated or reordered: what
 * the local cluster does under these faults, and what the client-node adapter reports.
 */
import { connect, type LeakedObject } from "@quiesce/kube";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type LocalCluster, startLocalCluster } from "../index.js";
import { expectCode } from "./cases/expect-error.js";

let lc: LocalCluster;
const ns = "nodes";
const PODS = { version: "v1", resource: "pods", namespace: ns } as const;
const phaseOf = (p: unknown) => (p as { status?: { phase?: string } } | undefined)?.status?.phase;
// Checks the pod of a running exec often, so a lost node is noticed in well under a second.
const quick = () => connect({ kubeconfig: lc.kubeconfig, execHeartbeat: { podCheckIntervalMs: 100 } });

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

async function runningPod(name: string): Promise<void> {
  await lc.apply({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: ns },
    spec: { containers: [{ name: "main", image: "busybox" }] },
  });
  await lc.cluster.waitFor({ ...PODS, name }, (p) => phaseOf(p) === "Running");
}

beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: [ns],
  });
  lc.runtime.onExec({ command: "hang" }, async (ctx) => {
    await ctx.stdout("started\n");
    await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
    return { exitCode: 137 };
  });
  lc.runtime.onExec({ command: "ok" }, () => ({ stdout: "ok\n" }));
  lc.runtime.onRun({ command: "long" }, async (ctx) => {
    await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
    return { exitCode: 137 };
  });
});
afterEach(() => lc.faults.clear());
afterAll(() => lc.stop());

describe("a pod stuck Terminating", () => {
  it("keeps its deletionTimestamp and its running container until the fault is removed", async () => {
    await runningPod("stuck");
    const stuck = lc.faults.stickTerminating({ namespace: ns, pod: "stuck" });
    await lc.cluster.delete({ ...PODS, name: "stuck" });
    const held = await lc.cluster.get({ ...PODS, name: "stuck" });
    expect(held.metadata?.deletionTimestamp).toBeDefined();
    expect(phaseOf(held)).toBe("Running");
    expect((await lc.cluster.exec({ namespace: ns, pod: "stuck" }, ["ok"])).stdout).toBe("ok\n");
    stuck.remove();
    await lc.cluster.waitFor({ ...PODS, name: "stuck" }, (p) => p === undefined, { timeoutMs: 5_000 });
  });
});

describe("a lost node", () => {
  it("turns its pods Unknown and not Ready, refuses new execs, and comes back", async () => {
    await runningPod("lost-a");
    const lost = lc.faults.loseNode();
    const pod = await lc.cluster.waitFor({ ...PODS, name: "lost-a" }, (p) => phaseOf(p) === "Unknown");
    const status = (pod?.status ?? {}) as {
      conditions?: { type: string; status: string; reason?: string }[];
    };
    const ready = status.conditions?.find((c) => c.type === "Ready");
    expect(ready).toMatchObject({ status: "False", reason: "NodeLost" });
    // The adapter refuses it from the pod's status; given the pod as read before, the API server does.
    const refused = await expectCode(
      lc.cluster.exec({ namespace: ns, pod: "lost-a" }, ["ok"]),
      "QUIESCE_KUBE_POD_NOT_RUNNING",
    );
    expect(refused.message).toContain("it is Unknown");
    const before = { ...pod, status: { ...(pod?.status as object), phase: "Running" } };
    const err = await expectCode(
      lc.cluster.exec({ namespace: ns, pod: "lost-a" }, ["ok"], { pod: before as never }),
      "QUIESCE_KUBE_API",
    );
    expect(err.message).toContain("error dialing backend");
    lost.remove();
    await lc.cluster.waitFor({ ...PODS, name: "lost-a" }, (p) => phaseOf(p) === "Running");
    expect((await lc.cluster.exec({ namespace: ns, pod: "lost-a" }, ["ok"])).exitCode).toBe(0);
  });

  it("fails a running exec once its pod turns Unknown, although the API server still answers pings", async () => {
    await runningPod("lost-b");
    const running = quick().exec({ namespace: ns, pod: "lost-b" }, ["hang"]);
    await until(() => lc.faults.requests.some((r) => r.verb === "exec" && r.name === "lost-b"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    lc.faults.loseNode();
    const err = await expectCode(running, "QUIESCE_KUBE_POD_NOT_RUNNING");
    expect(err.message).toMatch(
      /the pod is in phase Unknown: its node is not responding; the command may still be running$/,
    );
    expect(err.details).toMatchObject({
      possiblyStillRunning: true,
      podPhase: "Unknown",
      stdout: "started\n",
    });
  });

  it("fails a one-off pod on it as NodeLost, and lists it as leaked: its deletion cannot finish", async () => {
    const leaks: LeakedObject[] = [];
    const running = lc.cluster.runPod(
      { namespace: ns, image: "busybox", command: ["long"], labels: { run: "lost" } },
      { onLeak: (leak) => leaks.push(leak) },
    );
    await until(() =>
      lc.store
        .list(lc.store.typeFor("", "v1", "pods")!, ns, { labelSelector: "run=lost" })
        .items.some((p) => phaseOf(p) === "Running"),
    );
    lc.faults.loseNode();
    const err = await expectCode(running, "QUIESCE_KUBE_WORKLOAD_FAILED");
    expect(err.details).toMatchObject({ reason: "NodeLost", possiblyStillRunning: true });
    expect(leaks).toHaveLength(1);
    expect(leaks[0]?.error).toMatchObject({ code: "QUIESCE_KUBE_POD_NOT_RUNNING" });
    expect(leaks[0]?.error.message).toContain("stays Terminating until the node returns");
  });
});

describe("watch events duplicated and reordered", () => {
  it("cannot bring back pods the waits saw deleted, nor end a one-off run early", async () => {
    lc.faults.add({
      verb: "watch",
      duplicateEvents: true,
      reorderEvents: true,
      times: Number.POSITIVE_INFINITY,
    });
    lc.runtime.onRun({ command: "task" }, () => ({ stdout: "done\n" }));
    // Several rounds: a late event about a deleted pod comes after its DELETED about every other time.
    for (let i = 0; i < 4; i++) {
      const name = `churn-${i}`;
      await lc.apply({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace: ns },
        spec: { containers: [{ name: "main", image: "busybox" }] },
      });
      await lc.cluster.waitFor({ ...PODS, name }, (p) => phaseOf(p) === "Running", { timeoutMs: 5_000 });
      await lc.cluster.delete({ ...PODS, name }, { waitForDeletion: true, timeoutMs: 5_000 });
      const result = await lc.cluster.runPod(
        { namespace: ns, image: "busybox", command: ["task"] },
        { timeoutMs: 5_000 },
      );
      expect([result.phase, result.logs]).toEqual(["Succeeded", "done\n"]);
    }
  });
});
