import type { V1Pod } from "@quiesce/kube";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countTlsHandshakes } from "../bench/tls-handshakes.js";
import { type LocalCluster, startLocalCluster } from "../local-cluster.js";

let lc: LocalCluster;
beforeAll(async () => {
  lc = await startLocalCluster({ tls: true, podStartDelayMs: 0, readyDelayMs: 0, namespaces: ["tls"] });
  lc.runtime.onExec({ command: "hello" }, () => ({ stdout: "hi\n" }));
  await lc.apply({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "tls" },
    spec: { containers: [{ name: "c", image: "x" }] },
  });
  await lc.cluster.waitFor(
    { version: "v1", resource: "pods", namespace: "tls", name: "p" },
    (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
  );
});
afterAll(() => lc.stop());

describe("exec over TLS", () => {
  it("resumes the TLS session on every exec connection after the first", async () => {
    const pod = (await lc.cluster.get({
      version: "v1",
      resource: "pods",
      namespace: "tls",
      name: "p",
    })) as unknown as V1Pod;
    const handshakes = countTlsHandshakes();
    try {
      // Each exec is a new WebSocket connection; with the pod held, no other request is sent.
      for (let i = 0; i < 4; i++) {
        const result = await lc.cluster.exec({ namespace: "tls", pod: "p" }, ["hello"], { pod });
        expect(result).toMatchObject({ exitCode: 0, stdout: "hi\n" });
      }
      expect(handshakes.full + handshakes.resumed).toBe(4);
      expect(handshakes.resumed).toBeGreaterThanOrEqual(3);
    } finally {
      handshakes.stop();
    }
  });
});
