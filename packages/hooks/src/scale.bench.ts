/**
 * How the cost of a multi-namespace session grows: runWithHooks over N namespaces × 10 pods
 * (N = 10, 100, 1,000), a pre and a post hook each running an exec on every pod (inline KubeStash
 * action, Pod executor, ExecuteOnAll) around a no-op step, against a local cluster of exactly those
 * namespaces in a process of its own, over TLS. Per namespace: wall time, client CPU, server CPU,
 * API requests, and the client's heap (peak above the baseline while running, and what the result
 * keeps after a full collection). Goal: the per-namespace figures at 1,000 within 1.1× of those at
 * 100. A 5,000-pod namespace is operator.bench.ts's.
 *
 * Each N runs twice: with the client-side rate limit the adapter has by default (50 requests/s,
 * burst 100; exec upgrades are not counted) and without it (`qps: Infinity`). The REST calls of a
 * session (a pod LIST per hook and namespace, the record's writes) need about 2.7 tokens per
 * namespace, so with the default limit a large session cannot go faster than about 54 ms per
 * namespace, while a small one spends its burst first: the limited rows show what a host gets by
 * default, the unlimited ones how the session's own cost grows.
 */
import { type Cluster, connect } from "@quiesce/kube";
import {
  type ClusterProcess,
  collectGarbage,
  cpuMsSince,
  fixed,
  MiB,
  printGrid,
  startClusterProcess,
} from "@quiesce/testing/bench";
import type { HookSpec } from "./hook-spec.js";
import { runWithHooks } from "./lifecycle.js";

const PODS_PER_NAMESPACE = 10;

const execOnAll = (name: string, flag: string): HookSpec => ({
  name,
  action: { exec: { command: ["fsfreeze", flag, "/data"] } },
  executor: { type: "Pod", pod: { selector: "app=db", strategy: "ExecuteOnAll" } },
});
const hooks = { pre: [execOnAll("freeze", "--freeze")], post: [execOnAll("thaw", "--unfreeze")] };

interface Figures {
  wallMs: number;
  restRequests: number;
  clientCpuMs: number;
  serverCpuMs: number;
  requests: number;
  peakHeap: number;
  retainedHeap: number;
}

async function session(cluster: Cluster, server: ClusterProcess, namespaces: string[]): Promise<Figures> {
  collectGarbage();
  const baseline = process.memoryUsage().heapUsed;
  let peakHeap = baseline;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 10);
  await server.usage({ reset: true });
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const result = await runWithHooks(
    { cluster, namespaces, hooks, defaultHookTimeout: "10m" },
    async () => undefined,
  );
  const wallMs = performance.now() - t0;
  const clientCpuMs = cpuMsSince(cpu);
  clearInterval(sampler);
  const usage = await server.usage();
  const execs = result.hooks.reduce(
    (n, h) => n + h.targets.filter((t) => t.status === "succeeded").length,
    0,
  );
  if (result.outcome !== "succeeded" || execs !== namespaces.length * PODS_PER_NAMESPACE * 2) {
    throw new Error(`session ${result.outcome} with ${execs} execs: ${result.error?.message}`);
  }
  // Every write of the session record went through (a failed one would only be a warning).
  const record = result.sessionRecord;
  if (record?.state !== "done" || (record.warnings ?? []).length > 0) {
    throw new Error(`session record ${record?.state}: ${JSON.stringify(record?.warnings)}`);
  }
  collectGarbage();
  const retainedHeap = process.memoryUsage().heapUsed - baseline;
  // The result is still referenced here, so the collection above kept it.
  if (result.hooks.length === 0) throw new Error("no hooks recorded");
  return {
    wallMs,
    restRequests: Object.entries(usage.requests).reduce((a, [verb, n]) => a + (verb === "exec" ? 0 : n), 0),
    clientCpuMs,
    serverCpuMs: usage.cpuMs,
    requests: Object.values(usage.requests).reduce((a, b) => a + b, 0),
    peakHeap: Math.max(peakHeap, process.memoryUsage().heapUsed) - baseline,
    retainedHeap,
  };
}

const LIMITS = [
  { label: "qps 50", qps: undefined },
  { label: "no limit", qps: Number.POSITIVE_INFINITY },
] as const;
const rows: string[][] = [];
const perNamespace = new Map<string, Figures>();
for (const n of [10, 100, 1000]) {
  const namespaces = Array.from({ length: n }, (_, i) => `ns-${String(i).padStart(4, "0")}`);
  const t0 = performance.now();
  const server = await startClusterProcess({ tls: true, namespaces, podsPerNamespace: PODS_PER_NAMESPACE });
  const startSeconds = (performance.now() - t0) / 1000;
  try {
    for (const limit of LIMITS) {
      // A client of its own per limit: each starts with a full burst.
      const cluster = connect({
        kubeconfig: server.kubeconfig,
        ...(limit.qps === undefined ? {} : { qps: limit.qps }),
      });
      await session(cluster, server, namespaces.slice(0, Math.min(n, 10))); // warm-up
      const f = await session(cluster, server, namespaces);
      const per: Figures = {
        wallMs: f.wallMs / n,
        restRequests: f.restRequests / n,
        clientCpuMs: f.clientCpuMs / n,
        serverCpuMs: f.serverCpuMs / n,
        requests: f.requests / n,
        peakHeap: f.peakHeap / n,
        retainedHeap: f.retainedHeap / n,
      };
      perNamespace.set(`${limit.label} ${n}`, per);
      rows.push([
        `${n} × ${PODS_PER_NAMESPACE}, ${limit.label}`,
        fixed(f.wallMs),
        fixed(per.wallMs, 2),
        fixed(per.clientCpuMs, 2),
        fixed(per.serverCpuMs, 2),
        fixed(per.requests, 1),
        fixed(per.restRequests, 2),
        fixed(per.peakHeap / 1024, 1),
        fixed(per.retainedHeap / 1024, 1),
        fixed(startSeconds, 1),
      ]);
    }
  } finally {
    await server.stop();
  }
}
for (const limit of LIMITS) {
  const at100 = perNamespace.get(`${limit.label} 100`);
  const at1000 = perNamespace.get(`${limit.label} 1000`);
  if (at100 && at1000) {
    rows.push([
      `ratio 1,000 / 100, ${limit.label} (goal ≤ 1.1)`,
      "-",
      fixed(at1000.wallMs / at100.wallMs, 2),
      fixed(at1000.clientCpuMs / at100.clientCpuMs, 2),
      fixed(at1000.serverCpuMs / at100.serverCpuMs, 2),
      fixed(at1000.requests / at100.requests, 2),
      fixed(at1000.restRequests / at100.restRequests, 2),
      fixed(at1000.peakHeap / at100.peakHeap, 2),
      fixed(at1000.retainedHeap / at100.retainedHeap, 2),
      "-",
    ]);
  }
}
printGrid(
  "runWithHooks over N namespaces × 10 pods: pre + post exec hook (ExecuteOnAll), TLS, server in its own process; figures per namespace",
  [
    "namespaces × pods",
    "session ms",
    "ms/ns",
    "client CPU ms/ns",
    "server CPU ms/ns",
    "requests/ns",
    "REST requests/ns",
    "peak heap KiB/ns",
    "result heap KiB/ns",
    "cluster start s",
  ],
  rows,
);
process.stdout.write(
  `(heap figures are above the heap after a full collection before the session; 1 MiB = ${MiB} bytes)\n`,
);
