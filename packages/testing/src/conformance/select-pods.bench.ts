/** selectPods among 1,000 pods: by label selector, by phase, and by owner through the controller chain. */
import { connect, pickPod } from "@quiesce/kube";
import { startBenchCluster } from "./test-support/bench-cluster.js";
import { percentile, printTable } from "./test-support/figures.js";

const server = await startBenchCluster({ pods: 1000 });
try {
  const cluster = connect({ kubeconfig: server.kubeconfig });
  const ns = server.namespace;
  async function measure(label: string, fn: () => Promise<number>, rounds = 20): Promise<[string, string]> {
    await fn();
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < rounds; i++) {
      const t = performance.now();
      count = await fn();
      times.push(performance.now() - t);
    }
    return [
      label,
      `${count} pods, p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms`,
    ];
  }
  const rows = [
    await measure(
      "selector app=bench, tier=a",
      async () => (await cluster.selectPods(ns, { selector: "app=bench, tier=a" })).length,
    ),
    await measure(
      "selector tier in (a,b) + Running",
      async () => (await cluster.selectPods(ns, { selector: "tier in (a, b)", phase: "Running" })).length,
    ),
    await measure(
      "owner Deployment fleet-b (via ReplicaSet)",
      async () => (await cluster.selectPods(ns, { owner: { kind: "Deployment", name: "fleet-b" } })).length,
    ),
    await measure("pickPod over all 1,000", async () => {
      const pods = await cluster.selectPods(ns, { selector: "app=bench" });
      return pickPod(pods) ? pods.length : 0;
    }),
  ];
  printTable("selectPods among 1,000 pods", rows);
} finally {
  await server.stop();
}
