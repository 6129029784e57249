/**
 * What an operator of a 5,000-pod cluster asks before adopting quiesce, measured: a freeze and a
 * thaw on every pod of a 5,000-pod namespace (runWithHooks, pre + post exec hook, ExecuteOnAll),
 * over TLS against a local cluster in a process of its own, at the default action concurrency (8)
 * and at 50. Exec latency 0, so the figures are quiesce's and the API server's own cost.
 * - How long, and what bounds it: wall time, client and server CPU per exec.
 * - How hard it hits the API server: requests by verb, and the size of the pod LIST.
 * - How much memory the host needs: heap and RSS peak, what the result keeps, and whether the heap
 *   returns to its baseline once the result is dropped.
 */
import { connect } from "@quiesce/kube";
import {
  collectGarbage,
  cpuMsSince,
  fixed,
  MiB,
  printGrid,
  printTable,
  startClusterProcess,
} from "@quiesce/testing/bench";
import type { HookSpec } from "./hook-spec.js";
import { runWithHooks } from "./lifecycle.js";
import type { SessionResult } from "./result.js";

const PODS = 5000;
const execOnAll = (name: string, flag: string): HookSpec => ({
  name,
  action: { exec: { command: ["fsfreeze", flag, "/data"] } },
  executor: { type: "Pod", pod: { selector: "app=db", strategy: "ExecuteOnAll" } },
});
const hooks = { pre: [execOnAll("freeze", "--freeze")], post: [execOnAll("thaw", "--unfreeze")] };

const server = await startClusterProcess({ tls: true, podsPerNamespace: PODS });
const rows: string[][] = [];
const facts: [string, string][] = [];
try {
  const cluster = connect({ kubeconfig: server.kubeconfig });
  const listed = await cluster.selectPods("bench", { selector: "app=db" });
  facts.push([
    `pod LIST of ${listed.length} pods (what each ExecuteOnAll hook reads once)`,
    `${fixed(JSON.stringify({ items: listed }).length / MiB, 1)} MiB of JSON`,
  ]);
  for (const actionConcurrency of [8, 50]) {
    const session = () =>
      runWithHooks(
        {
          cluster,
          subject: { kind: "Namespace", name: "bench", namespace: "bench" },
          hooks,
          actionConcurrency,
        },
        async () => undefined,
      );
    collectGarbage();
    const baseline = process.memoryUsage();
    let peakHeap = baseline.heapUsed;
    let peakRss = baseline.rss;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    }, 10);
    await server.usage({ reset: true });
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    let result: SessionResult | undefined = await session();
    const wall = performance.now() - t0;
    const clientMs = cpuMsSince(cpu);
    clearInterval(sampler);
    const usage = await server.usage();
    const execs = result.hooks.reduce(
      (n, h) => n + h.targets.filter((t) => t.status === "succeeded").length,
      0,
    );
    if (result.outcome !== "succeeded" || execs !== 2 * PODS) {
      throw new Error(`session ${result.outcome}, ${execs} execs: ${result.error?.message}`);
    }
    const resultBytes = JSON.stringify(result).length;
    collectGarbage();
    const held = process.memoryUsage().heapUsed - baseline.heapUsed;
    result = undefined;
    collectGarbage();
    const after = process.memoryUsage().heapUsed - baseline.heapUsed;
    rows.push([
      String(actionConcurrency),
      fixed(wall / 1000, 1),
      fixed((wall * 1000) / (2 * PODS)),
      fixed((clientMs * 1000) / (2 * PODS)),
      fixed((usage.cpuMs * 1000) / (2 * PODS)),
      Object.entries(usage.requests)
        .map(([verb, n]) => `${verb} ${n}`)
        .join(", "),
      fixed((peakHeap - baseline.heapUsed) / MiB, 1),
      fixed((peakRss - baseline.rss) / MiB, 1),
      `${fixed(resultBytes / MiB, 1)} / ${fixed(held / MiB, 1)}`,
      fixed(after / MiB, 2),
    ]);
  }
} finally {
  await server.stop();
}
printTable("A 5,000-pod namespace (TLS, server in its own process)", facts);
printGrid(
  `freeze + thaw on every pod of ${PODS} (runWithHooks, ExecuteOnAll pre and post hooks, exec latency 0)`,
  [
    "actionConcurrency",
    "session s",
    "µs wall/exec",
    "client CPU µs/exec",
    "server CPU µs/exec",
    "API requests",
    "heap peak MiB",
    "RSS peak MiB",
    "result JSON / heap held MiB",
    "heap after dropping the result MiB",
  ],
  rows,
);
