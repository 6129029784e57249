/**
 * selectPods among 1,000 pods (two Deployments of 500): by label selector, by phase, and by owner
 * through the controller chain; over http and over TLS, against a server in its own process.
 */
import { connect, pickPod } from "@quiesce/kube";
import { startClusterProcess } from "../bench/cluster-process.js";
import { percentile, printTable } from "../bench/figures.js";

const rows: [string, string][] = [];
for (const tls of [false, true]) {
  const server = await startClusterProcess({
    tls,
    podsPerNamespace: 0,
    deployments: ["a", "b"].map((tier) => ({
      name: `fleet-${tier}`,
      replicas: 500,
      labels: { app: "bench", tier },
    })),
  });
  try {
    const cluster = connect({ kubeconfig: server.kubeconfig });
    const ns = "bench";
    const measure = async (label: string, fn: () => Promise<number>, rounds = 20) => {
      await fn();
      const times: number[] = [];
      let count = 0;
      for (let i = 0; i < rounds; i++) {
        const t = performance.now();
        count = await fn();
        times.push(performance.now() - t);
      }
      rows.push([
        `${tls ? "TLS" : "http"}: ${label}`,
        `${count} pods, p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms`,
      ]);
    };
    await measure(
      "selector app=bench, tier=a",
      async () => (await cluster.selectPods(ns, { selector: "app=bench, tier=a" })).length,
    );
    await measure(
      "selector tier in (a,b) + Running",
      async () => (await cluster.selectPods(ns, { selector: "tier in (a, b)", phase: "Running" })).length,
    );
    await measure(
      "owner Deployment fleet-b (via ReplicaSet)",
      async () => (await cluster.selectPods(ns, { owner: { kind: "Deployment", name: "fleet-b" } })).length,
    );
    await measure("pickPod over all 1,000", async () => {
      const pods = await cluster.selectPods(ns, { selector: "app=bench" });
      return pickPod(pods) ? pods.length : 0;
    });
  } finally {
    await server.stop();
  }
}
printTable("selectPods among 1,000 pods (server in its own process)", rows);
