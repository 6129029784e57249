/**
 * A local API server in its own process for benchmarks: a Running pod `p` whose `emit <bytes>`
 * command streams stdout in 64 KiB chunks honouring backpressure. Prints its URL on stdout; answers
 * an IPC message "peak" with its RSS baseline and peak (bytes) since the previous "peak".
 */
import { startHarness } from "./harness.js";

const h = await startHarness();
const pods = h.store.typeFor("", "v1", "pods")!;
h.store.create(pods, {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", namespace: "default" },
  spec: { containers: [{ name: "app", image: "x" }] },
  status: { phase: "Running" },
});
const chunk = Buffer.alloc(64 * 1024, 0x61);
h.podIO.scripts.set("emit", async (req, streams) => {
  const total = Number(req.command[1]);
  for (let sent = 0; sent < total; sent += chunk.length) await streams.stdout(chunk);
  return 0;
});
h.podIO.scripts.set("true", () => 0);

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
gc();
let baseline = process.memoryUsage.rss();
let peak = baseline;
setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 5).unref();
process.on("message", () => {
  process.send?.({ baseline, peak });
  gc();
  baseline = process.memoryUsage.rss();
  peak = baseline;
});
process.on("disconnect", () => {
  void h.close().then(() => process.exit(0));
});
process.stdout.write(`${h.server.url}\n`);
