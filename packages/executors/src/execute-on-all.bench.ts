/**
 * ExecuteOnAll over 1,000 pods: wall time of a Pod-executor exec action whose every exec takes a
 * fixed latency, against the ideal ⌈pods / concurrency⌉ × latency set by the concurrency limit
 * (goal ≤ 1.2× at concurrency 50, over TLS). Settings: an in-process stand-in answering exec after
 * the latency (the executor's own scheduling overhead); the local cluster (real client-node
 * adapter, exec over WebSocket, scripted runtime sleeping the latency) served from this process —
 * its CPU then competes with the client's on the same thread; and served from a process of its
 * own, as a real API server is remote, over plain http and over TLS (every real API server speaks
 * TLS, and every exec is a new connection). The Pod executor hands the listed pod to each exec, so
 * an exec is one request, the WebSocket upgrade, which the client-side rate limit does not count
 * (client-go's exec does not go through it either): raising qps/burst changes nothing here.
 * CPU columns: this process (client) and the server process, for the best run.
 */
import { type Cluster, connect, type ExecResult, type V1Pod } from "@quiesce/kube";
import { startLocalCluster } from "@quiesce/testing";
import {
  benchPodName,
  type ClusterProcess,
  countTlsHandshakes,
  cpuMsSince,
  fixed,
  printGrid,
  startClusterProcess,
} from "@quiesce/testing/bench";
import { runAction } from "./run-action.js";

const PODS = 1000;
const LATENCY_MS = 50;
const handshakes = countTlsHandshakes();

function pods(n: number): V1Pod[] {
  return Array.from({ length: n }, (_, i) => ({
    metadata: { name: benchPodName(i), namespace: "bench", labels: { app: "db" } },
    spec: { containers: [{ name: "db", image: "db" }] },
    status: { phase: "Running", podIP: "127.0.0.1", conditions: [{ type: "Ready", status: "True" }] },
  }));
}

function scriptedCluster(all: V1Pod[]): Cluster {
  const notUsed = () => Promise.reject(new Error("not used by this benchmark"));
  return {
    selectPods: async () => all,
    exec: (target, command) =>
      new Promise<ExecResult>((resolve) =>
        setTimeout(
          () =>
            resolve({
              pod: target.pod,
              container: target.container ?? "db",
              exitCode: 0,
              stdout: `${command.join(" ")}\n`,
              stderr: "",
              stdoutTruncated: false,
              stderrTruncated: false,
              stdoutDroppedBytes: 0,
              stderrDroppedBytes: 0,
              durationMs: LATENCY_MS,
            }),
          LATENCY_MS,
        ),
      ),
    workloadFacts: notUsed,
    scaleWorkload: notUsed,
    runPod: notUsed,
    withPod: notUsed,
    runJob: notUsed,
    resolveResource: notUsed,
    get: notUsed,
    list: notUsed,
    create: notUsed,
    patch: notUsed,
    delete: notUsed,
    waitFor: notUsed,
  };
}

async function measure(
  label: string,
  cluster: Cluster,
  concurrencies: number[],
  rows: string[][],
  server?: ClusterProcess,
): Promise<void> {
  const run = (concurrency: number) =>
    runAction({
      action: { exec: { command: ["fsfreeze", "-f", "/data"] } },
      executor: { type: "Pod", pod: { selector: "app=db", strategy: "ExecuteOnAll" } },
      namespace: "bench",
      cluster,
      concurrency,
    });
  // One untimed run first: a fresh connection's code paths (and a fresh server's) are not yet optimised.
  await run(concurrencies[0] ?? 10);
  for (const concurrency of concurrencies) {
    let best = { wall: Number.POSITIVE_INFINITY, client: 0, server: Number.NaN };
    handshakes.reset();
    for (let i = 0; i < 3; i++) {
      await server?.usage({ reset: true });
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      const result = await run(concurrency);
      const wall = performance.now() - t0;
      const client = cpuMsSince(cpu);
      const serverMs = server ? (await server.usage()).cpuMs : Number.NaN;
      if (result.status !== "succeeded" || result.targets.length !== PODS)
        throw new Error(`run failed: ${result.error?.message}`);
      if (wall < best.wall) best = { wall, client, server: serverMs };
    }
    const ideal = Math.ceil(PODS / concurrency) * LATENCY_MS;
    rows.push([
      label,
      String(concurrency),
      ideal.toFixed(0),
      best.wall.toFixed(0),
      (best.wall / ideal).toFixed(3),
      fixed(best.client),
      fixed(best.server),
      handshakes.full + handshakes.resumed > 0
        ? `${handshakes.full} full, ${handshakes.resumed} resumed`
        : "-",
    ]);
  }
}

const rows: string[][] = [];
await measure("in-process stand-in", scriptedCluster(pods(PODS)), [10, 25, 50, 100], rows);

// The API server in this process: its exec cost shares the one JavaScript thread with the client's.
const lc = await startLocalCluster({
  podStartDelayMs: 0,
  readyDelayMs: 0,
  terminationDelayMs: 0,
  namespaces: ["bench"],
  csi: false,
});
try {
  lc.runtime.onExec(
    { command: /^fsfreeze/ },
    () => new Promise((r) => setTimeout(() => r({ stdout: "ok\n" }), LATENCY_MS)),
  );
  const running = new Promise<void>((resolve) => {
    let count = 0;
    const podType = lc.store.typeFor("", "v1", "pods");
    if (!podType) throw new Error("no pods type");
    lc.store.watch(podType, "bench", lc.store.currentResourceVersion(), (e) => {
      if ((e.object.status as { phase?: string } | undefined)?.phase === "Running" && ++count === PODS)
        resolve();
    });
  });
  await lc.apply(
    pods(PODS).map((p) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: p.metadata?.name ?? "", namespace: "bench", labels: { app: "db" } },
      spec: { containers: [{ name: "db", image: "db" }] },
    })),
  );
  await running;
  await measure("local cluster, same process, http", lc.cluster, [25, 50], rows);
} finally {
  await lc.stop();
}

// The API server in a process of its own (as a real one is remote): the figure is quiesce's cost.
for (const tls of [false, true]) {
  const remote = await startClusterProcess({ tls, podsPerNamespace: PODS, latencyMs: LATENCY_MS });
  try {
    await measure(
      `local cluster, own process, ${tls ? "TLS" : "http"}`,
      connect({ kubeconfig: remote.kubeconfig }),
      [25, 50],
      rows,
      remote,
    );
  } finally {
    await remote.stop();
  }
}
handshakes.stop();

printGrid(
  `ExecuteOnAll, ${PODS} pods, exec latency ${LATENCY_MS} ms (best of 3 after one untimed warm-up run per setting)`,
  [
    "cluster",
    "concurrency",
    "ideal ms",
    "wall ms",
    "ratio (goal ≤ 1.2)",
    "client CPU ms",
    "server CPU ms",
    "TLS handshakes (3 runs)",
  ],
  rows,
);
process.stdout.write(
  '("same process" rows include the embedded API server\'s exec cost — request routing, WebSocket upgrade and session — on the client\'s thread; "own process" rows measure the client against a server with its own process, as a real API server is)\n',
);
