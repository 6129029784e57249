/**
 * The local API server alone (fake PodIO, raw clients in the same process): request round trip,
 * a selector list among 1,000 pods, watch delivery latency; then exec round trip and 256 MiB of
 * exec stdout against a server in its own process (throughput and the server's peak memory).
 */
import { spawn } from "node:child_process";
import { Agent, request as httpRequest, type IncomingMessage } from "node:http";
import { fileURLToPath } from "node:url";
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

  // Exec over WebSocket against a server in its own process, so its memory figure is the server's.
  const child = spawn(
    process.execPath,
    [
      "--conditions=source",
      "--expose-gc",
      "--import",
      "tsx",
      fileURLToPath(new URL("./test-support/bench-server.ts", import.meta.url)),
    ],
    {
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    },
  );
  try {
    const url = await new Promise<string>((resolve) =>
      child.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim())),
    );
    const memory = () =>
      new Promise<{ baseline: number; peak: number }>((resolve) => {
        child.once("message", (m: unknown) => resolve(m as { baseline: number; peak: number }));
        child.send("peak");
      });
    const run = (command: string) =>
      new Promise<number>((resolve) => {
        let bytes = 0;
        const ws = new WebSocket(
          `${url.replace("http", "ws")}/api/v1/namespaces/default/pods/p/exec?${command}&stdout=true`,
          ["v5.channel.k8s.io"],
          { headers: auth },
        );
        ws.on("message", (d: Buffer) => {
          if (d[0] === 1) bytes += d.length - 1;
        });
        ws.on("close", () => resolve(bytes));
      });
    for (let i = 0; i < 20; i++) await run("command=true");
    const trips: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await run("command=true");
      trips.push(performance.now() - t);
    }
    const total = 256 * MiB;
    await memory();
    const t0 = performance.now();
    const bytes = await run(`command=emit&command=${total}`);
    const seconds = (performance.now() - t0) / 1000;
    const { baseline, peak } = await memory();
    table("exec over WebSocket (raw ws client; server in its own process)", [
      ["session round trip p50 / p99", `${pct(trips, 50).toFixed(2)} / ${pct(trips, 99).toFixed(2)} ms`],
      [
        "256 MiB stdout throughput",
        `${(bytes / 1e6 / seconds).toFixed(0)} MB/s (${bytes === total ? "complete" : `INCOMPLETE ${bytes}`})`,
      ],
      ["server peak RSS above its baseline", `${((peak - baseline) / MiB).toFixed(1)} MiB`],
    ]);
  } finally {
    child.disconnect();
  }
} finally {
  agent.destroy();
  await h.close();
}
