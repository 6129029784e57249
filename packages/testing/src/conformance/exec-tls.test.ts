import { createServer, connect as netConnect, type Socket } from "node:net";
import { connect, type V1Pod } from "@quiesce/kube";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { countTlsHandshakes } from "../bench/tls-handshakes.js";
import { type LocalCluster, startLocalCluster } from "../local-cluster.js";

let lc: LocalCluster;
// 64 blocks of 16 KiB, each line naming its block and line: a reused or overwritten chunk shows.
const numbered = (block: number) =>
  Array.from(
    { length: 1024 },
    (_, l) => `${String(block).padStart(4, "0")}:${String(l).padStart(9, "0")}\n`,
  ).join("");
const counted = Array.from({ length: 64 }, (_, b) => numbered(b)).join("");
beforeAll(async () => {
  lc = await startLocalCluster({ tls: true, podStartDelayMs: 0, readyDelayMs: 0, namespaces: ["tls"] });
  lc.runtime.onExec({ command: "hello" }, () => ({ stdout: "hi\n" }));
  lc.runtime.onExec({ command: "count" }, async (ctx) => {
    for (let i = 0; i < 64; i++) await ctx.stdout(numbered(i));
    return { exitCode: 0 };
  });
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

  it("hands onStdout chunks it may keep by default, and views of one read buffer with reuseChunks", async () => {
    const kept: Uint8Array[] = [];
    const copied = await lc.cluster.exec({ namespace: "tls", pod: "p" }, ["count"], {
      onStdout: (chunk) => kept.push(chunk),
    });
    expect(copied.stdout).toBe(counted);
    expect(kept.length).toBeGreaterThan(1);
    expect(Buffer.concat(kept).toString()).toBe(counted);

    const views: Uint8Array[] = [];
    let text = "";
    const decoder = new TextDecoder();
    const reused = await lc.cluster.exec({ namespace: "tls", pod: "p" }, ["count"], {
      reuseChunks: true,
      onStdout: (chunk) => {
        views.push(chunk);
        text += decoder.decode(chunk, { stream: true });
      },
    });
    expect(reused.stdout).toBe(counted);
    expect(text).toBe(counted);
    // 1 MiB came through views of the same small buffer: nothing was allocated per chunk.
    expect(new Set(views.map((v) => v.buffer)).size).toBe(1);
    expect(views[0]?.buffer.byteLength).toBeLessThan(counted.length / 4);
  });

  it("goes through an HTTP proxy named by the kubeconfig's proxy-url, for exec and for requests", async () => {
    const tunnels: string[] = [];
    const open = new Set<Socket>();
    const proxy = createServer((client) => {
      open.add(client);
      client.on("close", () => open.delete(client));
      client.once("data", (head: Buffer) => {
        const target = /^CONNECT ([^ ]+) HTTP/.exec(head.toString("latin1"))?.[1] ?? "";
        tunnels.push(target);
        const [host, port] = target.split(":");
        const upstream = netConnect(Number(port), host, () => {
          client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
          client.pipe(upstream).pipe(client);
        });
        upstream.on("error", () => client.destroy());
      });
      client.on("error", () => {});
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const config = parse(lc.kubeconfig) as { clusters: { cluster: Record<string, unknown> }[] };
      for (const c of config.clusters)
        c.cluster["proxy-url"] = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
      const viaProxy = connect({ kubeconfig: stringify(config) });
      const result = await viaProxy.exec({ namespace: "tls", pod: "p" }, ["hello"]);
      expect(result).toMatchObject({ exitCode: 0, stdout: "hi\n" });
      const server = new URL(lc.url).host;
      // The pod GET (undici) and the exec (ws with client-node's agent) both went through the proxy.
      expect(tunnels.length).toBeGreaterThanOrEqual(2);
      expect(new Set(tunnels)).toEqual(new Set([server]));
    } finally {
      const closed = new Promise<void>((resolve) => proxy.close(() => resolve()));
      for (const socket of open) socket.destroy();
      await closed;
    }
  });
});
