/**
 * A local cluster in its own process, for benchmarks that measure the client's memory without the
 * server's. Prints one JSON line `{ kubeconfig, namespace }` once ready; stops when stdin closes.
 * Scripted commands: `true` (exit 0), `emit <bytes>` (streams that many bytes of stdout).
 * Argument `--pods N` creates a Deployment of N pods labelled `app=bench` (half `tier=a`).
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { emitBytes, startLocalCluster } from "../../index.js";

const NAMESPACE = "bench";

async function main(): Promise<void> {
  const podsArg = process.argv.indexOf("--pods");
  const pods = podsArg >= 0 ? Number(process.argv[podsArg + 1]) : 0;
  const lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: [NAMESPACE],
  });
  lc.runtime.onExec({ command: "true" }, () => ({ exitCode: 0 }));
  lc.runtime.onExec({ command: /^emit \d+$/ }, (ctx) => emitBytes(Number(ctx.argv[1]))(ctx));
  await lc.apply({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "target", namespace: NAMESPACE },
    spec: { containers: [{ name: "main", image: "busybox" }] },
  });
  if (pods > 0) {
    for (const tier of ["a", "b"]) {
      await lc.apply({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: `fleet-${tier}`, namespace: NAMESPACE },
        spec: {
          replicas: pods / 2,
          selector: { matchLabels: { app: "bench", tier } },
          template: {
            metadata: { labels: { app: "bench", tier } },
            spec: { containers: [{ name: "main", image: "busybox" }] },
          },
        },
      });
    }
  }
  await lc.cluster.waitFor(
    { version: "v1", resource: "pods", namespace: NAMESPACE, name: "target" },
    (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
  );
  if (pods > 0) {
    for (const tier of ["a", "b"]) {
      await lc.cluster.waitFor(
        {
          group: "apps",
          version: "v1",
          resource: "deployments",
          namespace: NAMESPACE,
          name: `fleet-${tier}`,
        },
        (d) => (d?.status as { readyReplicas?: number } | undefined)?.readyReplicas === pods / 2,
        { timeoutMs: 300_000 },
      );
    }
  }
  process.stdout.write(`${JSON.stringify({ kubeconfig: lc.kubeconfig, namespace: NAMESPACE })}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => {
    void lc.stop().then(() => process.exit(0));
  });
}

if (process.argv.includes("--serve")) void main();

/** Starts the cluster process; resolves with its kubeconfig and a stop function. */
export async function startBenchCluster(options: { pods?: number } = {}): Promise<{
  kubeconfig: string;
  namespace: string;
  pid: number;
  stop(): Promise<void>;
}> {
  const args = [
    ...process.execArgv.filter((a) => a !== "--expose-gc"),
    new URL(import.meta.url).pathname,
    "--serve",
  ];
  if (options.pods) args.push("--pods", String(options.pods));
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`bench cluster exited with ${code}`)));
  });
  const ready = JSON.parse(first) as { kubeconfig: string; namespace: string };
  return {
    ...ready,
    pid: child.pid ?? 0,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin.end();
      }),
  };
}
