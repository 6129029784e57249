/**
 * Liveness of the client-node adapter against connections that go silent: exec sessions are pinged
 * and fail with QUIESCE_KUBE_CONNECTION_LOST when nothing comes back, an unanswered exec upgrade
 * fails the same way, a silent watch is re-opened, and a call whose answer stalls ends at its limit.
 */
import { type Cluster, connect } from "@quiesce/kube";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type LocalCluster, startLocalCluster } from "../index.js";
import { expectCode } from "./cases/expect-error.js";

let lc: LocalCluster;
/** A client with short liveness settings, so each case ends in well under a second or two. */
let quick: Cluster;
const ns = "liveness";
const pod = { namespace: ns, pod: "target" };
const HEARTBEAT = { intervalMs: 40, timeoutMs: 300 };

beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: [ns],
  });
  quick = connect({
    kubeconfig: lc.kubeconfig,
    execHeartbeat: HEARTBEAT,
    watchIdleTimeoutMs: 400,
    defaultTimeoutMs: 2_000,
    retry: { baseMs: 5, maxMs: 20, maxAttempts: 2 },
  });
  // "chatty N": N lines of output, then it sleeps until stopped; "quiet MS": silent for MS, then exits 0.
  lc.runtime.onExec({ command: /^chatty / }, async (ctx) => {
    for (let i = 0; i < Number(ctx.argv[1]); i++) await ctx.stdout(`line ${i}\n`);
    await ctx.stderr("warming up\n");
    await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
    return { exitCode: 137 };
  });
  lc.runtime.onExec({ command: /^quiet / }, async (ctx) => {
    await new Promise((resolve) => setTimeout(resolve, Number(ctx.argv[1])));
    return { stdout: "done\n" };
  });
  lc.runtime.onExec({ command: "cat" }, async (ctx) => {
    for await (const chunk of ctx.stdin ?? []) await ctx.stdout(chunk);
    return {};
  });
  await lc.apply({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "target", namespace: ns },
    spec: { containers: [{ name: "main", image: "busybox" }] },
  });
  await lc.cluster.waitFor(
    { version: "v1", resource: "pods", namespace: ns, name: "target" },
    (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
  );
});
afterEach(() => lc.faults.clear());
afterAll(() => lc.stop());

describe("exec heartbeat", () => {
  it("fails a session that goes silent mid-stream with CONNECTION_LOST, keeping the output so far", async () => {
    lc.faults.execFault({ stream: "stdout", afterBytes: 14, action: "stall" });
    const err = await expectCode(quick.exec(pod, ["chatty", "5"]), "QUIESCE_KUBE_CONNECTION_LOST");
    expect(err.message).toContain("exec connection lost: nothing heard for");
    expect(err.message).toMatch(/the command may still be running$/);
    expect(err.details).toMatchObject({ possiblyStillRunning: true, upgraded: true, podGone: false });
    expect(err.details.command).toEqual(["chatty", "5"]);
    expect(err.details.stdout).toBe("line 0\nline 1\n");
    expect(Number(err.details.silentMs)).toBeGreaterThanOrEqual(HEARTBEAT.timeoutMs);
  });

  it("fails a session that is upgraded and then never heard from", async () => {
    lc.faults.add({ verb: "exec", silent: true });
    const err = await expectCode(quick.exec(pod, ["quiet", "10"]), "QUIESCE_KUBE_CONNECTION_LOST");
    expect(err.details).toMatchObject({ upgraded: true, receivedBytes: 0, possiblyStillRunning: true });
  });

  it("fails an exec whose upgrade is never answered", async () => {
    lc.faults.add({ verb: "exec", stall: true });
    const err = await expectCode(quick.exec(pod, ["quiet", "10"]), "QUIESCE_KUBE_CONNECTION_LOST");
    expect(err.message).toContain("the exec upgrade got no answer within 300ms");
    expect(err.details).toMatchObject({ upgraded: false });
  });

  it("keeps a quiet command that answers pings running well past the silence limit", async () => {
    const result = await quick.exec(pod, ["quiet", String(HEARTBEAT.timeoutMs * 3)]);
    expect([result.exitCode, result.stdout]).toEqual([0, "done\n"]);
  });

  it("fails a session blackholed while stdin is sent", async () => {
    lc.faults.execFault({ stream: "stdin", afterBytes: 5, action: "stall" });
    async function* input() {
      yield Buffer.from("hello ");
      yield Buffer.from("world\n");
    }
    const err = await expectCode(
      quick.exec(pod, ["cat"], { stdin: input() }),
      "QUIESCE_KUBE_CONNECTION_LOST",
    );
    // Blackholed both ways: not even the echo of what got through comes back.
    expect(err.details).toMatchObject({ upgraded: true, stdout: "", possiblyStillRunning: true });
  });

  it("can be turned off: a blackholed session then runs into the exec time limit", async () => {
    const off = connect({ kubeconfig: lc.kubeconfig, execHeartbeat: false });
    lc.faults.execFault({ stream: "stdout", afterBytes: 0, action: "stall" });
    const err = await expectCode(off.exec(pod, ["chatty", "1"], { timeoutMs: 600 }), "QUIESCE_TIMEOUT");
    expect(err.details.possiblyStillRunning).toBe(true);
  });
});

describe("exec streams cut by the network", () => {
  it("reports a cut on stderr as a stream that ended without a status", async () => {
    lc.faults.execFault({ stream: "stderr", afterBytes: 4, action: "cut" });
    const err = await expectCode(quick.exec(pod, ["chatty", "2"]), "QUIESCE_KUBE_API");
    expect(err.message).toContain("exec stream ended without a status");
    expect(err.details).toMatchObject({ possiblyStillRunning: true, stdout: "line 0\nline 1\n" });
    expect(err.details.stderr).toBe("warm");
  });

  it("reports a cut while stdin is sent the same way", async () => {
    lc.faults.execFault({ stream: "stdin", afterBytes: 3, action: "cut" });
    const err = await expectCode(quick.exec(pod, ["cat"], { stdin: "hello world\n" }), "QUIESCE_KUBE_API");
    expect(err.details).toMatchObject({
      possiblyStillRunning: true,
      why: "exec stream ended without a status",
    });
  });
});

describe("silent and stalled API calls", () => {
  it("re-opens a watch that went silent, and the wait still sees the change", async () => {
    lc.faults.add({ verb: "watch", resource: "configmaps", silent: true });
    const ref = { version: "v1", resource: "configmaps", namespace: ns, name: "late" };
    const waiting = quick.waitFor(ref, (cm) => cm !== undefined, { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await lc.cluster.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "late", namespace: ns },
    });
    expect((await waiting)?.metadata?.name).toBe("late");
    const watches = lc.faults.requests.filter((r) => r.verb === "watch" && r.resource === "configmaps");
    expect(watches.map((r) => r.injected)).toEqual([true, false]);
  });

  it("ends a call whose answer stalls after its headers at the call's time limit", async () => {
    lc.faults.add({ verb: "get", resource: "pods", silent: true, times: Number.POSITIVE_INFINITY });
    const err = await expectCode(
      quick.get({ version: "v1", resource: "pods", namespace: ns, name: "target" }),
      "QUIESCE_TIMEOUT",
    );
    expect(err.message).toBe("get pods timed out after 2s");
  });

  it("ends a call that is never answered at the call's time limit", async () => {
    lc.faults.add({ verb: "list", resource: "pods", stall: true, times: Number.POSITIVE_INFINITY });
    await expectCode(quick.selectPods(ns), "QUIESCE_TIMEOUT");
  });

  it("loses the answer of a create that the server carried out", async () => {
    lc.faults.add({ verb: "create", resource: "configmaps", loseResponse: true });
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "acted", namespace: ns } };
    await expectCode(quick.create(cm), "QUIESCE_KUBE_API");
    // The client could not know, but the object exists.
    const got = await lc.cluster.get({ version: "v1", resource: "configmaps", namespace: ns, name: "acted" });
    expect(got.metadata?.name).toBe("acted");
    expect(lc.faults.requests.filter((r) => r.verb === "create").map((r) => [r.status, r.injected])).toEqual([
      [0, true],
    ]);
  });
});
