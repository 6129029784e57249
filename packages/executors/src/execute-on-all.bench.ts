/**
 * ExecuteOnAll over 500 pods: wall time of a Pod-executor exec action whose every exec takes a
 * fixed latency, against the ideal ⌈pods / concurrency⌉ × latency set by the concurrency limit.
 * Settings: an in-process stand-in answering exec after the latency (the executor's own
 * scheduling overhead), and the local cluster (real client-node adapter, exec over WebSocket,
 * scripted runtime sleeping the latency) served both from this process — its CPU then competes
 * with the client's on the same thread — and from a process of its own, as a real API server is
 * remote. Each local-cluster setting runs with the adapter's default rate limit (50 qps, burst
 * 100) and with it raised to 10 000 (labelled). The Pod executor hands the listed pod to each
 * exec, so an exec is one request (the WebSocket upgrade, which the limiter does not count).
 */
import { type Cluster, connect, type ExecResult, type V1Pod } from "@quiesce/kube";
import { startLocalCluster } from "@quiesce/testing";
import { runAction } from "./run-action.js";
import { startBenchCluster } from "./test-support/bench-cluster.js";

const PODS = 500;
const LATENCY_MS = 50;

function pods(n: number): V1Pod[] {
  return Array.from({ length: n }, (_, i) => ({
    metadata: { name: `db-${String(i).padStart(3, "0")}`, namespace: "bench", labels: { app: "db" } },
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
): Promise<void> {
  // One untimed run first: a fresh connection's code paths (and a fresh server's) are not yet optimised.
  await runAction({
    action: { exec: { command: ["fsfreeze", "-f", "/data"] } },
    executor: { type: "Pod", pod: { selector: "app=db", strategy: "ExecuteOnAll" } },
    namespace: "bench",
    cluster,
    concurrency: concurrencies[0] ?? 10,
  });
  for (const concurrency of concurrencies) {
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const result = await runAction({
        action: { exec: { command: ["fsfreeze", "-f", "/data"] } },
        executor: { type: "Pod", pod: { selector: "app=db", strategy: "ExecuteOnAll" } },
        namespace: "bench",
        cluster,
        concurrency,
      });
      runs.push(performance.now() - t0);
      if (result.status !== "succeeded" || result.targets.length !== PODS)
        throw new Error(`run failed: ${result.error?.message}`);
    }
    const best = Math.min(...runs);
    const ideal = Math.ceil(PODS / concurrency) * LATENCY_MS;
    rows.push([label, String(concurrency), ideal.toFixed(0), best.toFixed(0), (best / ideal).toFixed(3)]);
  }
}

const rows: string[][] = [];
await measure("in-process stand-in", scriptedCluster(pods(PODS)), [10, 25, 50, 100], rows);

const RAISED = { qps: 10_000, burst: 10_000 };

// The API server in this process: its exec cost shares the one JavaScript thread with the client's.
const lc = await startLocalCluster({
  podStartDelayMs: 0,
  readyDelayMs: 0,
  terminationDelayMs: 0,
  namespaces: ["bench"],
});
try {
  lc.runtime.onExec(
    { command: /^fsfreeze/ },
    () => new Promise((r) => setTimeout(() => r({ stdout: "ok\n" }), LATENCY_MS)),
  );
  await lc.apply(
    pods(PODS).map((p) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: p.metadata?.name ?? "", namespace: "bench", labels: { app: "db" } },
      spec: { containers: [{ name: "db", image: "db" }] },
    })),
  );
  for (;;) {
    const running = (await lc.cluster.selectPods("bench", { selector: "app=db" })).filter(
      (p) => p.status?.phase === "Running",
    );
    if (running.length === PODS) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await measure("local cluster, same process, default limits", lc.cluster, [25, 50], rows);
  await measure(
    "local cluster, same process, qps/burst 10000",
    connect({ kubeconfig: lc.kubeconfig, ...RAISED }),
    [25, 50],
    rows,
  );
} finally {
  await lc.stop();
}

// The API server in a process of its own (as a real one is remote): the figure is quiesce's cost.
const remote = await startBenchCluster({ pods: PODS, latencyMs: LATENCY_MS });
try {
  await measure(
    "local cluster, own process, default limits",
    connect({ kubeconfig: remote.kubeconfig }),
    [25, 50],
    rows,
  );
  await measure(
    "local cluster, own process, qps/burst 10000",
    connect({ kubeconfig: remote.kubeconfig, ...RAISED }),
    [25, 50],
    rows,
  );
} finally {
  await remote.stop();
}

process.stdout.write(
  `ExecuteOnAll, ${PODS} pods, exec latency ${LATENCY_MS} ms (best of 3 after one untimed warm-up run per setting)\n`,
);
process.stdout.write("cluster | concurrency | ideal ms | wall ms | ratio (goal ≤ 1.2)\n");
for (const r of rows) process.stdout.write(`${r.join(" | ")}\n`);
process.stdout.write(
  '("same process" rows include the embedded API server\'s exec cost — request routing, WebSocket upgrade and session — on the client\'s thread; "own process" rows measure the client against a server with its own process, as a real API server is)\n',
);
