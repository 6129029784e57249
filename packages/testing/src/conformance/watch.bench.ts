/**
 * How soon a watch-driven `waitFor` returns after its condition becomes true (goal < 50 ms; Kanister
 * polls with a backoff up to 10 s), over http and over TLS. Measured from the moment the client
 * sends the change that makes the condition true, so each figure includes that request's own round
 * trip. Each wait opens a watch of its own (a new connection, so over TLS a resumed handshake).
 */
import { connect } from "@quiesce/kube";
import { startClusterProcess } from "../bench/cluster-process.js";
import { percentile, printTable } from "../bench/figures.js";
import { countTlsHandshakes } from "../bench/tls-handshakes.js";

const rounds = 50;
const rows: [string, string][] = [];
const handshakes = countTlsHandshakes();
for (const tls of [false, true]) {
  const server = await startClusterProcess({ tls });
  try {
    const cluster = connect({ kubeconfig: server.kubeconfig });
    const ns = "bench";
    const delays: number[] = [];
    handshakes.reset();
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
    const label = tls ? "TLS" : "http";
    rows.push(
      [`${label}: p50`, `${percentile(delays, 50).toFixed(2)} ms (goal < 50)`],
      [`${label}: p99`, `${percentile(delays, 99).toFixed(2)} ms`],
      [`${label}: max`, `${Math.max(...delays).toFixed(2)} ms`],
    );
    if (tls) rows.push([`${label}: handshakes`, `${handshakes.full} full, ${handshakes.resumed} resumed`]);
  } finally {
    await server.stop();
  }
}
handshakes.stop();
printTable(`waitFor: condition true → promise resolved (watch-driven), ${rounds} rounds each`, rows);
