/**
 * ExecuteOnAll over 500 pods: wall time of a Pod-executor exec action whose every exec takes a
 * fixed latency, against the ideal ⌈pods / concurrency⌉ × latency set by the concurrency limit.
 * The cluster here is an in-process stand-in answering selectPods and exec after `latency` ms, so
 * the figure is the executor's own scheduling overhead (the adapter is benchmarked in @quiesce/kube).
 */
import type { Cluster, ExecResult, V1Pod } from "@quiesce/kube";
import { runAction } from "./run-action.js";

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

const cluster = scriptedCluster(pods(PODS));
const rows: string[][] = [];
for (const concurrency of [10, 25, 50, 100]) {
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
  rows.push([String(concurrency), ideal.toFixed(0), best.toFixed(0), (best / ideal).toFixed(3)]);
}

process.stdout.write(`ExecuteOnAll, ${PODS} pods, exec latency ${LATENCY_MS} ms (best of 3)\n`);
process.stdout.write("concurrency | ideal ms | wall ms | ratio (goal ≤ 1.2)\n");
for (const r of rows) process.stdout.write(`${r.join(" | ")}\n`);
