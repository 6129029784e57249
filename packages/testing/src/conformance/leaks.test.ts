/**
 * One-off pods and Jobs that cannot be deleted after their run: reported through `onLeak`, left
 * labelled `quiesce.dev/one-off=true`, and removed later by `cleanupOrphans`.
 */
import { cleanupOrphans, type LeakedObject, trackLeaks } from "@quiesce/kube";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type LocalCluster, startLocalCluster } from "../index.js";

let lc: LocalCluster;
const ns = "leaks";
const PODS = { version: "v1", resource: "pods", namespace: ns } as const;
const JOBS = { group: "batch", version: "v1", resource: "jobs", namespace: ns } as const;

beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: [ns, "other"],
    connect: { retry: { baseMs: 5, maxMs: 20, maxAttempts: 3 } },
  });
  lc.runtime.onRun({ command: "task" }, () => ({ stdout: "done\n" }));
});
afterEach(async () => {
  lc.faults.clear();
  await cleanupOrphans({ cluster: lc.cluster, olderThan: 0, force: true });
});
afterAll(() => lc.stop());

const names = async (ref: typeof PODS | typeof JOBS, namespace = ns) =>
  (await lc.cluster.list({ ...ref, namespace }, { labelSelector: "quiesce.dev/one-off=true" })).items
    .filter((o) => o.metadata?.deletionTimestamp === undefined)
    .map((o) => o.metadata?.name);

describe("a one-off pod that cannot be deleted", () => {
  it("is reported through onLeak with the delete's error, and the run still resolves", async () => {
    lc.faults.add({ verb: "delete", resource: "pods", status: 500, times: Number.POSITIVE_INFINITY });
    const leaks: LeakedObject[] = [];
    const result = await lc.cluster.runPod(
      { namespace: ns, image: "busybox", command: ["task"] },
      { onLeak: (leak) => leaks.push(leak) },
    );
    expect(result.logs).toBe("done\n");
    expect(leaks).toEqual([
      {
        kind: "Pod",
        namespace: ns,
        name: result.podName,
        error: expect.objectContaining({ code: "QUIESCE_KUBE_API" }),
        at: expect.any(String),
      },
    ]);
    // Attempted as often as the retry policy allows, and still there.
    expect(lc.faults.requests.filter((r) => r.verb === "delete" && r.name === result.podName)).toHaveLength(
      3,
    );
    expect(await names(PODS)).toEqual([result.podName]);
  });

  it("is reported for a Job too, through a trackLeaks view that callers need not know about", async () => {
    lc.faults.add({ verb: "delete", resource: "jobs", status: 503, times: Number.POSITIVE_INFINITY });
    const leaks: LeakedObject[] = [];
    const tracked = trackLeaks(lc.cluster, (leak) => leaks.push(leak));
    const result = await tracked.runJob({
      namespace: ns,
      template: { spec: { containers: [{ name: "main", image: "busybox", command: ["task"] }] } },
    });
    expect(leaks.map((l) => [l.kind, l.name])).toEqual([["Job", result.jobName]]);
    // Other calls go to the cluster untouched.
    expect((await tracked.selectPods(ns)).length).toBeGreaterThanOrEqual(0);
  });

  it("is not reported when the delete's answer was lost but the delete happened", async () => {
    lc.faults.add({ verb: "delete", resource: "pods", loseResponse: true });
    const leaks: LeakedObject[] = [];
    const result = await lc.cluster.runPod(
      { namespace: ns, image: "busybox", command: ["task"] },
      { onLeak: (leak) => leaks.push(leak) },
    );
    expect(leaks).toEqual([]);
    expect(await names(PODS)).not.toContain(result.podName);
  });
});

describe("cleanupOrphans", () => {
  async function leakPod(namespace = ns): Promise<string> {
    const fault = lc.faults.add({
      verb: "delete",
      resource: "pods",
      status: 500,
      times: Number.POSITIVE_INFINITY,
    });
    try {
      return (await lc.cluster.runPod({ namespace, image: "busybox", command: ["task"] })).podName;
    } finally {
      fault.remove();
    }
  }

  it("removes leaked one-off pods older than the limit, and leaves younger ones and other pods alone", async () => {
    const leaked = await leakPod();
    await lc.apply({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "app", namespace: ns },
      spec: { containers: [{ name: "main", image: "busybox" }] },
    });
    const young = await cleanupOrphans({ cluster: lc.cluster, olderThan: "1h" });
    expect(young).toEqual({ deleted: [], failed: [], skippedYoung: 1 });
    const dry = await cleanupOrphans({ cluster: lc.cluster, olderThan: 0, dryRun: true });
    expect(dry.deleted.map((o) => o.name)).toEqual([leaked]);
    expect(await names(PODS)).toEqual([leaked]);
    const done = await cleanupOrphans({ cluster: lc.cluster, olderThan: 0 });
    expect(done.deleted).toEqual([
      { kind: "Pod", namespace: ns, name: leaked, createdAt: expect.any(String) },
    ]);
    expect(await names(PODS)).toEqual([]);
    await lc.cluster.get({ ...PODS, name: "app" });
  });

  it("looks only in the given namespaces, and reports what it could not delete", async () => {
    const here = await leakPod(ns);
    const there = await leakPod("other");
    lc.faults.add({ verb: "delete", resource: "pods", namespace: "other", status: 403, times: 1 });
    const only = await cleanupOrphans({ cluster: lc.cluster, olderThan: 0, namespaces: ["other"] });
    expect(only.deleted).toEqual([]);
    expect(only.failed.map((f) => [f.name, f.error.code])).toEqual([[there, "QUIESCE_KUBE_FORBIDDEN"]]);
    expect(await names(PODS)).toEqual([here]);
  });

  it("removes a leaked Job with its pods", async () => {
    const fault = lc.faults.add({
      verb: "delete",
      resource: "jobs",
      status: 500,
      times: Number.POSITIVE_INFINITY,
    });
    const { jobName } = await lc.cluster.runJob({
      namespace: ns,
      template: { spec: { containers: [{ name: "main", image: "busybox", command: ["task"] }] } },
    });
    fault.remove();
    expect(await names(JOBS)).toEqual([jobName]);
    const done = await cleanupOrphans({ cluster: lc.cluster, olderThan: 0 });
    // The Job goes, its pod with it (not deleted separately while the Job stood).
    expect(done.deleted.map((o) => [o.kind, o.name])).toEqual([["Job", jobName]]);
    await lc.cluster.waitFor({ ...JOBS, name: jobName ?? "" }, (j) => j === undefined, { timeoutMs: 5_000 });
  });

  it("force-deletes a pod stuck Terminating past its grace period only when asked to", async () => {
    await lc.apply({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "stuck", namespace: ns, labels: { "quiesce.dev/one-off": "true" } },
      spec: { terminationGracePeriodSeconds: 0, containers: [{ name: "main", image: "busybox" }] },
    });
    await lc.cluster.waitFor(
      { ...PODS, name: "stuck" },
      (p) => (p?.status as { phase?: string })?.phase === "Running",
    );
    lc.faults.stickTerminating({ namespace: ns, pod: "stuck" });
    await lc.cluster.delete({ ...PODS, name: "stuck" });
    const kept = await cleanupOrphans({ cluster: lc.cluster, olderThan: 0, namespaces: [ns] });
    expect(kept.deleted).toEqual([]);
    expect((await lc.cluster.get({ ...PODS, name: "stuck" })).metadata?.deletionTimestamp).toBeDefined();
    const forced = await cleanupOrphans({ cluster: lc.cluster, olderThan: 0, namespaces: [ns], force: true });
    expect(forced.deleted).toEqual([
      { kind: "Pod", namespace: ns, name: "stuck", createdAt: expect.any(String), forced: true },
    ]);
    await lc.cluster.waitFor({ ...PODS, name: "stuck" }, (p) => p === undefined, { timeoutMs: 5_000 });
  });
});
