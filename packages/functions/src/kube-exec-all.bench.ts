/**
 * KubeExecAll fan-out, then how a Blueprint action's cost grows with its pods.
 * 1. 1,000 pods × 1 container, 50 ms of exec latency, concurrency 50: wall time against the ideal
 *    ⌈1000/50⌉ × 50 ms (goal ≤ 1.2×) and heap before/after, in-process (a Cluster whose exec waits
 *    and prints one output line: the function's own scheduling and output parsing) and through the
 *    real adapter against a local cluster in a process of its own, over http and over TLS; then
 *    the platform's floor in the same shape (bare Node TCP and TLS connections carrying an exec's
 *    bytes, 50 at once, each answer held 50 ms), so that what TLS adds to the fan-out's client CPU
 *    can be set against what it adds to bare connections.
 * 2. runBlueprintAction with one KubeExecAll phase over 10 / 100 / 1,000 pods (exec latency 0,
 *    concurrency 50, TLS): wall time, CPU and peak heap per pod (goal: at 1,000 within 1.1× of 100).
 */
import { sleep } from "@quiesce/core";
import { type Cluster, connect, type ExecOptions, type ExecResult } from "@quiesce/kube";
import {
  benchPodName,
  type ClusterProcess,
  collectGarbage,
  cpuMsSince,
  fixed,
  MiB,
  measureConnectionFloor,
  median,
  printGrid,
  startClusterProcess,
} from "@quiesce/testing/bench";
import { createKubeExecAll } from "./builtins/kube-exec-all.js";
import type { FunctionContext } from "./define-function.js";
import { createRegistry } from "./registry.js";
import { runBlueprintAction } from "./runner/run-action.js";
import { emptyTemplateParams } from "./template-params.js";

const PODS = 1000;
const LATENCY_MS = 50;
const CONCURRENCY = 50;
const ROUNDS = 3;

const encoder = new TextEncoder();
const inProcess = {
  async exec(
    target: { namespace: string; pod: string; container?: string },
    _cmd: readonly string[],
    options?: ExecOptions,
  ) {
    await sleep(LATENCY_MS, { signal: options?.signal });
    const stdout = `###Phase-output###: {"key":"${target.pod}","value":"bench"}\n`;
    options?.onStdout?.(encoder.encode(stdout));
    const result: ExecResult = {
      pod: target.pod,
      container: target.container ?? "db",
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
  // KubeExecAll lists the pods once to hand each exec its pod; the stand-in has none to list.
  async selectPods() {
    return [];
  },
} as unknown as Cluster;

const fn = createKubeExecAll({ concurrency: CONCURRENCY });
const podNames = (n: number) => Array.from({ length: n }, (_, i) => benchPodName(i)).join(" ");
const context = (cluster: Cluster): FunctionContext => ({
  cluster,
  params: emptyTemplateParams(),
  phase: "bench",
  action: "bench",
  signal: new AbortController().signal,
  timeoutMs: 600_000,
  logger: { debug() {}, info() {}, warn() {}, error() {} },
  progress() {},
  registry: createRegistry(),
});

const heapMiB = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed / MiB;
};

const fanOutRows: string[][] = [];
// Median client / server CPU ms per fan-out, by setting.
const fanOutCpu = new Map<string, { client: number; server: number }>();
async function fanOut(label: string, cluster: Cluster, server?: ClusterProcess): Promise<void> {
  const ctx = context(cluster);
  const args = fn.args.parse({
    namespace: "bench",
    pods: podNames(PODS),
    containers: "db",
    command: ["work", String(LATENCY_MS)],
  });
  await fn.exec(ctx, args); // warm-up
  const before = heapMiB();
  const ideal = Math.ceil(PODS / CONCURRENCY) * LATENCY_MS;
  const clients: number[] = [];
  const servers: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    await server?.usage({ reset: true });
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const out = (await fn.exec(ctx, args)) as Record<string, string>;
    const wall = performance.now() - t0;
    const client = cpuMsSince(cpu);
    const serverMs = server ? (await server.usage()).cpuMs : Number.NaN;
    if (Object.keys(out).length !== PODS) throw new Error("missing outputs");
    clients.push(client);
    servers.push(serverMs);
    fanOutRows.push([
      label,
      String(round),
      fixed(wall),
      `${(wall / ideal).toFixed(3)}×`,
      fixed(client),
      fixed(serverMs),
      round === ROUNDS ? `${before.toFixed(1)} → ${heapMiB().toFixed(1)}` : "",
    ]);
  }
  fanOutCpu.set(label, { client: median(clients), server: median(servers) });
}

// The stand-in's exec prints what the bench cluster's `work` command prints.
await fanOut("in-process", inProcess);
const ownProcess = (tls: boolean) => `local cluster, own process, ${tls ? "TLS" : "http"}`;
for (const tls of [false, true]) {
  const server = await startClusterProcess({ tls, podsPerNamespace: PODS });
  try {
    await fanOut(ownProcess(tls), connect({ kubeconfig: server.kubeconfig }), server);
  } finally {
    await server.stop();
  }
}
printGrid(
  `KubeExecAll: ${PODS} pods × 1 container, ${LATENCY_MS} ms exec, concurrency ${CONCURRENCY}; ideal ${Math.ceil(PODS / CONCURRENCY) * LATENCY_MS} ms (goal ≤ 1.2×)`,
  [
    "setting",
    "round",
    "wall ms",
    "vs ideal",
    "client CPU ms",
    "server CPU ms",
    "heap MiB after a GC, before → after",
  ],
  fanOutRows,
);

// The platform's floor in this fan-out's shape: what TLS costs bare connections spread out as the
// execs are, set against what it adds to the fan-out (TLS − http, client and server).
const shape = { concurrency: CONCURRENCY, holdMs: LATENCY_MS };
const floorTcp = await measureConnectionFloor("tcp", PODS, ROUNDS, shape);
const floorTls = await measureConnectionFloor("tls", PODS, ROUNDS, shape);
const perThousand = (us: number) => (us * PODS) / 1000; // µs per connection → ms per fan-out
const http = fanOutCpu.get(ownProcess(false));
const tlsCpu = fanOutCpu.get(ownProcess(true));
printGrid(
  `TLS in this fan-out's shape: ${PODS} bare Node connections carrying an exec's bytes, ${CONCURRENCY} at once, each answer held ${LATENCY_MS} ms (medians of ${ROUNDS}), against the fan-outs above; ms of CPU per ${PODS}`,
  ["", "client", "server"],
  [
    ["bare TCP", fixed(perThousand(floorTcp.clientUs)), fixed(perThousand(floorTcp.serverUs))],
    [
      `bare TLS (${floorTls.full} full, ${floorTls.resumed} resumed handshakes)`,
      fixed(perThousand(floorTls.clientUs)),
      fixed(perThousand(floorTls.serverUs)),
    ],
    [
      "what TLS adds to bare connections (TLS − TCP)",
      fixed(perThousand(floorTls.clientUs - floorTcp.clientUs)),
      fixed(perThousand(floorTls.serverUs - floorTcp.serverUs)),
    ],
    [
      "what TLS adds to the KubeExecAll fan-out (TLS − http, medians)",
      fixed((tlsCpu?.client ?? Number.NaN) - (http?.client ?? Number.NaN)),
      fixed((tlsCpu?.server ?? Number.NaN) - (http?.server ?? Number.NaN)),
    ],
  ],
);

// How the cost of one Blueprint action grows with its pods.
const blueprint = {
  apiVersion: "cr.kanister.io/v1alpha1",
  kind: "Blueprint",
  metadata: { name: "scale" },
  actions: {
    freeze: {
      phases: [
        {
          func: "KubeExecAll",
          name: "freezeAll",
          args: {
            namespace: "{{ .Namespace.Name }}",
            pods: "{{ .Options.pods }}",
            containers: "db",
            command: ["work", "0"],
          },
        },
      ],
    },
  },
};
const registry = createRegistry();
registry.register(fn);
const curveRows: string[][] = [];
const perPod = new Map<number, { wall: number; cpu: number; peak: number }>();
const server = await startClusterProcess({ tls: true, podsPerNamespace: 1000 });
try {
  const cluster = connect({ kubeconfig: server.kubeconfig });
  const run = (n: number) =>
    runBlueprintAction(blueprint, "freeze", {
      cluster,
      registry,
      subject: { kind: "Namespace", name: "bench" },
      options: { pods: podNames(n) },
    });
  await run(10); // warm-up
  for (const n of [10, 100, 1000]) {
    collectGarbage();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 5);
    await server.usage({ reset: true });
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const result = await run(n);
    const wall = performance.now() - t0;
    const client = cpuMsSince(cpu);
    clearInterval(sampler);
    const usage = await server.usage();
    const outputs = Object.keys(result.phases[0]?.output ?? {}).length;
    if (result.status !== "succeeded" || outputs !== n) {
      throw new Error(`action ${result.status} with ${outputs} outputs: ${result.error?.message}`);
    }
    const per = { wall: wall / n, cpu: client / n, peak: (peak - baseline) / n };
    perPod.set(n, per);
    curveRows.push([
      String(n),
      fixed(wall),
      fixed(per.wall, 2),
      fixed(per.cpu, 3),
      fixed(usage.cpuMs / n, 3),
      fixed(Object.values(usage.requests).reduce((a, b) => a + b, 0) / n, 2),
      fixed(per.peak / 1024, 1),
    ]);
  }
} finally {
  await server.stop();
}
const p100 = perPod.get(100);
const p1000 = perPod.get(1000);
if (p100 && p1000) {
  curveRows.push([
    "ratio 1,000 / 100 (goal ≤ 1.1)",
    "-",
    fixed(p1000.wall / p100.wall, 2),
    fixed(p1000.cpu / p100.cpu, 2),
    "-",
    "-",
    fixed(p1000.peak / p100.peak, 2),
  ]);
}
printGrid(
  "runBlueprintAction, one KubeExecAll phase over N pods (exec latency 0, concurrency 50, TLS, server in its own process); per pod",
  [
    "pods",
    "action ms",
    "ms/pod",
    "client CPU ms/pod",
    "server CPU ms/pod",
    "requests/pod",
    "peak heap KiB/pod",
  ],
  curveRows,
);
