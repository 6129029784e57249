/**
 * Exec through the client-node adapter against the local cluster (served from another process, so
 * memory figures are the client's): round-trip overhead of a trivial command, and 256 MiB of stdout
 * streamed through with the default 1 MiB tail capture. Goals: ≥ 100 MB/s, < 64 MiB RSS above baseline.
 */
import { KubeConfig } from "@kubernetes/client-node";
import { connect } from "@quiesce/kube";
import WebSocket from "ws";
import { startBenchCluster } from "./test-support/bench-cluster.js";
import { MiB, percentile, printTable, sampleRss } from "./test-support/figures.js";

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const server = await startBenchCluster();
try {
  // The overhead figures run without the client-side rate limit; the default (50 qps, burst 100)
  // caps sustained execs at 25/s since each exec is two requests (pod GET + WebSocket upgrade).
  const cluster = connect({ kubeconfig: server.kubeconfig, qps: Number.POSITIVE_INFINITY });
  const target = { namespace: server.namespace, pod: "target" };

  for (let i = 0; i < 20; i++) await cluster.exec(target, ["true"]);
  const rounds = 300;
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await cluster.exec(target, ["true"]);
    latencies.push(performance.now() - t);
  }
  const elapsed = performance.now() - start;
  const limited = connect({ kubeconfig: server.kubeconfig });
  const limitedStart = performance.now();
  for (let i = 0; i < 100; i++) await limited.exec(target, ["true"]);
  const limitedOps = 100 / ((performance.now() - limitedStart) / 1000);
  printTable("exec round trip (`true`, sequential, pod GET + WebSocket session)", [
    ["ops/s (no client rate limit)", (rounds / (elapsed / 1000)).toFixed(0)],
    ["p50", `${percentile(latencies, 50).toFixed(2)} ms`],
    ["p99", `${percentile(latencies, 99).toFixed(2)} ms`],
    ["ops/s with default limits, 100 execs", limitedOps.toFixed(0)],
  ]);

  const total = 256 * MiB;
  await cluster.exec(target, ["emit", String(8 * MiB)]);
  const rows: [string, string][] = [];
  // Reference (runs first): a bare `ws` client reading the same stream and discarding it, to tell the server's and
  // the machine's limits apart from the adapter's own cost.
  const kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig);
  const wsOptions: WebSocket.ClientOptions = {};
  await kc.applyToHTTPSOptions(wsOptions);
  const url = `${kc.getCurrentCluster()?.server.replace(/^http/, "ws")}/api/v1/namespaces/${server.namespace}/pods/target/exec?stdout=true&stderr=true&container=main&command=emit&command=${total}`;
  gc();
  const rawBaseline = process.memoryUsage.rss();
  const rawSampler = sampleRss();
  const rawStart = performance.now();
  await new Promise<void>((resolve, reject) => {
    const ws = new WebSocket(url, ["v5.channel.k8s.io"], { ...wsOptions, perMessageDeflate: false });
    ws.on("message", (data: Buffer) => {
      if (data[0] === 3) {
        ws.close();
        resolve();
      }
    });
    ws.on("error", reject);
  });
  const rawSeconds = (performance.now() - rawStart) / 1000;
  rows.push(
    ["reference, bare ws client: throughput", `${(total / 1e6 / rawSeconds).toFixed(0)} MB/s`],
    [
      "reference, bare ws client: peak RSS above baseline",
      `${((rawSampler.stop() - rawBaseline) / MiB).toFixed(1)} MiB`,
    ],
  );
  // Run twice: the first run's peak includes garbage V8 has not collected yet (it collects external
  // buffer memory lazily, at about 64 MiB of new external allocations); the second shows steady state.
  for (const run of ["adapter, first run", "adapter, second run"]) {
    gc();
    await new Promise((r) => setTimeout(r, 100));
    gc();
    const baseline = process.memoryUsage.rss();
    const sampler = sampleRss();
    let streamed = 0;
    const t0 = performance.now();
    const result = await cluster.exec(target, ["emit", String(total)], {
      onStdout: (chunk) => {
        streamed += chunk.byteLength;
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    const peak = sampler.stop();
    rows.push(
      [`${run}: bytes streamed`, `${streamed} (exit ${result.exitCode}, tail kept ${result.stdout.length})`],
      [`${run}: throughput`, `${(total / 1e6 / seconds).toFixed(0)} MB/s (goal ≥ 100)`],
      [
        `${run}: peak RSS above baseline`,
        `${((peak - baseline) / MiB).toFixed(1)} MiB (goal < 64; baseline ${(baseline / MiB).toFixed(0)} MiB)`,
      ],
    );
  }
  printTable("256 MiB of stdout through exec (1 MiB tail kept)", rows);
} finally {
  await server.stop();
}
