/**
 * Exec through the client-node adapter against the local cluster in a process of its own, over plain
 * http and over TLS with a throwaway certificate (every real API server speaks TLS, and every exec is
 * a new connection, so each pays a handshake):
 * - sequential round trips of `true`, with the pod fetched by the exec (GET + upgrade) and held by
 *   the caller (upgrade only);
 * - a burst of 200 execs over 50 pods at once (goal: over TLS ≤ 1.5× the same burst over http);
 * - the platform's floor: bare Node TLS and TCP connections carrying an exec's bytes in the
 *   burst's shape, and the burst ratio that floor alone implies (connection-floor.ts);
 * - 256 MiB of stdout streamed with the default 1 MiB tail capture, each run in a fresh process so
 *   that the first run is a first run (goals: ≥ 100 MB/s, peak RSS < 64 MiB above baseline): the
 *   tail alone, an `onStdout` callback with `reuseChunks`, one given copies (the default), and a
 *   bare `ws` client for reference; 2 GiB with `QUIESCE_BENCH_HEAVY=1` (`./run bench --heavy`).
 * CPU figures are this process's (the client) and the server process's, per exec; on a shared
 * machine wall times vary with the load, CPU times much less.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type Cluster, connect, type V1Pod } from "@quiesce/kube";
import { type ClusterProcess, startClusterProcess } from "../bench/cluster-process.js";
import { type FloorFigures, measureConnectionFloor } from "../bench/connection-floor.js";
import { cpuMsSince, fixed, MiB, median, percentile, printGrid } from "../bench/figures.js";
import { countTlsHandshakes } from "../bench/tls-handshakes.js";

const PODS = 50;
const SEQUENTIAL = 300;
const BURST = 200;
const BURST_ROUNDS = 7;
const handshakes = countTlsHandshakes();

interface Setting {
  label: string;
  server: ClusterProcess;
  cluster: Cluster;
  pods: V1Pod[];
}

async function setting(tls: boolean): Promise<Setting> {
  const server = await startClusterProcess({ tls, podsPerNamespace: PODS });
  // No client-side rate limit: the pod-fetching variant sends a GET per exec.
  const cluster = connect({ kubeconfig: server.kubeconfig, qps: Number.POSITIVE_INFINITY });
  const pods = await cluster.selectPods("bench", { selector: "app=db" });
  return { label: tls ? "TLS" : "http", server, cluster, pods };
}

const target = (pod: V1Pod) => ({ namespace: "bench", pod: pod.metadata?.name ?? "" });

async function sequential(s: Setting, held: boolean): Promise<string[]> {
  const pod = s.pods[0] as V1Pod;
  const run = () => s.cluster.exec(target(pod), ["true"], held ? { pod } : {});
  for (let i = 0; i < 20; i++) await run();
  handshakes.reset();
  await s.server.usage({ reset: true });
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t = performance.now();
    await run();
    latencies.push(performance.now() - t);
  }
  const seconds = (performance.now() - t0) / 1000;
  const clientMs = cpuMsSince(cpu);
  const server = await s.server.usage();
  const requests = Object.values(server.requests).reduce((a, b) => a + b, 0);
  return [
    `${s.label}, sequential, pod ${held ? "held by the caller" : "fetched by the exec"}`,
    fixed(SEQUENTIAL / seconds),
    `${fixed(percentile(latencies, 50), 2)} / ${fixed(percentile(latencies, 99), 2)}`,
    fixed((clientMs * 1000) / SEQUENTIAL),
    fixed((server.cpuMs * 1000) / SEQUENTIAL),
    fixed(requests / SEQUENTIAL, 1),
    s.label === "TLS" ? `${handshakes.full} full, ${handshakes.resumed} resumed` : "-",
  ];
}

async function burst(s: Setting): Promise<{ row: string[]; medianMs: number; cpuUs: number }> {
  const run = () =>
    Promise.all(
      Array.from({ length: BURST }, (_, i) => {
        const pod = s.pods[i % s.pods.length] as V1Pod;
        return s.cluster.exec(target(pod), ["true"], { pod });
      }),
    );
  await run();
  const walls: number[] = [];
  const clients: number[] = [];
  const servers: number[] = [];
  handshakes.reset();
  for (let round = 0; round < BURST_ROUNDS; round++) {
    await s.server.usage({ reset: true });
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    await run();
    walls.push(performance.now() - t0);
    clients.push((cpuMsSince(cpu) * 1000) / BURST);
    servers.push(((await s.server.usage()).cpuMs * 1000) / BURST);
  }
  const medianMs = median(walls);
  return {
    medianMs,
    cpuUs: median(clients) + median(servers),
    row: [
      `${s.label}, burst of ${BURST} over ${PODS} pods (pod held)`,
      `${fixed(Math.min(...walls))} / ${fixed(medianMs)} ms`,
      "-",
      fixed(median(clients)),
      fixed(median(servers)),
      "1.0",
      s.label === "TLS" ? `${handshakes.full} full, ${handshakes.resumed} resumed` : "-",
    ],
  };
}

const rows: string[][] = [];
const bursts: Record<string, number> = {};
const burstCpu: Record<string, number> = {};
for (const tls of [false, true]) {
  const s = await setting(tls);
  try {
    rows.push(await sequential(s, false), await sequential(s, true));
    const b = await burst(s);
    rows.push(b.row);
    bursts[s.label] = b.medianMs;
    burstCpu[s.label] = b.cpuUs;
  } finally {
    await s.server.stop();
  }
}
handshakes.stop();
printGrid(
  `exec of \`true\` (server in its own process; ${SEQUENTIAL} sequential execs, or ${BURST_ROUNDS} bursts after one warm-up)`,
  [
    "setting",
    "ops/s, or burst wall best / median",
    "p50 / p99 ms",
    "client CPU µs/exec",
    "server CPU µs/exec",
    "requests/exec",
    "TLS handshakes",
  ],
  rows,
);
process.stdout.write(
  `burst over TLS / over http (median wall): ${fixed((bursts.TLS ?? Number.NaN) / (bursts.http ?? Number.NaN), 2)}× (goal ≤ 1.5)\n`,
);

// The platform's floor: bare Node connections carrying the same bytes, in the burst's shape.
const floors = {
  tcp: await measureConnectionFloor("tcp", BURST, BURST_ROUNDS),
  tls: await measureConnectionFloor("tls", BURST, BURST_ROUNDS),
  x25519: await measureConnectionFloor("tls-x25519", BURST, BURST_ROUNDS),
};
const sum = (f: FloorFigures) => f.clientUs + f.serverUs;
const floorRow = (label: string, f: FloorFigures, tls: boolean) => [
  label,
  fixed(f.clientUs),
  fixed(f.serverUs),
  fixed(sum(f)),
  tls ? fixed(sum(f) - sum(floors.tcp)) : "-",
  tls ? `${f.full} full, ${f.resumed} resumed` : "-",
];
printGrid(
  `platform floor: bare Node connections exchanging an exec's bytes, bursts of ${BURST} (client and server in their own processes; medians of ${BURST_ROUNDS})`,
  ["connection", "client CPU µs", "server CPU µs", "both µs", "TLS − TCP µs", "TLS handshakes"],
  [
    floorRow("TCP", floors.tcp, false),
    floorRow("TLS, Node's defaults (X25519MLKEM768 key exchange)", floors.tls, true),
    floorRow("TLS, X25519 only (for comparison: quiesce keeps the defaults)", floors.x25519, true),
  ],
);
const httpCpu = burstCpu.http ?? Number.NaN;
const tlsCpu = burstCpu.TLS ?? Number.NaN;
const floor = sum(floors.tls) - sum(floors.tcp);
process.stdout.write(
  `burst CPU per exec, client + server: http ${fixed(httpCpu)} µs, TLS ${fixed(tlsCpu)} µs (TLS / http ${fixed(tlsCpu / httpCpu, 2)}×)\n` +
    `the platform's TLS floor, ${fixed(floor)} µs per connection, implies (http burst CPU + floor) / http burst CPU = ${fixed((httpCpu + floor) / httpCpu, 2)}× for a CPU-bound burst\n` +
    `TLS cost above the floor (the exec code and the local API server): ${fixed(tlsCpu - httpCpu - floor)} µs per exec\n`,
);

// Large streams, each in a fresh process.
const probeFile = fileURLToPath(new URL("./test-support/stream-probe.ts", import.meta.url));
const heavy = process.env.QUIESCE_BENCH_HEAVY === "1";
type Client = "tail" | "reuse" | "copies" | "ws";
const streams: { label: string; tls: boolean; bytes: number; client: Client }[] = [
  { label: "adapter, tail only, http", tls: false, bytes: 256 * MiB, client: "tail" },
  { label: "adapter, tail only, TLS", tls: true, bytes: 256 * MiB, client: "tail" },
  { label: "adapter, onStdout with reuseChunks, TLS", tls: true, bytes: 256 * MiB, client: "reuse" },
  { label: "adapter, onStdout given copies (default), TLS", tls: true, bytes: 256 * MiB, client: "copies" },
  { label: "reference: bare ws client, http", tls: false, bytes: 256 * MiB, client: "ws" },
  { label: "reference: bare ws client, TLS", tls: true, bytes: 256 * MiB, client: "ws" },
  ...(heavy
    ? [
        { label: "adapter, tail only, TLS", tls: true, bytes: 2048 * MiB, client: "tail" as const },
        {
          label: "adapter, onStdout with reuseChunks, TLS",
          tls: true,
          bytes: 2048 * MiB,
          client: "reuse" as const,
        },
      ]
    : []),
];
const streamRows: string[][] = [];
for (const s of streams) {
  const probe = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      probeFile,
      JSON.stringify({ tls: s.tls, bytes: s.bytes, client: s.client, runs: 2 }),
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1024 * 1024 },
  );
  const runs = probe.stdout
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map(
      (l) =>
        JSON.parse(l) as {
          bytes: number;
          seconds: number;
          baselineRss: number;
          peakRss: number;
          peakArrayBuffers: number;
        },
    );
  runs.forEach((r, i) => {
    streamRows.push([
      `${s.label}, ${s.bytes / MiB} MiB, ${i === 0 ? "first" : "second"} run`,
      r.bytes === s.bytes ? "complete" : `INCOMPLETE (${r.bytes})`,
      fixed(r.bytes / 1e6 / r.seconds),
      fixed((r.peakRss - r.baselineRss) / MiB, 1),
      fixed(r.peakArrayBuffers / MiB, 1),
      fixed(r.baselineRss / MiB),
    ]);
  });
  if (runs.length === 0)
    streamRows.push([s.label, `probe failed (exit ${probe.status})`, "-", "-", "-", "-"]);
}
printGrid(
  `stdout through exec, each setting in a fresh client process (1 MiB tail kept)${heavy ? "" : "; 2 GiB with --heavy"}`,
  [
    "setting",
    "bytes",
    "MB/s (goal ≥ 100)",
    "peak RSS above baseline MiB (goal < 64)",
    "peak ArrayBuffer MiB",
    "baseline RSS MiB",
  ],
  streamRows,
);
