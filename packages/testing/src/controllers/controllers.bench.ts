/**
 * Local cluster figures on the controller and runtime side (no HTTP): cluster start-up, how fast a
 * Deployment / StatefulSet reaches Ready with zero node delays, and scripted exec throughput
 * through PodIO with a backpressuring sink.
 */
import type { StoredObject } from "../api/seams.js";
import { startLocalCluster } from "../local-cluster.js";
import { emitBytes } from "../runtime/emit-bytes.js";
import { startHarness } from "./test-support/harness.js";

function row(label: string, value: string): void {
  process.stdout.write(`| ${label.padEnd(44)} | ${value.padStart(22)} |\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

process.stdout.write(
  `| ${"figure".padEnd(44)} | ${"value".padStart(22)} |\n|${"-".repeat(46)}|${"-".repeat(24)}|\n`,
);

{
  const starts: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const lc = await startLocalCluster();
    starts.push(performance.now() - t0);
    await lc.stop();
  }
  row("startLocalCluster() (median of 10)", `${median(starts).toFixed(1)} ms`);
}

const ready = (o: StoredObject | undefined, n: number) =>
  (o?.status as { readyReplicas?: number } | undefined)?.readyReplicas === n;

{
  const h = startHarness({ podStartDelayMs: 0, readyDelayMs: 0, terminationDelayMs: 0 });
  const replicas = 200;
  const t0 = performance.now();
  h.store.create(h.types.deployments, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default" },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "web", image: "nginx" }] },
      },
    },
  });
  await h.waitFor(h.types.deployments, "default", "web", (d) => ready(d, replicas), 60_000);
  row(`Deployment 0 → ${replicas} Ready pods`, `${(performance.now() - t0).toFixed(0)} ms`);
  let left = replicas;
  const gone = new Promise<void>((resolve) => {
    h.store.watch(h.types.pods, "default", h.store.currentResourceVersion(), (e) => {
      if (e.type === "DELETED" && --left === 0) resolve();
    });
  });
  const t1 = performance.now();
  h.store.mutate(h.types.deployments, "default", "web", (d) => {
    (d.spec as { replicas: number }).replicas = 0;
  });
  await gone;
  row(`Deployment ${replicas} → 0 (pods gone)`, `${(performance.now() - t1).toFixed(0)} ms`);
  await h.stop();
}

{
  const h = startHarness({ podStartDelayMs: 0, readyDelayMs: 0, terminationDelayMs: 0 });
  const replicas = 20;
  const t0 = performance.now();
  h.store.create(h.types.statefulsets, {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "db", namespace: "default" },
    spec: {
      replicas,
      serviceName: "db",
      selector: { matchLabels: { app: "db" } },
      template: {
        metadata: { labels: { app: "db" } },
        spec: { containers: [{ name: "db", image: "postgres" }] },
      },
      volumeClaimTemplates: [{ metadata: { name: "data" }, spec: {} }],
    },
  });
  await h.waitFor(h.types.statefulsets, "default", "db", (s) => ready(s, replicas), 60_000);
  row(`StatefulSet 0 → ${replicas} Ready (OrderedReady)`, `${(performance.now() - t0).toFixed(0)} ms`);
  await h.stop();
}

{
  const h = startHarness({ podStartDelayMs: 0, readyDelayMs: 0 });
  const total = 256 * 1024 * 1024;
  h.runtime.onExec({ command: "dump" }, emitBytes(total, { chunkSize: 256 * 1024 }));
  h.store.create(h.types.pods, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "default" },
    spec: { containers: [{ name: "c", image: "busybox" }] },
  });
  const pod = await h.waitFor(
    h.types.pods,
    "default",
    "p",
    (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
  );
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  let received = 0;
  const t0 = performance.now();
  await h.controllers.podIO.exec(
    { namespace: "default", pod: pod as StoredObject, container: "c", command: ["dump"], tty: false },
    {
      stdout: (chunk) => {
        received += chunk.length;
        if (received % (16 * 1024 * 1024) < chunk.length) peak = Math.max(peak, process.memoryUsage().rss);
        // Yield now and then, like a socket draining.
        return received % (4 * 1024 * 1024) < chunk.length
          ? new Promise<void>((r) => setImmediate(r))
          : undefined;
      },
      stderr: () => {},
    },
    new AbortController().signal,
  );
  const seconds = (performance.now() - t0) / 1000;
  row("scripted exec via PodIO: 256 MiB stdout", `${(received / 1024 / 1024 / seconds).toFixed(0)} MiB/s`);
  row("  peak RSS above baseline", `${((peak - baseline) / 1024 / 1024).toFixed(1)} MiB`);
  await h.stop();
}
