/**
 * How soon a watch-driven `waitFor` returns after its condition becomes true (goal < 50 ms; Kanister
 * polls with a backoff up to 10 s). Measured from the moment the client sends the change that makes
 * the condition true, so each figure includes that request's own round trip.
 */
import { connect } from "@quiesce/kube";
import { startBenchCluster } from "./test-support/bench-cluster.js";
import { percentile, printTable } from "./test-support/figures.js";

const server = await startBenchCluster();
try {
  const cluster = connect({ kubeconfig: server.kubeconfig });
  const ns = server.namespace;
  const rounds = 50;
  const delays: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const name = `flag-${i}`;
    const ref = { version: "v1", resource: "configmaps", namespace: ns, name };
    await cluster.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name, namespace: ns },
      data: { state: "waiting" },
    });
    let resolvedAt = 0;
    const waiting = cluster
      .waitFor(ref, (o) => (o?.data as { state?: string } | undefined)?.state === "done", {
        timeoutMs: 30_000,
      })
      .then(() => {
        resolvedAt = performance.now();
      });
    // Let the list + watch open before the change.
    await new Promise((r) => setTimeout(r, 20));
    const changedAt = performance.now();
    await cluster.patch(ref, { data: { state: "done" } }, "merge");
    await waiting;
    delays.push(resolvedAt - changedAt);
  }
  printTable("waitFor: condition true → promise resolved (watch-driven)", [
    ["rounds", String(rounds)],
    ["p50", `${percentile(delays, 50).toFixed(2)} ms (goal < 50)`],
    ["p99", `${percentile(delays, 99).toFixed(2)} ms`],
    ["max", `${Math.max(...delays).toFixed(2)} ms`],
  ]);
} finally {
  await server.stop();
}
