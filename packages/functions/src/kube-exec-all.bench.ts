/**
 * KubeExecAll fan-out: 200 pods × 1 container, 100 ms of simulated exec latency, concurrency 32.
 * Wall time against the ideal ⌈200/32⌉ × 100 ms, and heap before/after, in two settings:
 * - "in-process": a Cluster whose exec waits 100 ms and prints one output line, isolating the
 *   function's own scheduling and output parsing;
 * - "local cluster": the real client-node adapter against the embedded API server (exec over
 *   WebSocket), with a scripted container answering after 100 ms.
 */
import { sleep } from "@quiesce/core";
import type { Cluster, ExecOptions, ExecResult } from "@quiesce/kube";
import { startLocalCluster } from "@quiesce/testing";
import { createKubeExecAll } from "./builtins/kube-exec-all.js";
import type { FunctionContext } from "./define-function.js";
import { createRegistry } from "./registry.js";
import { emptyTemplateParams } from "./template-params.js";

const PODS = 200;
const LATENCY_MS = 100;
const CONCURRENCY = 32;
const ROUNDS = 5;

const encoder = new TextEncoder();
let inFlight = 0;
let peak = 0;
const cluster = {
  async exec(
    target: { namespace: string; pod: string; container?: string },
    _cmd: readonly string[],
    options?: ExecOptions,
  ) {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await sleep(LATENCY_MS, { signal: options?.signal });
    const stdout = `###Phase-output###: {"key":"${target.pod}","value":"ok"}\n`;
    options?.onStdout?.(encoder.encode(stdout));
    inFlight--;
    const result: ExecResult = {
      pod: target.pod,
      container: target.container ?? "c",
      exitCode: 0,
      stdout,
      stderr: "",
      stdoutTruncated: false,
      stderrTruncated: false,
      stdoutDroppedBytes: 0,
      stderrDroppedBytes: 0,
      durationMs: LATENCY_MS,
    };
    return result;
  },
} as unknown as Cluster;

const fn = createKubeExecAll({ concurrency: CONCURRENCY });
const pods = Array.from({ length: PODS }, (_, i) => `web-${i}`).join(" ");
const ctx: FunctionContext = {
  cluster,
  params: emptyTemplateParams(),
  phase: "bench",
  action: "bench",
  signal: new AbortController().signal,
  timeoutMs: 60_000,
  logger: { debug() {}, info() {}, warn() {}, error() {} },
  progress() {},
  registry: createRegistry(),
};

const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

const ideal = Math.ceil(PODS / CONCURRENCY) * LATENCY_MS;
const args = fn.args.parse({ namespace: "bench", pods, containers: "c", command: ["sh", "-c", "true"] });

async function measure(label: string, context: FunctionContext, podCount: () => number): Promise<void> {
  await fn.exec(context, args); // warm-up
  const before = heap();
  const rows: string[] = [];
  let worst = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    peak = 0;
    const t0 = performance.now();
    const out = (await fn.exec(context, args)) as Record<string, string>;
    const wall = performance.now() - t0;
    worst = Math.max(worst, wall);
    if (Object.keys(out).length !== PODS) throw new Error("missing outputs");
    rows.push(`| ${label} | ${round} | ${wall.toFixed(0)} | ${(wall / ideal).toFixed(3)}× | ${podCount()} |`);
  }
  const after = heap();
  for (const r of rows) console.log(r);
  console.log(
    `| ${label} | worst | ${worst.toFixed(0)} | ${(worst / ideal).toFixed(3)}× | heap ${before.toFixed(1)} → ${after.toFixed(1)} MiB (Δ ${(after - before).toFixed(2)}) |`,
  );
}

console.log(
  `KubeExecAll: ${PODS} pods × 1 container, ${LATENCY_MS} ms exec, concurrency ${CONCURRENCY}; ideal ${ideal} ms (goal ≤ 1.2×)`,
);
console.log("| setting | round | wall ms | vs ideal | peak in flight |");
console.log("|---|---|---|---|---|");
await measure("in-process", ctx, () => peak);

// The same fan-out through the real adapter and the embedded API server.
const lc = await startLocalCluster({
  podStartDelayMs: 0,
  readyDelayMs: 0,
  terminationDelayMs: 0,
  namespaces: ["bench"],
  connect: { qps: 10_000, burst: 10_000 },
});
try {
  await lc.apply(`
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: web, namespace: bench }
spec:
  replicas: ${PODS}
  podManagementPolicy: Parallel
  serviceName: web
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: c, image: example/web:1 }] }
`);
  await lc.cluster.waitFor(
    { group: "apps", version: "v1", resource: "statefulsets", namespace: "bench", name: "web" },
    (o) => (o?.status as { readyReplicas?: number } | undefined)?.readyReplicas === PODS,
    { timeoutMs: 120_000 },
  );
  let remote = 0;
  let remotePeak = 0;
  lc.runtime.onExec({ container: "c" }, async (hctx) => {
    remote++;
    remotePeak = Math.max(remotePeak, remote);
    await sleep(LATENCY_MS);
    remote--;
    return { stdout: `###Phase-output###: {"key":"${hctx.pod}","value":"ok"}\n` };
  });
  await measure("local cluster", { ...ctx, cluster: lc.cluster }, () => {
    const p = remotePeak;
    remotePeak = 0;
    return p;
  });
} finally {
  await lc.stop();
}
