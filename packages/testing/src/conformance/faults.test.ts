/**
 * Resilience of the client-node adapter against the local cluster's fault injection: what is
 * retried is retried (and honours Retry-After), what must not be is not, and every failure is
 * reported with its cause.
 */
import { QuiesceError } from "@quiesce/core";
import { connect, KubeApiError } from "@quiesce/kube";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type LocalCluster, startLocalCluster } from "../index.js";
import { expectCode } from "./cases/expect-error.js";
import { BIG_OUTPUT_BYTES, commands, scriptCommands } from "./scripts.js";

let lc: LocalCluster;
const ns = "faults";
const CM = { version: "v1", resource: "configmaps", namespace: ns } as const;

beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: [ns],
    // Short backoff so retried cases stay quick; Retry-After still wins when the server sends one.
    connect: { retry: { baseMs: 5, maxMs: 50, maxAttempts: 4 } },
  });
  scriptCommands(lc.runtime);
  await lc.apply([
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "present", namespace: ns }, data: { a: "1" } },
  ]);
});

afterEach(() => lc.faults.clear());
afterAll(() => lc.stop());

const statuses = (verb: string, resource = "configmaps") =>
  lc.faults.requests.filter((r) => r.verb === verb && r.resource === resource).map((r) => r.status);

async function runningPod(name: string): Promise<void> {
  await lc.cluster.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: ns },
    spec: { containers: [{ name: "main", image: "busybox", command: ["sleep", "3600"] }] },
  });
  await lc.cluster.waitFor(
    { version: "v1", resource: "pods", namespace: ns, name },
    (p) => (p?.status as { phase?: string })?.phase === "Running",
  );
}

describe("retries", () => {
  it("retries 429 and waits at least as long as Retry-After says", async () => {
    lc.faults.add({ verb: "get", resource: "configmaps", status: 429, retryAfterSeconds: 1, times: 1 });
    const got = await lc.cluster.get({ ...CM, name: "present" });
    expect(got.data).toEqual({ a: "1" });
    expect(statuses("get")).toEqual([429, 200]);
    const [first, second] = lc.faults.requests.filter((r) => r.verb === "get");
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("retries 500 and 503 for reads", async () => {
    lc.faults.add({ verb: "get", resource: "configmaps", status: 503, times: 1 });
    lc.faults.add({ verb: "get", resource: "configmaps", status: 500, times: 1 });
    await lc.cluster.get({ ...CM, name: "present" });
    expect(statuses("get")).toEqual([503, 500, 200]);
    lc.faults.add({ verb: "list", resource: "configmaps", status: 502, times: 2 });
    expect((await lc.cluster.list(CM)).items.length).toBeGreaterThan(0);
    expect(statuses("list")).toEqual([502, 502, 200]);
  });

  it("gives up after the attempt limit with the last Status and the attempt count", async () => {
    lc.faults.add({
      verb: "get",
      resource: "configmaps",
      status: 503,
      times: Number.POSITIVE_INFINITY,
      message: "etcd is sad",
    });
    const err = await expectCode(lc.cluster.get({ ...CM, name: "present" }), "QUIESCE_KUBE_API");
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err.details).toMatchObject({ statusCode: 503, attempts: 4, statusMessage: "etcd is sad" });
    expect(statuses("get")).toEqual([503, 503, 503, 503]);
  });

  it("retries a connection reset on a read", async () => {
    lc.faults.add({ verb: "get", resource: "configmaps", reset: true, times: 1 });
    expect((await lc.cluster.get({ ...CM, name: "present" })).data).toEqual({ a: "1" });
    expect(statuses("get")).toEqual([0, 200]);
  });

  it("never repeats a create whose connection was reset, and reports the reset as the cause", async () => {
    lc.faults.add({ verb: "create", resource: "configmaps", reset: true, times: 1 });
    const err = await expectCode(
      lc.cluster.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "once", namespace: ns } }),
      "QUIESCE_KUBE_API",
    );
    expect(statuses("create")).toEqual([0]);
    expect(err.cause).toBeDefined();
    expect(err.details).toMatchObject({ verb: "create", attempts: 1 });
  });

  it("does not retry a 503 on a create, nor a 4xx on anything", async () => {
    lc.faults.add({ verb: "create", resource: "configmaps", status: 503, times: 1 });
    await expectCode(
      lc.cluster.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "nope", namespace: ns } }),
      "QUIESCE_KUBE_API",
    );
    expect(statuses("create")).toEqual([503]);
    lc.faults.add({ verb: "get", resource: "configmaps", status: 403, times: 1 });
    const forbidden = await expectCode(lc.cluster.get({ ...CM, name: "present" }), "QUIESCE_KUBE_FORBIDDEN");
    expect(forbidden.details.reason).toBe("Forbidden");
    expect(statuses("get")).toEqual([403]);
  });

  it("retries a 429 even for a create: the server did nothing", async () => {
    lc.faults.add({ verb: "create", resource: "configmaps", status: 429, times: 1 });
    await lc.cluster.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "after-429", namespace: ns },
    });
    expect(statuses("create")).toEqual([429, 201]);
  });

  it("bounds a slow call by its timeout", async () => {
    lc.faults.add({ verb: "get", resource: "configmaps", latencyMs: 2_000, times: 1 });
    await expectCode(lc.cluster.get({ ...CM, name: "present" }, { timeoutMs: 100 }), "QUIESCE_TIMEOUT");
  });
});

describe("watch-driven waits under faults", () => {
  it("re-watches from the last resourceVersion when the watch stream is cut", async () => {
    const waiting = lc.cluster.waitFor({ ...CM, name: "after-cut" }, (o) => o !== undefined, {
      timeoutMs: 10_000,
    });
    await until(() => lc.faults.requests.some((r) => r.verb === "watch" && r.resource === "configmaps"));
    expect(lc.faults.cutWatches()).toBeGreaterThan(0);
    await lc.cluster.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "after-cut", namespace: ns },
    });
    expect((await waiting)?.metadata?.name).toBe("after-cut");
    expect(statuses("watch").length).toBeGreaterThanOrEqual(2);
    expect(statuses("list")).toHaveLength(1);
  });

  it("relists when the resourceVersion has expired (410 Gone)", async () => {
    const waiting = lc.cluster.waitFor({ ...CM, name: "after-410" }, (o) => o !== undefined, {
      timeoutMs: 10_000,
    });
    await until(() => lc.faults.requests.some((r) => r.verb === "watch" && r.resource === "configmaps"));
    // Another write moves the cluster past the watch's resourceVersion, which then expires.
    await lc.cluster.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "unrelated", namespace: ns },
    });
    lc.faults.expireHistory();
    lc.faults.cutWatches();
    await until(() => statuses("list").length >= 2);
    await lc.cluster.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "after-410", namespace: ns },
    });
    expect((await waiting)?.metadata?.name).toBe("after-410");
  });

  it("retries opening a watch that fails with 503", async () => {
    lc.faults.add({ verb: "watch", resource: "configmaps", status: 503, times: 1 });
    const waiting = lc.cluster.waitFor({ ...CM, name: "after-503" }, (o) => o !== undefined, {
      timeoutMs: 10_000,
    });
    await until(() => statuses("watch").includes(200));
    await lc.cluster.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "after-503", namespace: ns },
    });
    expect((await waiting)?.metadata?.name).toBe("after-503");
    expect(statuses("watch").slice(0, 2)).toEqual([503, 200]);
  });
});

describe("exec under faults", () => {
  beforeAll(() => runningPod("exec-faults"));

  it("reports a stream dropped mid-output with its cause and the output so far", async () => {
    lc.faults.dropExecAfter(100_000, { pod: "exec-faults" });
    let streamed = 0;
    const err = await expectCode(
      lc.cluster.exec({ namespace: ns, pod: "exec-faults" }, commands.big.argv, {
        onStdout: (c) => {
          streamed += c.byteLength;
        },
      }),
      "QUIESCE_KUBE_API",
    );
    expect(err.message).toContain("exec stream ended without a status");
    expect(err.details).toMatchObject({ possiblyStillRunning: true, podGone: false });
    expect(Number(err.details.receivedBytes)).toBeGreaterThan(0);
    expect(Number(err.details.receivedBytes)).toBeLessThan(BIG_OUTPUT_BYTES);
    expect(streamed).toBe(Number(err.details.receivedBytes));
    expect(String(err.details.stdout)).toMatch(/^(abcdefghi\n)*/);
    expect(err.cause).toBeDefined();
  });

  it("reports a pod deleted while a command runs", async () => {
    await runningPod("exec-doomed");
    const running = lc.cluster.exec({ namespace: ns, pod: "exec-doomed" }, commands.slow.argv, {
      timeoutMs: 10_000,
    });
    await until(() => lc.faults.requests.some((r) => r.verb === "exec" && r.name === "exec-doomed"));
    await lc.cluster.delete({ version: "v1", resource: "pods", namespace: ns, name: "exec-doomed" });
    let error: unknown;
    try {
      await running;
    } catch (err) {
      error = err;
    }
    expect(QuiesceError.is(error, "QUIESCE_KUBE_POD_NOT_RUNNING")).toBe(true);
    expect((error as QuiesceError).message).toContain("was deleted while");
    expect((error as QuiesceError).details.podGone).toBe(true);
  });

  it("refuses an exec upgrade rejected by the server with the Status it sent", async () => {
    lc.faults.add({ verb: "exec", resource: "pods/exec", status: 403, message: "no exec for you", times: 1 });
    const err = await expectCode(
      lc.cluster.exec({ namespace: ns, pod: "exec-faults" }, commands.ok.argv),
      "QUIESCE_KUBE_FORBIDDEN",
    );
    expect(err.details).toMatchObject({ statusMessage: "no exec for you", verb: "exec" });
  });
});

describe("one-off pods under faults", () => {
  it("reports a one-off pod deleted by someone else before it finished", async () => {
    const running = lc.cluster.runPod(
      { namespace: ns, image: "busybox", command: commands.slow.argv, labels: { victim: "yes" } },
      { timeoutMs: 10_000 },
    );
    let victim: string | undefined;
    await until(() => {
      victim = lc.store
        .list(lc.store.typeFor("", "v1", "pods")!, ns, { labelSelector: "victim=yes" })
        .items.find((p) => (p.status as { phase?: string } | undefined)?.phase === "Running")?.metadata.name;
      return victim !== undefined;
    });
    await lc.cluster.delete({ version: "v1", resource: "pods", namespace: ns, name: victim ?? "" });
    const err = await expectCode(running, "QUIESCE_KUBE_WORKLOAD_FAILED");
    expect(err.details).toMatchObject({ pod: victim, reason: "Deleted" });
  });
});

describe("one-off pods cancelled while being created", () => {
  it("leaves no pod behind when aborted the moment the server stored it", async () => {
    const pods = lc.store.typeFor("", "v1", "pods")!;
    const controller = new AbortController();
    const reason = new Error("host cancelled");
    // Abort as soon as the pod exists on the server, racing the create's answer to the client.
    const stop = lc.store.watch(pods, ns, lc.store.currentResourceVersion(), (event) => {
      if (event.type === "ADDED" && event.object.metadata.labels?.orphan === "maybe")
        controller.abort(reason);
    });
    try {
      const outcome = await lc.cluster
        .runPod(
          { namespace: ns, image: "busybox", command: commands.slow.argv, labels: { orphan: "maybe" } },
          { signal: controller.signal, timeoutMs: 10_000 },
        )
        .then(
          () => "resolved",
          (err: unknown) => err,
        );
      expect(outcome).toBe(reason);
    } finally {
      stop();
    }
    await until(() => lc.store.list(pods, ns, { labelSelector: "orphan=maybe" }).items.length === 0);
  });

  it("names one-off pods itself, so a create cut off before its answer can still be cleaned up", async () => {
    const result = await lc.cluster.runPod(
      { namespace: ns, image: "busybox", command: commands.ok.argv, generateName: "named-" },
      { timeoutMs: 10_000 },
    );
    expect(result.podName).toMatch(/^named-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});

describe("one-off pod logs under faults", () => {
  it("reads the log once the pod ended when following it keeps failing, without repeating chunks", async () => {
    // Four failing attempts exhaust the follow's retries; the read after the end then succeeds.
    lc.faults.add({ verb: "log", resource: "pods", status: 500, times: 4 });
    const chunks: string[] = [];
    const result = await lc.cluster.runPod(
      { namespace: ns, image: "busybox", command: commands.taskOk.argv },
      { timeoutMs: 10_000, onLog: (c) => chunks.push(Buffer.from(c).toString()) },
    );
    expect(result).toMatchObject({ phase: "Succeeded", exitCode: 0, logs: "hello from task\n" });
    expect(chunks.join("")).toBe("hello from task\n");
    expect(statuses("log", "pods/log")).toEqual([500, 500, 500, 500, 200]);
  });
});

describe("exec protocol versions", () => {
  it("reads the exit code and both streams over v4.channel.k8s.io too", async () => {
    await runningPod("exec-v4");
    const v4 = connect({ kubeconfig: lc.kubeconfig, execProtocols: ["v4.channel.k8s.io"] });
    const result = await v4.exec({ namespace: ns, pod: "exec-v4" }, commands.mixed.argv);
    expect(result).toMatchObject({ exitCode: 3, stdout: "out\n", stderr: "err\n" });
    const exec = lc.faults.requests.filter((r) => r.verb === "exec" && r.name === "exec-v4");
    expect(exec.map((r) => r.status)).toEqual([101]);
  });
});

describe("connect", () => {
  it("connects from kubeconfig text and from a file, and rejects an unknown context", async () => {
    const fromText = connect({ kubeconfig: lc.kubeconfig });
    expect((await fromText.get({ ...CM, name: "present" })).data).toEqual({ a: "1" });
    const fromFile = connect({ kubeconfigPath: lc.kubeconfigPath, qps: 1000, burst: 10 });
    expect((await fromFile.get({ ...CM, name: "present" })).data).toEqual({ a: "1" });
    expect(() => connect({ kubeconfig: lc.kubeconfig, context: "nope" })).toThrowError(/no context "nope"/);
  });

  it("reports credentials that cannot be applied as a coded error naming the server", async () => {
    const insecure = lc.kubeconfig.replace(/\n\s*insecure-skip-tls-verify: true/, "");
    const cluster = connect({ kubeconfig: insecure });
    const err = await expectCode(cluster.get({ ...CM, name: "present" }), "QUIESCE_KUBE_API");
    expect(err.message).toContain(lc.url);
  });

  it("reports a refused token as QUIESCE_KUBE_FORBIDDEN", async () => {
    const wrong = connect({ kubeconfig: lc.kubeconfig.replace(lc.token, "wrong-token") });
    await expectCode(wrong.get({ ...CM, name: "present" }), "QUIESCE_KUBE_FORBIDDEN");
  });
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 5));
  }
}
