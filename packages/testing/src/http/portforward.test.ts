import { createServer, type Server } from "node:http";
import {
  type AddressInfo,
  connect,
  createServer as createTcpServer,
  type Server as TcpServer,
} from "node:net";
import { KubeConfig, PortForward } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type LocalCluster, startLocalCluster } from "../local-cluster.js";

let lc: LocalCluster;
let web: Server;
let webPort: number;

beforeAll(async () => {
  lc = await startLocalCluster({ podStartDelayMs: 0, readyDelayMs: 0, terminationDelayMs: 0 });
  // The "pod's" web server: the local cluster's pods are on 127.0.0.1.
  web = createServer((req, res) => res.end(`hello from ${req.url}`));
  await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  webPort = (web.address() as AddressInfo).port;
  await lc.apply(`apiVersion: v1
kind: Pod
metadata: { name: web }
spec: { containers: [{ name: web, image: nginx, ports: [{ containerPort: ${webPort} }] }] }
`);
  await lc.cluster.waitFor(
    { version: "v1", resource: "pods", namespace: "default", name: "web" },
    (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
  );
});
afterAll(async () => {
  await lc?.stop();
  await new Promise((resolve) => web?.close(resolve));
});

/** A local listener whose every connection is forwarded with client-node's PortForward, as `kubectl port-forward` would. */
async function forward(pod: string, port: number): Promise<{ url: string; close: () => Promise<void> }> {
  const kc = new KubeConfig();
  kc.loadFromString(lc.kubeconfig);
  const pf = new PortForward(kc);
  const server: TcpServer = createTcpServer((socket) => {
    void pf.portForward("default", pod, [port], socket, null, socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("pods/portforward over WebSocket", () => {
  it("carries HTTP requests to the pod's port through client-node's PortForward", async () => {
    const tunnel = await forward("web", webPort);
    try {
      for (const path of ["/a", "/b"]) {
        const res = await fetch(`${tunnel.url}${path}`, { headers: { connection: "close" } });
        expect(await res.text()).toBe(`hello from ${path}`);
      }
    } finally {
      await tunnel.close();
    }
  });

  it("sends the port first on both channels, then the error on the error channel when nothing listens", async () => {
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const ws = new WebSocket(
      `${lc.url.replace("http", "ws")}/api/v1/namespaces/default/pods/web/portforward?ports=${deadPort}`,
      ["v4.channel.k8s.io"],
      { headers: { authorization: `Bearer ${lc.token}` } },
    );
    const frames: Buffer[] = [];
    ws.on("message", (data: Buffer) => frames.push(data));
    await new Promise((resolve) => ws.on("close", resolve));
    const port = Buffer.alloc(2);
    port.writeUInt16LE(deadPort);
    expect(frames[0]).toEqual(Buffer.concat([Buffer.from([0]), port]));
    expect(frames[1]).toEqual(Buffer.concat([Buffer.from([1]), port]));
    expect(frames[2]?.[0]).toBe(1);
    expect(frames[2]?.subarray(1).toString()).toMatch(
      new RegExp(`^error forwarding port ${deadPort} to pod web, uid [0-9a-f-]+: connect ECONNREFUSED`),
    );
  });

  it("refuses a missing pod, a missing port and a plain request before any upgrade", async () => {
    const get = (path: string) =>
      fetch(`${lc.url}${path}`, { headers: { authorization: `Bearer ${lc.token}` } }).then(async (r) => ({
        status: r.status,
        message: ((await r.json()) as { message: string }).message,
      }));
    expect(await get("/api/v1/namespaces/default/pods/web/portforward?ports=80")).toEqual({
      status: 400,
      message: "Upgrade request required",
    });
    const refused = (path: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${lc.url.replace("http", "ws")}${path}`, ["v4.channel.k8s.io"], {
          headers: { authorization: `Bearer ${lc.token}` },
        });
        ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        ws.on("error", () => {});
      });
    expect(await refused("/api/v1/namespaces/default/pods/nope/portforward?ports=80")).toBe(404);
    expect(await refused("/api/v1/namespaces/default/pods/web/portforward")).toBe(400);
    expect(await refused("/api/v1/namespaces/default/pods/web/portforward?ports=0")).toBe(400);
  });

  it("accepts kubectl's SPDY tunnel, whose protocol name ws would refuse, and names it in the answer", async () => {
    const url = new URL(lc.url);
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const answer = await new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (c: Buffer) => {
        text += c.toString("latin1");
        if (text.includes("\r\n\r\n")) resolve(text);
      });
      socket.write(
        "GET /api/v1/namespaces/default/pods/web/portforward HTTP/1.1\r\n" +
          `Host: ${url.host}\r\nAuthorization: Bearer ${lc.token}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
          "Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io\r\n\r\n",
      );
    });
    socket.destroy();
    expect(answer).toMatch(/^HTTP\/1\.1 101 /);
    expect(answer).toContain("Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io\r\n");
  });
});
