import { ErrorCodes } from "@quiesce/core";
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { CORPUS_TAG, readCorpus, readFixture } from "@quiesce/testing/corpus";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { describeExecutorConformance } from "../executor.conformance.js";
import { runAction } from "../run-action.js";
import { deployment, fastCluster, waitForRunningPods } from "../test-support/local.js";
import { startHttpServer, startTcpServer, type TestHttpServer } from "../test-support/servers.js";

const corpus = { tags: [CORPUS_TAG] };

describeExecutorConformance("Pod, ExecuteOnAll over a Deployment (scripted runtime)", async () => {
  const lc = await fastCluster();
  lc.runtime.onExec({ command: "freeze ok" }, (ctx) => ({ stdout: `frozen-ok ${ctx.pod}\n` }));
  lc.runtime.onExec({ command: "freeze fail" }, () => ({ stderr: "disk-full\n", exitCode: 3 }));
  lc.runtime.onExec(
    { command: "freeze hang" },
    (ctx) => new Promise((r) => ctx.signal.addEventListener("abort", () => r({}))),
  );
  await lc.apply(deployment("conf", 3, { app: "conf" }));
  await waitForRunningPods(lc, "default", "app=conf", 3);
  const exec = (arg: string) => ({ exec: { command: ["freeze", arg] } });
  return {
    base: {
      executor: { type: "Pod", pod: { selector: "app=conf", strategy: "ExecuteOnAll" } },
      namespace: "default",
      cluster: lc.cluster,
    },
    succeed: { action: exec("ok"), marker: "frozen-ok" },
    fail: { action: exec("fail"), marker: "disk-full", exitCode: 3 },
    hang: { action: exec("hang") },
    possiblyStillRunningOnTimeout: true,
    targetKind: "Pod",
    targets: 3,
    teardown: () => lc.stop(),
  };
});

describe("Pod executor", () => {
  let lc: LocalCluster;
  let server: TestHttpServer;
  let tcpPort: number;
  let closeTcp: () => Promise<void>;
  beforeAll(async () => {
    lc = await fastCluster();
    server = await startHttpServer((req, res) =>
      res.writeHead(req.url === "/down" ? 500 : 200).end(`seen ${req.url}`),
    );
    const tcp = await startTcpServer();
    tcpPort = tcp.port;
    closeTcp = tcp.close;
    lc.runtime.onExec({ command: "whoami" }, (ctx) => ({ stdout: `${ctx.pod}/${ctx.container}\n` }));
    await lc.apply([
      deployment("web", 3, { app: "shop", tier: "web" }, [
        { name: "main", ports: [{ name: "http", containerPort: server.port }] },
        { name: "sidecar", ports: [{ name: "probe", containerPort: tcpPort }] },
      ]),
      deployment("worker", 2, { app: "shop", tier: "worker" }),
    ]);
    await waitForRunningPods(lc, "default", "app=shop", 5);
  });
  afterAll(async () => {
    await lc.stop();
    await server.close();
    await closeTcp();
  });

  const run = (action: unknown, pod: Record<string, unknown>) =>
    runAction({ action, executor: { type: "Pod", pod }, namespace: "default", cluster: lc.cluster });

  it("ExecuteOnOne runs on one pod, the same one every time", async () => {
    const first = await run({ exec: { command: ["whoami"] } }, { selector: "app=shop" });
    const second = await run({ exec: { command: ["whoami"] } }, { selector: "app=shop" });
    expect(first.targets).toHaveLength(1);
    expect(first.targets[0]?.name).toBe(second.targets[0]?.name);
    const names = (await lc.cluster.selectPods("default", { selector: "app=shop" })).map(
      (p) => p.metadata?.name,
    );
    expect(first.targets[0]?.name).toBe([...names].sort()[0]);
  });

  it("ExecuteOnAll with a KubeStash selector string runs on every matching pod", async () => {
    const result = await run(
      { exec: { command: ["whoami"] } },
      { selector: "app=shop, tier=web", strategy: "ExecuteOnAll" },
    );
    expect(result.status).toBe("succeeded");
    expect(result.targets.map((t) => t.name).every((n) => n.startsWith("web-"))).toBe(true);
    expect(new Set(result.targets.map((t) => t.stdout)).size).toBe(3);
  });

  it("ExecuteOnAll keeps per-pod results when one pod fails, naming it in the error", async () => {
    const names = (await lc.cluster.selectPods("default", { selector: "tier=web" }))
      .map((p) => p.metadata?.name ?? "")
      .sort();
    const bad = names[1] as string;
    lc.runtime.onExec({ command: "flush" }, (ctx) =>
      ctx.pod === bad ? { stderr: "lock timeout\n", exitCode: 1 } : { stdout: "flushed\n" },
    );
    const result = await run(
      { exec: { command: ["flush"] } },
      { selector: "tier=web", strategy: "ExecuteOnAll" },
    );
    expect(result.status).toBe("failed");
    expect(result.targets.map((t) => [t.name, t.status])).toEqual(
      names.map((n) => [n, n === bad ? "failed" : "succeeded"]),
    );
    expect(result.error?.message).toBe(`exec failed on 1 of 3 targets: ${bad} (exit 1)`);
    expect(result.targets.find((t) => t.name === bad)?.stderr).toBe("lock timeout\n");
  });

  it("filters by owner through the controller chain", async () => {
    const result = await run(
      { exec: { command: ["whoami"] } },
      {
        selector: "app=shop",
        owner: { apiVersion: "apps/v1", kind: "Deployment", name: "worker" },
        strategy: "ExecuteOnAll",
      },
    );
    expect(result.targets).toHaveLength(2);
    expect(result.targets.every((t) => t.name.startsWith("worker-"))).toBe(true);
  });

  it("execs in containerName, else the first container", async () => {
    const side = await run(
      { exec: { command: ["whoami"] }, containerName: "sidecar" },
      { selector: "tier=web" },
    );
    expect(side.targets[0]?.stdout).toMatch(/\/sidecar\n$/);
    expect(side.targets[0]?.container).toBe("sidecar");
    const main = await run({ exec: { command: ["whoami"] } }, { selector: "tier=web" });
    expect(main.targets[0]?.stdout).toMatch(/\/main\n$/);
    expect(main.targets[0]?.container).toBe("main");
  });

  it("without containerName, exec goes to spec.containers[0] even when the pod names another default container", async () => {
    await lc.apply({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "annotated",
        namespace: "default",
        labels: { tier: "annotated" },
        annotations: { "kubectl.kubernetes.io/default-container": "sidecar" },
      },
      spec: {
        containers: [
          { name: "first", image: "a" },
          { name: "sidecar", image: "b" },
        ],
      },
    });
    await waitForRunningPods(lc, "default", "tier=annotated", 1);
    const result = await run({ exec: { command: ["whoami"] } }, { selector: "tier=annotated" });
    expect(result.targets[0]?.stdout).toBe("annotated/first\n");
  });

  it("fails a target whose pod lacks the named container", async () => {
    const result = await run(
      { exec: { command: ["whoami"] }, containerName: "nope" },
      { selector: "tier=web" },
    );
    expect(result.status).toBe("failed");
    expect(result.error?.code).toBe(ErrorCodes.KUBE_CONTAINER_NOT_FOUND);
    expect(result.error?.message).toContain('no container "nope" (containers: main, sidecar)');
  });

  it("fails clearly when no pod matches", async () => {
    const result = await run({ exec: { command: ["whoami"] } }, { selector: "app=missing" });
    expect(result.status).toBe("failed");
    expect(result.targets).toEqual([]);
    expect(result.error?.code).toBe("QUIESCE_NO_TARGETS");
    expect(result.error?.message).toContain(
      'no Running pod in namespace default matches selector "app=missing"',
    );
  });

  it("reports an unscripted command's exit code and stderr", async () => {
    const result = await run({ exec: { command: ["not-scripted"] } }, { selector: "tier=web" });
    expect(result.status).toBe("failed");
    expect(result.targets[0]?.exitCode).toBe(126);
    expect(result.targets[0]?.stderr).not.toBe("");
    expect(result.error?.code).toBe(ErrorCodes.EXEC_NONZERO_EXIT);
  });

  it("keeps the output a timed-out command wrote, and reports it as possibly still running", async () => {
    lc.runtime.onExec({ command: "slow-flush" }, async (ctx) => {
      await ctx.stdout("flushed 3 of 10 tables\n");
      await new Promise((r) => ctx.signal.addEventListener("abort", r, { once: true }));
      return {};
    });
    const result = await runAction({
      action: { exec: { command: ["slow-flush"] } },
      executor: { type: "Pod", pod: { selector: "tier=web" } },
      namespace: "default",
      cluster: lc.cluster,
      timeoutMs: 300,
    });
    expect(result.status).toBe("failed");
    expect(result.error?.code).toBe(ErrorCodes.TIMEOUT);
    expect(result.targets[0]?.stdout).toBe("flushed 3 of 10 tables\n");
    expect(result.targets[0]?.possiblyStillRunning).toBe(true);
  });

  it("httpGet goes to the pod IP and resolves a named port from the action's container", async () => {
    const result = await run(
      { httpGet: { scheme: "HTTP", port: "http", path: "/healthz" }, containerName: "main" },
      { selector: "tier=web" },
    );
    expect(result.status).toBe("succeeded");
    expect(result.targets[0]?.httpStatus).toBe(200);
    expect(result.targets[0]?.responseBody).toBe("seen /healthz");
    const down = await run(
      { httpPost: { scheme: "HTTP", port: "http", path: "/down", body: "x" }, containerName: "main" },
      { selector: "tier=web" },
    );
    expect(down.status).toBe("failed");
    expect(down.targets[0]?.httpStatus).toBe(500);
  });

  it("fails a named port without containerName, or one its container does not declare, as KubeStash's prober does", async () => {
    const bare = await run({ httpGet: { scheme: "HTTP", port: "http" } }, { selector: "tier=web" });
    expect(bare.status).toBe("failed");
    expect(bare.error?.code).toBe("QUIESCE_PORT_NOT_FOUND");
    expect(bare.error?.message).toContain("needs the action's containerName");
    const result = await run(
      { httpGet: { scheme: "HTTP", port: "metrics" }, containerName: "main" },
      { selector: "tier=web" },
    );
    expect(result.error?.code).toBe("QUIESCE_PORT_NOT_FOUND");
    expect(result.error?.message).toContain(
      'named port "metrics" is not declared by container "main" of pod web-',
    );
  });

  // kmodules.xyz/prober extractPort: a string port needs the container first, then its name, then
  // "maybe it was an int stored as string".
  it("takes a port written as a string only through containerName, as a name first and then as a number", async () => {
    const quoted = { scheme: "HTTP", port: String(server.port), path: "/healthz" } as const;
    const ok = await run({ httpGet: quoted, containerName: "main" }, { selector: "tier=web" });
    expect(ok.status).toBe("succeeded");
    const bare = await run({ httpGet: quoted }, { selector: "tier=web" });
    expect(bare.error).toMatchObject({
      code: "QUIESCE_PORT_NOT_FOUND",
      message: expect.stringContaining(`port "${server.port}" needs the action's containerName`),
    });
    const zero = await run(
      { httpGet: { ...quoted, port: "0" }, containerName: "main" },
      { selector: "tier=web" },
    );
    expect(zero.error?.message).toBe("invalid port number: 0");
  });

  // kmodules.xyz/prober probe/prober.go: the handlers run in turn (exec, httpGet, …); the exec goes
  // to containers[0] when containerName is unset, but extractPort looks a string port up in
  // containerName only, and a numeric port needs no container at all.
  it("runs several handlers on the pod in turn; ports follow containerName, not the exec's container", async () => {
    const both = await run(
      { exec: { command: ["whoami"] }, httpGet: { scheme: "HTTP", port: server.port, path: "/after-exec" } },
      { selector: "tier=web" },
    );
    expect(both).toMatchObject({
      status: "succeeded",
      targets: [{ container: "main", httpStatus: 200, responseBody: "seen /after-exec" }],
    });
    expect(both.targets[0]?.stdout).toMatch(/^web-.*\/main\n$/);
    const named = await run(
      { exec: { command: ["whoami"] }, httpGet: { scheme: "HTTP", port: "http" } },
      { selector: "tier=web" },
    );
    expect(named.targets[0]?.stdout).toMatch(/\/main\n$/);
    expect(named.error?.message).toContain("needs the action's containerName");
    const numeric = await run(
      { httpGet: { scheme: "HTTP", port: server.port, path: "/any-container" }, containerName: "absent" },
      { selector: "tier=web" },
    );
    expect(numeric).toMatchObject({ status: "succeeded", targets: [{ httpStatus: 200 }] });
  });

  it("tcpSocket resolves a named port of containerName", async () => {
    const result = await run(
      { tcpSocket: { port: "probe" }, containerName: "sidecar" },
      { selector: "tier=web" },
    );
    expect(result.status).toBe("succeeded");
    const wrong = await run(
      { tcpSocket: { port: "probe" }, containerName: "main" },
      { selector: "tier=web" },
    );
    expect(wrong.error?.code).toBe("QUIESCE_PORT_NOT_FOUND");
  });
});

/**
 * Runs a document's HookTemplate (exec in `container`, ExecuteOnAll) against a two-replica
 * StatefulSet labelled as its selector wants, and checks it ran in that container of every pod.
 */
async function runsOnEveryPod(
  text: string,
  set: {
    namespace: string;
    name: string;
    container: string;
    command: RegExp;
    labels: Record<string, string>;
  },
): Promise<void> {
  const doc = parse(text) as { spec: { action: unknown; executor: unknown } };
  const lc = await fastCluster();
  try {
    const seen: string[] = [];
    lc.runtime.onExec({ container: set.container, command: set.command }, (ctx) => {
      seen.push(ctx.pod);
      return { stdout: "" };
    });
    await lc.apply([
      { apiVersion: "v1", kind: "Namespace", metadata: { name: set.namespace } },
      {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: set.name, namespace: set.namespace },
        spec: {
          replicas: 2,
          serviceName: set.name,
          selector: { matchLabels: set.labels },
          template: {
            metadata: { labels: set.labels },
            spec: {
              containers: [
                { name: "exporter", image: "exporter:1" },
                { name: set.container, image: "db:8" },
              ],
            },
          },
        },
      },
    ]);
    const selector = Object.entries(set.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
    await waitForRunningPods(lc, set.namespace, selector, 2);
    const result = await runAction({ ...doc.spec, namespace: set.namespace, cluster: lc.cluster });
    expect(result.status).toBe("succeeded");
    expect(seen.sort()).toEqual([`${set.name}-0`, `${set.name}-1`]);
    expect(result.targets.map((t) => t.container)).toEqual([set.container, set.container]);
  } finally {
    await lc.stop();
  }
}

describe("KubeStash HookTemplates on a local cluster", () => {
  it("runs fs-freeze (exec in container db, ExecuteOnAll, a two-label selector) on every database pod", async () => {
    await runsOnEveryPod(readFixture("kubestash/fs-freeze-hooktemplate.yaml"), {
      namespace: "shop",
      name: "inventory-db",
      container: "db",
      command: /^\/sbin\/fsfreeze --freeze \/var\/lib\/inventory$/,
      labels: { "app.kubernetes.io/name": "inventory", "app.kubernetes.io/component": "database" },
    });
  });

  it(
    "runs the corpus readonly-hook (exec in container mysql, ExecuteOnAll) on every MySQL pod",
    corpus,
    async () => {
      await runsOnEveryPod(readCorpus("kubestash/backup-and-restore-hooks__hooktemplate.yaml"), {
        namespace: "demo",
        name: "sample-mysql",
        container: "mysql",
        command: /SET GLOBAL super_read_only = ON/,
        labels: {
          "app.kubernetes.io/instance": "sample-mysql",
          "app.kubernetes.io/managed-by": "kubedb.com",
          "app.kubernetes.io/name": "mysqls.kubedb.com",
        },
      });
    },
  );
});

describeExecutorConformance("Pod, process runtime (real processes)", async () => {
  const lc = await startLocalCluster({
    runtime: "process",
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
  });
  await lc.apply(deployment("proc", 2, { app: "proc" }, [{ name: "main", command: ["sleep", "3600"] }]));
  await waitForRunningPods(lc, "default", "app=proc", 2);
  return {
    base: {
      executor: { type: "Pod", pod: { selector: "app=proc", strategy: "ExecuteOnAll" } },
      namespace: "default",
      cluster: lc.cluster,
    },
    succeed: { action: { exec: { command: ["sh", "-c", "echo frozen-ok"] } }, marker: "frozen-ok" },
    fail: {
      action: { exec: { command: ["sh", "-c", "echo disk-full >&2; exit 3"] } },
      marker: "disk-full",
      exitCode: 3,
    },
    hang: { action: { exec: { command: ["sleep", "30"] } } },
    possiblyStillRunningOnTimeout: true,
    targetKind: "Pod",
    targets: 2,
    teardown: () => lc.stop(),
  };
});
