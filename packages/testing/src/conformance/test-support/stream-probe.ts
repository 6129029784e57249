/**
 * One large exec stream measured in a fresh process, so "first run" means first: nothing has grown
 * the process's heap or malloc arenas before. Run by exec.bench.ts with a JSON argument
 * `{ tls, bytes, client, runs }` — client `tail` (the adapter keeping its 1 MiB tail, no callback),
 * `reuse` (and an `onStdout` callback with `reuseChunks`), `copies` (an `onStdout` callback given
 * copies, the default) or `ws` (a bare ws client); prints one JSON line per run
 * `{ bytes, seconds, baselineRss, peakRss, peakArrayBuffers }`.
 */
import { KubeConfig } from "@kubernetes/client-node";
import { connect } from "@quiesce/kube";
import WebSocket from "ws";
import { startClusterProcess } from "../../bench/cluster-process.js";
import { collectGarbage } from "../../bench/figures.js";

interface Probe {
  tls: boolean;
  bytes: number;
  client: "tail" | "reuse" | "copies" | "ws";
  runs: number;
}

const probe = JSON.parse(process.argv[2] ?? "{}") as Probe;
const server = await startClusterProcess({ tls: probe.tls });
try {
  const cluster = connect({ kubeconfig: server.kubeconfig });
  const target = { namespace: "bench", pod: "db-000" };
  // A small exec first: connection set-up and code loading are not part of the stream's figure.
  await cluster.exec(target, ["emit", "65536"]);
  const kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig);
  const wsOptions: WebSocket.ClientOptions = {};
  await kc.applyToHTTPSOptions(wsOptions);
  const url = `${server.url.replace(/^http/, "ws")}/api/v1/namespaces/bench/pods/db-000/exec?stdout=true&stderr=true&container=db&command=emit&command=${probe.bytes}`;
  for (let run = 0; run < probe.runs; run++) {
    collectGarbage();
    await new Promise((r) => setTimeout(r, 100));
    collectGarbage();
    const baselineRss = process.memoryUsage.rss();
    const baselineBuffers = process.memoryUsage().arrayBuffers;
    let peakRss = baselineRss;
    let peakArrayBuffers = baselineBuffers;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakArrayBuffers = Math.max(peakArrayBuffers, m.arrayBuffers);
    }, 5);
    let received = 0;
    const t0 = performance.now();
    if (probe.client !== "ws") {
      const result = await cluster.exec(target, ["emit", String(probe.bytes)], {
        ...(probe.client === "tail"
          ? {}
          : {
              reuseChunks: probe.client === "reuse",
              onStdout: (chunk: Uint8Array) => {
                received += chunk.byteLength;
              },
            }),
      });
      if (result.exitCode !== 0) throw new Error(`emit exited with ${result.exitCode}`);
      if (probe.client === "tail") received = result.stdoutDroppedBytes + Buffer.byteLength(result.stdout);
    } else {
      // The reference: a bare ws client that reads the stream and discards it.
      await new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(url, ["v5.channel.k8s.io"], {
          ...wsOptions,
          perMessageDeflate: false,
          maxPayload: 256 * 1024 * 1024,
        });
        ws.on("message", (data: Buffer) => {
          if (data[0] === 1) received += data.length - 1;
          if (data[0] === 3) {
            ws.close();
            resolve();
          }
        });
        ws.on("error", reject);
      });
    }
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const m = process.memoryUsage();
    process.stdout.write(
      `${JSON.stringify({
        bytes: received,
        seconds,
        baselineRss,
        peakRss: Math.max(peakRss, m.rss),
        peakArrayBuffers: Math.max(peakArrayBuffers, m.arrayBuffers) - baselineBuffers,
      })}\n`,
    );
  }
} finally {
  await server.stop();
}
