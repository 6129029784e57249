/**
 * A local cluster in its own process, for benchmarks that should measure the client (executors,
 * adapter) rather than the embedded API server competing with it for the same cores — a real API
 * server is remote. Prints one JSON line `{ kubeconfig }` once every pod runs; stops when stdin closes.
 * Arguments: `--pods N` pods labelled `app=db` in namespace `bench`; `--latency MS`: how long the
 * scripted `fsfreeze …` command takes.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { startLocalCluster } from "@quiesce/testing";

function arg(name: string): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : 0;
}

async function serve(): Promise<void> {
  const pods = arg("--pods");
  const latencyMs = arg("--latency");
  const lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: ["bench"],
  });
  lc.runtime.onExec(
    { command: /^fsfreeze/ },
    () => new Promise((r) => setTimeout(() => r({ stdout: "ok\n" }), latencyMs)),
  );
  await lc.apply(
    Array.from({ length: pods }, (_, i) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: `db-${String(i).padStart(3, "0")}`, namespace: "bench", labels: { app: "db" } },
      spec: { containers: [{ name: "db", image: "db" }] },
    })),
  );
  for (;;) {
    const all = await lc.cluster.selectPods("bench", { selector: "app=db" });
    if (all.filter((p) => p.status?.phase === "Running").length === pods) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  process.stdout.write(`${JSON.stringify({ kubeconfig: lc.kubeconfig })}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => {
    void lc.stop().then(() => process.exit(0));
  });
}

if (process.argv.includes("--serve")) void serve();

/** Starts the cluster process with `pods` Running pods; resolves with its kubeconfig and a stop function. */
export async function startBenchCluster(options: { pods: number; latencyMs: number }): Promise<{
  kubeconfig: string;
  stop(): Promise<void>;
}> {
  const args = [
    ...process.execArgv.filter((a) => a !== "--expose-gc"),
    new URL(import.meta.url).pathname,
    "--serve",
    "--pods",
    String(options.pods),
    "--latency",
    String(options.latencyMs),
  ];
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`bench cluster exited with ${code}`)));
  });
  const { kubeconfig } = JSON.parse(first) as { kubeconfig: string };
  return {
    kubeconfig,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin.end();
      }),
  };
}
