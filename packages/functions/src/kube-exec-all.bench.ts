/**
 * KubeExecAll fan-out: 200 pods × 1 container, 100 ms of simulated exec latency, concurrency 32.
 * Wall time against the ideal ⌈200/32⌉ × 100 ms, and heap before/after. The exec latency is simulated
 * by a Cluster whose exec waits 100 ms and prints one output line, so the figure isolates the
 * function's own scheduling and output parsing.
 */
import { sleep } from "@quiesce/core";
import type { Cluster, ExecOptions, ExecResult } from "@quiesce/kube";
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
await fn.exec(ctx, args); // warm-up
const before = heap();
const rows: string[] = [];
let worst = 0;
for (let round = 1; round <= ROUNDS; round++) {
  peak = 0;
  const t0 = performance.now();
  const out = (await fn.exec(ctx, args)) as Record<string, string>;
  const wall = performance.now() - t0;
  worst = Math.max(worst, wall);
  if (Object.keys(out).length !== PODS) throw new Error("missing outputs");
  rows.push(`| ${round} | ${wall.toFixed(0)} | ${(wall / ideal).toFixed(3)}× | ${peak} |`);
}
const after = heap();
console.log(
  `KubeExecAll: ${PODS} pods × 1 container, ${LATENCY_MS} ms exec, concurrency ${CONCURRENCY}; ideal ${ideal} ms (goal ≤ 1.2×)`,
);
console.log("| round | wall ms | vs ideal | peak in flight |");
console.log("|---|---|---|---|");
for (const r of rows) console.log(r);
console.log(
  `worst ${(worst / ideal).toFixed(3)}× ideal; heap before ${before.toFixed(1)} MiB, after ${after.toFixed(1)} MiB (Δ ${(after - before).toFixed(2)} MiB)`,
);
