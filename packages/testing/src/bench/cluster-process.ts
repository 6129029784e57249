/**
 * A local cluster in a process of its own, for benchmarks: a real API server is remote, so the
 * client's time, CPU and memory are measured without the embedded server's competing for the same
 * thread. The parent asks the process for its CPU time, memory and the API requests it answered,
 * so each figure can be split into client-side and server-side cost.
 *
 * Scripted commands in every container: `true` (exit 0), `emit <bytes>` (that many bytes of stdout,
 * with backpressure), `work <ms>` (waits, then prints a Kanister output line
 * `###Phase-output###: {"key":"<pod>","value":"<namespace>"}`), and `fsfreeze …` (waits `latencyMs`,
 * prints `ok`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { KubeObject } from "@quiesce/kube";
import type { RequestRecord } from "../api/index.js";
import { startLocalCluster } from "../local-cluster.js";
import { emitBytes } from "../runtime/emit-bytes.js";

/** What the cluster process serves. */
export interface ClusterProcessOptions {
  /** Serve HTTPS (a throwaway certificate trusted by the kubeconfig), as every real API server does. */
  tls?: boolean;
  /** Namespaces holding pods (default `["bench"]`). */
  namespaces?: readonly string[];
  /** Running pods `db-000…` (label `app=db`, one container `db`) in each namespace (default 1). */
  podsPerNamespace?: number;
  /** How long `fsfreeze …` takes (default 0). */
  latencyMs?: number;
  /** Deployments to create in the first namespace (their pods run `true`, `emit`, `work` too). */
  deployments?: readonly { name: string; replicas: number; labels: Readonly<Record<string, string>> }[];
}

/** What the process has spent since it started (or since the last `reset`). */
export interface ServerUsage {
  /** CPU time, user + system, in milliseconds. */
  cpuMs: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** Peak RSS since the last reset. */
  peakRssBytes: number;
  /** API requests answered, by verb (`get`, `list`, `watch`, `exec`, …). */
  requests: Record<string, number>;
}

/** A running cluster process. */
export interface ClusterProcess {
  kubeconfig: string;
  url: string;
  pid: number;
  /** CPU, memory and requests since the last call with `reset` (or the start). */
  usage(options?: { reset?: boolean }): Promise<ServerUsage>;
  stop(): Promise<void>;
}

type Request = { id: number; reset: boolean };

/** Pod names of a namespace: `db-000`, `db-001`, … */
export function benchPodName(i: number): string {
  return `db-${String(i).padStart(3, "0")}`;
}

async function serve(options: ClusterProcessOptions): Promise<void> {
  const namespaces = options.namespaces ?? ["bench"];
  const perNamespace = options.podsPerNamespace ?? 1;
  const latencyMs = options.latencyMs ?? 0;
  const lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: [...namespaces],
    csi: false,
    ...(options.tls ? { tls: true } : {}),
  });
  lc.runtime.onExec({ command: "true" }, () => ({ exitCode: 0 }));
  lc.runtime.onExec({ command: /^emit \d+$/ }, (ctx) => emitBytes(Number(ctx.argv[1]))(ctx));
  lc.runtime.onExec({ command: /^work \d+$/ }, async (ctx) => {
    await new Promise((r) => setTimeout(r, Number(ctx.argv[1])));
    return { stdout: `###Phase-output###: {"key":"${ctx.pod}","value":"${ctx.namespace}"}\n` };
  });
  lc.runtime.onExec(
    { command: /^fsfreeze/ },
    () => new Promise((r) => setTimeout(() => r({ stdout: "ok\n" }), latencyMs)),
  );

  const pods = namespaces.flatMap((namespace) =>
    Array.from({ length: perNamespace }, (_, i) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: benchPodName(i), namespace, labels: { app: "db" } },
      spec: { containers: [{ name: "db", image: "db" }] },
    })),
  );
  const deployments: KubeObject[] = (options.deployments ?? []).map((d) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: d.name, namespace: namespaces[0] ?? "default" },
    spec: {
      replicas: d.replicas,
      selector: { matchLabels: { ...d.labels } },
      template: {
        metadata: { labels: { ...d.labels } },
        spec: { containers: [{ name: "main", image: "x" }] },
      },
    },
  }));
  const expected = pods.length + (options.deployments ?? []).reduce((n, d) => n + d.replicas, 0);
  const podType = lc.store.typeFor("", "v1", "pods");
  if (!podType) throw new Error("the local cluster serves no pods");
  // Count pods reaching Running from the store's own watch (no HTTP polling of thousands of pods).
  const running = new Set<string>();
  const allRunning = new Promise<void>((resolve) => {
    if (expected === 0) resolve();
    lc.store.watch(podType, undefined, lc.store.currentResourceVersion(), (e) => {
      const phase = (e.object.status as { phase?: string } | undefined)?.phase;
      const key = `${e.object.metadata.namespace}/${e.object.metadata.name}`;
      if (e.type !== "DELETED" && phase === "Running") running.add(key);
      if (running.size === expected) resolve();
    });
  });
  if (pods.length > 0) await lc.apply(pods);
  if (deployments.length > 0) await lc.apply(deployments);
  await allRunning;

  const requests: Record<string, number> = {};
  const record = lc.faults.record.bind(lc.faults);
  lc.faults.record = (entry: RequestRecord) => {
    requests[entry.verb] = (requests[entry.verb] ?? 0) + 1;
    record(entry);
  };
  let cpuFrom = process.cpuUsage();
  let peak = process.memoryUsage.rss();
  setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10).unref();
  process.on("message", (m: Request) => {
    const cpu = process.cpuUsage(cpuFrom);
    const mem = process.memoryUsage();
    const usage: ServerUsage = {
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      peakRssBytes: Math.max(peak, mem.rss),
      requests: { ...requests },
    };
    if (m.reset) {
      cpuFrom = process.cpuUsage();
      peak = mem.rss;
      for (const k of Object.keys(requests)) delete requests[k];
    }
    process.send?.({ id: m.id, usage });
  });
  process.on("disconnect", () => {
    void lc.stop().then(() => process.exit(0));
  });
  process.send?.({ ready: { kubeconfig: lc.kubeconfig, url: lc.url } });
}

if (process.argv[2] === "--serve-bench-cluster") void serve(JSON.parse(process.argv[3] ?? "{}"));

/**
 * Starts a local cluster in a child process and resolves once every pod runs.
 *
 * @example
 * ```ts
 * const server = await startClusterProcess({ tls: true, podsPerNamespace: 1000, latencyMs: 50 });
 * const cluster = connect({ kubeconfig: server.kubeconfig });
 * await server.usage({ reset: true });
 * // … the measured work …
 * const { cpuMs, requests } = await server.usage();
 * await server.stop();
 * ```
 */
export async function startClusterProcess(options: ClusterProcessOptions = {}): Promise<ClusterProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      // The parent's loader flags (tsx, source conditions) without its own extras.
      ...process.execArgv.filter((a) => a !== "--expose-gc" && !a.startsWith("--max-old-space-size")),
      "--expose-gc",
      fileURLToPath(import.meta.url),
      "--serve-bench-cluster",
      JSON.stringify(options),
    ],
    { stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  const ready = await new Promise<{ kubeconfig: string; url: string }>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the bench cluster exited with ${code}`));
    child.once("exit", onExit);
    child.on("message", (m: { ready?: { kubeconfig: string; url: string } }) => {
      if (!m.ready) return;
      child.off("exit", onExit);
      resolve(m.ready);
    });
  });
  let next = 0;
  return {
    ...ready,
    pid: child.pid ?? 0,
    usage: ({ reset = false } = {}) =>
      new Promise<ServerUsage>((resolve) => {
        const id = ++next;
        const onMessage = (m: { id?: number; usage?: ServerUsage }) => {
          if (m.id !== id || !m.usage) return;
          child.off("message", onMessage);
          resolve(m.usage);
        };
        child.on("message", onMessage);
        child.send({ id, reset } satisfies Request);
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.disconnect();
      }),
  };
}
