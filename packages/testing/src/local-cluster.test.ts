import { existsSync, readFileSync } from "node:fs";
import { connect, type KubeObject, type V1Pod } from "@quiesce/kube";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalCluster, startLocalCluster } from "./local-cluster.js";
import type { ProcessRuntime } from "./runtime/process.js";
import type { ContainerRuntime } from "./runtime/types.js";

const fast = { podStartDelayMs: 1, readyDelayMs: 1, terminationDelayMs: 1 };

const podRef = (name: string) => ({ version: "v1", resource: "pods", namespace: "default", name });
const running = (pod: KubeObject | undefined) =>
  (pod?.status as { phase?: string } | undefined)?.phase === "Running";

describe("startLocalCluster (scripted runtime) through the Cluster adapter", () => {
  let lc: LocalCluster;
  beforeAll(async () => {
    lc = await startLocalCluster({ ...fast, namespaces: ["shop"] });
  });
  afterAll(() => lc.stop());

  it("writes a kubeconfig pointing at the loopback server", () => {
    expect(lc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(readFileSync(lc.kubeconfigPath, "utf8")).toBe(lc.kubeconfig);
    expect(lc.kubeconfig).toContain(lc.url);
  });

  it("execs into a pod of an applied Deployment and reports the exit code and output", async () => {
    lc.runtime.onExec({ container: "db", command: "psql -c checkpoint" }, async (ctx) => {
      await ctx.stdout("CHECKPOINT\n");
      return { stderr: "warning\n", exitCode: 2 };
    });
    await lc.apply(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: db, namespace: shop }
spec:
  replicas: 1
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: db, image: "postgres:16" }] }
`);
    await lc.cluster.scaleWorkload({ kind: "Deployment", namespace: "shop", name: "db" }, 1, {
      timeoutMs: 10_000,
    });
    const [pod] = await lc.cluster.selectPods("shop", {
      owner: { kind: "Deployment", name: "db" },
      phase: "Running",
    });
    const name = (pod as V1Pod).metadata?.name as string;
    const result = await lc.cluster.exec({ namespace: "shop", pod: name }, ["psql", "-c", "checkpoint"], {
      timeoutMs: 10_000,
    });
    expect(result).toMatchObject({
      exitCode: 2,
      stdout: "CHECKPOINT\n",
      stderr: "warning\n",
      container: "db",
    });
    const unscripted = await lc.cluster.exec({ namespace: "shop", pod: name }, ["ls", "/"], {
      timeoutMs: 10_000,
    });
    expect(unscripted.exitCode).toBe(126);
    expect(unscripted.stderr).toContain(`no scripted handler for "ls /" in ${name}/db`);
  });

  it("execs with a pod object the caller holds: only the upgrade is sent, the container comes from its spec", async () => {
    lc.runtime.onExec({ container: "sidecar", command: "flush" }, () => ({ stdout: "flushed\n" }));
    await lc.apply(`
apiVersion: v1
kind: Pod
metadata:
  name: held
  namespace: shop
  annotations: { kubectl.kubernetes.io/default-container: sidecar }
spec: { containers: [{ name: main, image: app }, { name: sidecar, image: tool }] }
`);
    const pod = (await lc.cluster.waitFor(
      { version: "v1", resource: "pods", namespace: "shop", name: "held" },
      running,
    )) as unknown as V1Pod;
    const before = lc.faults.requests.length;
    const result = await lc.cluster.exec({ namespace: "shop", pod: "held" }, ["flush"], {
      pod,
    });
    expect(result).toMatchObject({ exitCode: 0, container: "sidecar", stdout: "flushed\n" });
    expect(lc.faults.requests.slice(before).map((r) => r.verb)).toEqual(["exec"]);

    // A held pod naming another pod is not trusted: the target is fetched first.
    const other: V1Pod = { ...pod, metadata: { ...pod.metadata, name: "someone-else" } };
    const next = lc.faults.requests.length;
    await lc.cluster.exec({ namespace: "shop", pod: "held" }, ["flush"], { pod: other });
    expect(lc.faults.requests.slice(next).map((r) => r.verb)).toEqual(["get", "exec"]);
  });

  it("execs with a stale held pod: the API server's refusal is reported", async () => {
    const pod = (await lc.cluster.get({
      version: "v1",
      resource: "pods",
      namespace: "shop",
      name: "held",
    })) as unknown as V1Pod;
    const stale: V1Pod = { ...pod, spec: { containers: [{ name: "gone", image: "x" }] } };
    await expect(
      lc.cluster.exec({ namespace: "shop", pod: "held" }, ["flush"], { pod: stale }),
    ).rejects.toMatchObject({ code: "QUIESCE_KUBE_INVALID", message: expect.stringContaining("gone") });
  });

  it("scales a StatefulSet down and up, keeping its PVCs", async () => {
    await lc.apply({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "cache", namespace: "shop" },
      spec: {
        replicas: 2,
        serviceName: "cache",
        selector: { matchLabels: { app: "cache" } },
        template: {
          metadata: { labels: { app: "cache" } },
          spec: {
            containers: [
              { name: "redis", image: "redis:7", volumeMounts: [{ name: "data", mountPath: "/data" }] },
            ],
          },
        },
        volumeClaimTemplates: [
          { metadata: { name: "data" }, spec: { resources: { requests: { storage: "1Gi" } } } },
        ],
      },
    });
    const ref = { kind: "StatefulSet" as const, namespace: "shop", name: "cache" };
    await lc.cluster.scaleWorkload(ref, 2, { timeoutMs: 10_000 });
    expect((await lc.cluster.workloadFacts(ref)).persistentVolumeClaims).toEqual({
      "cache-0": { "data-cache-0": "/data" },
      "cache-1": { "data-cache-1": "/data" },
    });
    expect(await lc.cluster.scaleWorkload(ref, 0, { timeoutMs: 10_000 })).toEqual({ originalReplicas: 2 });
    expect(await lc.cluster.selectPods("shop", { owner: { kind: "StatefulSet", name: "cache" } })).toEqual(
      [],
    );
    const claims = await lc.cluster.list({
      version: "v1",
      resource: "persistentvolumeclaims",
      namespace: "shop",
    });
    expect(claims.items.map((c) => c.metadata?.name).sort()).toEqual(["data-cache-0", "data-cache-1"]);
    await lc.cluster.scaleWorkload(ref, 1, { timeoutMs: 10_000 });
    expect(
      (await lc.cluster.selectPods("shop", { owner: { kind: "StatefulSet", name: "cache" } })).map(
        (p) => p.metadata?.name,
      ),
    ).toEqual(["cache-0"]);
  });

  it("runs a one-off pod whose main process is scripted and returns its log and exit code", async () => {
    lc.runtime.onRun({ image: "alpine", command: /^backup / }, async (ctx) => {
      await ctx.stdout(`backing up ${ctx.argv[1]}\n`);
      return { stdout: '###Phase-output###: {"key":"size","value":"42"}\n', exitCode: 0 };
    });
    const result = await lc.cluster.runPod(
      { namespace: "default", image: "alpine:3.20", command: ["backup", "/data"] },
      { timeoutMs: 10_000 },
    );
    expect(result).toMatchObject({ phase: "Succeeded", exitCode: 0 });
    expect(result.logs).toBe('backing up /data\n###Phase-output###: {"key":"size","value":"42"}\n');
  });

  it("fails a one-off pod that cannot be scheduled, with the reason", async () => {
    await expect(
      lc.cluster.runPod(
        {
          namespace: "default",
          image: "alpine",
          command: ["true"],
          podOverride: { nodeSelector: { disktype: "ssd" } },
        },
        { timeoutMs: 5_000 },
      ),
    ).rejects.toThrow(/Unschedulable|node affinity\/selector/);
  });

  it("fails a one-off pod whose image cannot be pulled, with the reason", async () => {
    await expect(
      lc.cluster.runPod(
        { namespace: "default", image: "example/missing:does-not-exist", command: ["true"] },
        { timeoutMs: 5_000 },
      ),
    ).rejects.toThrow(/ImagePull|ErrImagePull|pull/);
  });

  it("with onStuck 'wait' keeps waiting for an unschedulable pod until readyTimeoutMs, then names the reason", async () => {
    await expect(
      lc.cluster.runPod(
        {
          namespace: "default",
          image: "alpine",
          command: ["true"],
          podOverride: { nodeSelector: { disktype: "ssd" } },
          labels: { stuck: "waited" },
        },
        { readyTimeoutMs: 400, onStuck: "wait" },
      ),
    ).rejects.toThrow(/did not start within 400ms: Unschedulable/);
    const left = await lc.cluster.selectPods("default", { selector: "stuck=waited" });
    expect(left.every((p) => p.metadata?.deletionTimestamp !== undefined)).toBe(true);
  });

  it("with onStuck 'wait' still fails at once on an image name that can never be pulled", async () => {
    await expect(
      lc.cluster.runPod(
        { namespace: "default", image: "Not A Valid:Image", command: ["true"] },
        { readyTimeoutMs: 60_000, onStuck: "wait" },
      ),
    ).rejects.toThrow(/InvalidImageName|cannot start/);
  });

  it("bounds only the pod's start: a pod running longer than readyTimeoutMs completes", async () => {
    lc.runtime.onRun({ image: "alpine", command: "work 600" }, async () => {
      await new Promise((r) => setTimeout(r, 600));
      return { stdout: "done\n", exitCode: 0 };
    });
    const result = await lc.cluster.runPod(
      { namespace: "default", image: "alpine", command: ["work", "600"] },
      { readyTimeoutMs: 200 },
    );
    expect(result).toMatchObject({ phase: "Succeeded", logs: "done\n" });
  });

  it("runs a pod spec of several containers with the main one first and the override merged in", async () => {
    lc.runtime.onRun({ image: "alpine", command: "out" }, () => ({ stdout: "from output\n", exitCode: 0 }));
    lc.runtime.onRun({ image: "alpine", command: "bg" }, () => ({ exitCode: 0 }));
    const result = await lc.cluster.runPod(
      {
        namespace: "default",
        image: "alpine",
        command: ["out"],
        keep: true,
        podSpec: {
          restartPolicy: "Never",
          containers: [
            { name: "output", image: "alpine", command: ["out"] },
            { name: "background", image: "alpine", command: ["bg"] },
          ],
        },
        podOverride: { containers: [{ name: "output", env: [{ name: "X", value: "1" }] }] },
      },
      { timeoutMs: 10_000 },
    );
    expect(result).toMatchObject({ phase: "Succeeded", logs: "from output\n" });
    const pod = (await lc.cluster.get(podRef(result.podName))) as unknown as V1Pod;
    expect(pod.spec?.containers.map((c) => c.name)).toEqual(["output", "background"]);
    expect(pod.spec?.containers[0]?.env).toEqual([{ name: "X", value: "1" }]);
  });
});

describe("startLocalCluster: deletion", () => {
  let lc: LocalCluster;
  beforeAll(async () => {
    lc = await startLocalCluster({ ...fast, namespaces: ["app"] });
  });
  afterAll(() => lc.stop());

  it("ends an exec in flight when its pod is deleted", async () => {
    let started!: () => void;
    const execStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    lc.runtime.onExec({ command: "sleep 3600" }, (ctx) => {
      started();
      return new Promise((resolve) => ctx.signal.addEventListener("abort", () => resolve({ exitCode: 0 })));
    });
    await lc.apply(
      "apiVersion: v1\nkind: Pod\nmetadata: { name: doomed }\nspec: { containers: [{ name: c, image: busybox }] }",
    );
    await lc.cluster.waitFor(podRef("doomed"), running, { timeoutMs: 10_000 });
    // The session ends with the killed command's code, whether the adapter reports it as a result
    // or as a "pod not running" error carrying it. The outcome is observed from the start so that
    // the rejection, which arrives while the deletion is awaited, is never unhandled.
    const exitCode = lc.cluster
      .exec({ namespace: "default", pod: "doomed" }, ["sleep", "3600"], { timeoutMs: 10_000 })
      .then(
        (result) => result.exitCode,
        (err: unknown) => (err as { details?: { exitCode?: number } }).details?.exitCode,
      );
    await execStarted;
    await lc.cluster.delete(podRef("doomed"), { waitForDeletion: true, timeoutMs: 10_000 });
    expect(await exitCode).toBe(137);
  });

  it("terminates the pods of a deleted namespace, then removes the namespace", async () => {
    await lc.apply({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "app" },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "web", image: "nginx" }] },
        },
      },
    });
    await lc.cluster.scaleWorkload({ kind: "Deployment", namespace: "app", name: "web" }, 2, {
      timeoutMs: 10_000,
    });
    await lc.cluster.delete(
      { version: "v1", resource: "namespaces", name: "app" },
      { waitForDeletion: true, timeoutMs: 10_000 },
    );
    const pods = lc.store.typeFor("", "v1", "pods");
    expect(pods && lc.store.list(pods, "app").items).toEqual([]);
  });
});

describe("startLocalCluster (process runtime)", () => {
  let lc: LocalCluster<ProcessRuntime>;
  beforeAll(async () => {
    lc = await startLocalCluster({ ...fast, runtime: "process" });
  });
  afterAll(async () => {
    const dir = lc.tmpDir;
    await lc.stop();
    expect(existsSync(dir)).toBe(false);
  });

  it("runs exec as a host process and returns its exit code", async () => {
    await lc.apply(
      "apiVersion: v1\nkind: Pod\nmetadata: { name: shell }\nspec: { containers: [{ name: sh, image: busybox }] }",
    );
    await lc.cluster.waitFor(podRef("shell"), running, { timeoutMs: 10_000 });
    const result = await lc.cluster.exec(
      { namespace: "default", pod: "shell" },
      ["sh", "-c", "echo hi; exit 3"],
      { timeoutMs: 10_000 },
    );
    expect(result).toMatchObject({ exitCode: 3, stdout: "hi\n" });
  });

  it("runs a pod's main command as a host process and serves its log", async () => {
    const result = await lc.cluster.runPod(
      {
        namespace: "default",
        image: "busybox",
        command: ["sh", "-c", "echo from $(basename $QUIESCE_POD_ROOT | cut -c1-6); exit 0"],
      },
      { timeoutMs: 10_000 },
    );
    expect(result).toMatchObject({ exitCode: 0, phase: "Succeeded" });
    expect(result.logs).toMatch(/^from quiesc/);
  });
});

describe("startLocalCluster with tls", () => {
  let lc: LocalCluster;
  beforeAll(async () => {
    lc = await startLocalCluster({ ...fast, tls: true });
  });
  afterAll(() => lc.stop());

  it("serves HTTPS whose certificate the kubeconfig trusts: the adapter lists, waits and execs", async () => {
    expect(lc.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(lc.certificateAuthority).toContain("BEGIN CERTIFICATE");
    expect(lc.kubeconfig).toContain("certificate-authority-data");
    expect(lc.kubeconfig).not.toContain("insecure-skip-tls-verify");
    lc.runtime.onExec({ command: "hello" }, () => ({ stdout: "over tls\n" }));
    await lc.apply(
      "apiVersion: v1\nkind: Pod\nmetadata: { name: secure }\nspec: { containers: [{ name: app, image: x }] }",
    );
    await lc.cluster.waitFor(podRef("secure"), running);
    const pods = await lc.cluster.selectPods("default");
    expect(pods.map((p) => p.metadata?.name)).toEqual(["secure"]);
    const result = await lc.cluster.exec({ namespace: "default", pod: "secure" }, ["hello"], {
      pod: pods[0] as V1Pod,
    });
    expect(result).toMatchObject({ exitCode: 0, stdout: "over tls\n" });
    const again = await connect({ kubeconfigPath: lc.kubeconfigPath }).exec(
      { namespace: "default", pod: "secure" },
      ["hello"],
    );
    expect(again.stdout).toBe("over tls\n");
  });

  it("is refused by a client that does not trust its certificate", async () => {
    const untrusting = connect({
      kubeconfig: lc.kubeconfig.replace(/^\s*certificate-authority-data: .*\n/m, ""),
      retry: { maxAttempts: 1 },
    });
    await expect(untrusting.selectPods("default")).rejects.toMatchObject({
      message: expect.stringMatching(/certificate/i),
    });
  });
});

describe("startLocalCluster (a custom ContainerRuntime)", () => {
  it("runs exec sessions through the runtime it is given", async () => {
    const seen: string[] = [];
    const runtime: ContainerRuntime & { kind: "echo" } = {
      name: "echo",
      kind: "echo",
      run: () => undefined,
      async exec(container, argv, io) {
        seen.push(`${container.pod}/${container.container}: ${argv.join(" ")}`);
        await io.stdout(new TextEncoder().encode(argv.join(" ")));
        return { exitCode: 7 };
      },
    };
    const lc = await startLocalCluster({ ...fast, runtime });
    try {
      expect(lc.runtime.kind).toBe("echo");
      await lc.apply(
        "apiVersion: v1\nkind: Pod\nmetadata: { name: e }\nspec: { containers: [{ name: c, image: x }] }",
      );
      await lc.cluster.waitFor(podRef("e"), running, { timeoutMs: 10_000 });
      const result = await lc.cluster.exec({ namespace: "default", pod: "e" }, ["say", "hi"], {
        timeoutMs: 10_000,
      });
      expect(result).toMatchObject({ exitCode: 7, stdout: "say hi" });
      expect(seen).toEqual(["e/c: say hi"]);
    } finally {
      await lc.stop();
    }
  });
});
