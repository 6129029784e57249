/**
 * The local API server alone (fake PodIO, raw clients in the same process): request round trip,
 * a selector list among 1,000 pods, watch delivery latency, and exec streaming throughput.
 */
import { Agent, request as httpRequest, type IncomingMessage } from "node:http";
import WebSocket from "ws";
import { startHarness, TOKEN } from "./test-support/harness.js";

const MiB = 1024 * 1024;
const pct = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};
const table = (title: string, rows: [string, string][]) => {
  const w = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\n${title}\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join("\n")}\n`);
};
const auth = { authorization: `Bearer ${TOKEN}` };
const agent = new Agent({ keepAlive: true });
/** GET with a keep-alive agent; resolves with the response stream. */
const open = (url: string) =>
  new Promise<IncomingMessage>((resolve, reject) => {
    const req = httpRequest(url, { headers: auth, agent }, resolve);
    req.on("error", reject);
    req.end();
  });
const read = async (res: IncomingMessage) => {
  for await (const _ of res);
};

const h = await startHarness();
try {
  const pods = h.store.typeFor("", "v1", "pods")!;
  for (let i = 0; i < 1000; i++) {
    h.store.create(pods, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: `pod-${i}`,
        namespace: "default",
        labels: { app: i % 100 === 0 ? "db" : "web", shard: String(i % 10) },
      },
      spec: { containers: [{ name: "app", image: "busybox" }] },
      status: { phase: "Running" },
    });
  }

  const get = async () => {
    await read(await open(`${h.server.url}/api/v1/namespaces/default/pods/pod-1`));
  };
  for (let i = 0; i < 50; i++) await get();
  const gets: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t = performance.now();
    await get();
    gets.push(performance.now() - t);
  }
  const lists: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await read(
      await open(
        `${h.server.url}/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent("app in (db),shard=0")}`,
      ),
    );
    lists.push(performance.now() - t);
  }
  table("requests (node:http, keep-alive)", [
    ["GET pod p50 / p99", `${pct(gets, 50).toFixed(2)} / ${pct(gets, 99).toFixed(2)} ms`],
    [
      "LIST 10 of 1,000 pods by selector p50 / p99",
      `${pct(lists, 50).toFixed(2)} / ${pct(lists, 99).toFixed(2)} ms`,
    ],
  ]);

  // Watch latency: store write → event line parsed by an HTTP watch client.
  const rv = h.store.currentResourceVersion();
  const res = await open(
    `${h.server.url}/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rv}&fieldSelector=metadata.name%3Dpod-1`,
  );
  const latencies: number[] = [];
  let pending: ((at: number) => void) | undefined;
  let buffered = "";
  res.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    let nl = buffered.indexOf("\n");
    while (nl >= 0) {
      buffered = buffered.slice(nl + 1);
      pending?.(performance.now());
      nl = buffered.indexOf("\n");
    }
  });
  for (let i = 0; i < 300; i++) {
    const seen = new Promise<number>((resolve) => {
      pending = resolve;
    });
    const t = performance.now();
    h.store.mutate(pods, "default", "pod-1", (p) => {
      p.metadata.annotations = { tick: String(i) };
    });
    latencies.push((await seen) - t);
  }
  res.destroy();
  table("watch delivery (store write → event parsed by the client)", [
    ["p50", `${pct(latencies, 50).toFixed(3)} ms`],
    ["p99", `${pct(latencies, 99).toFixed(3)} ms`],
  ]);

  // Exec streaming: 256 MiB of stdout in 64 KiB chunks with waitForDrain backpressure.
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const total = 256 * MiB;
  h.podIO.scripts.set("emit", async (_req, streams) => {
    for (let sent = 0; sent < total; sent += chunk.length) {
      streams.stdout(chunk);
      await streams.waitForDrain?.();
    }
    return 0;
  });
  h.podIO.scripts.set("true", () => 0);
  const run = (command: string) =>
    new Promise<number>((resolve) => {
      let bytes = 0;
      const ws = new WebSocket(
        `${h.server.url.replace("http", "ws")}/api/v1/namespaces/default/pods/pod-1/exec?command=${command}&stdout=true`,
        ["v5.channel.k8s.io"],
        { headers: auth },
      );
      ws.on("message", (d: Buffer) => {
        if (d[0] === 1) bytes += d.length - 1;
      });
      ws.on("close", () => resolve(bytes));
    });
  for (let i = 0; i < 20; i++) await run("true");
  const trips: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await run("true");
    trips.push(performance.now() - t);
  }
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const t0 = performance.now();
  const bytes = await run("emit");
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  table("exec over WebSocket (raw ws client, same process)", [
    ["session round trip p50 / p99", `${pct(trips, 50).toFixed(2)} / ${pct(trips, 99).toFixed(2)} ms`],
    [
      "256 MiB stdout throughput",
      `${(bytes / 1e6 / seconds).toFixed(0)} MB/s (${bytes === total ? "complete" : `INCOMPLETE ${bytes}`})`,
    ],
    ["peak RSS above baseline (client + server)", `${((peak - baseline) / MiB).toFixed(1)} MiB`],
  ]);
} finally {
  agent.destroy();
  await h.close();
}
