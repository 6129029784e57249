import { CoreV1Api } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startHarness, TOKEN } from "../http/test-support/harness.js";
import { createFaults } from "./faults.js";

let h: Awaited<ReturnType<typeof startHarness>>;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe("faults", () => {
  it("answers matching requests with 429 + Retry-After the given number of times, then normally", async () => {
    const fault = h.faults.add({
      verb: "list",
      resource: "pods",
      status: 429,
      retryAfterSeconds: 2,
      times: 2,
    });
    const first = await h.api("GET", "/api/v1/namespaces/default/pods");
    expect([first.status, first.body.reason, first.retryAfter]).toEqual([429, "TooManyRequests", "2"]);
    expect((first.body.details as { retryAfterSeconds: number }).retryAfterSeconds).toBe(2);
    expect((await h.api("GET", "/api/v1/namespaces/default/pods")).status).toBe(429);
    expect((await h.api("GET", "/api/v1/namespaces/default/pods")).status).toBe(200);
    expect(fault.hits).toBe(2);
    // Other verbs and resources were never affected.
    expect((await h.api("GET", "/api/v1/namespaces/default/configmaps")).status).toBe(200);
  });

  it("records every request with verb, resource, status and whether a fault answered it", async () => {
    h.faults.add({ verb: "get", resource: "pods", name: "p", status: 503 });
    await h.api("GET", "/api/v1/namespaces/default/pods/p");
    await h.api("GET", "/api/v1/namespaces/default/pods/p");
    const gets = h.faults.requests.filter((r) => r.verb === "get");
    expect(gets.map((r) => [r.resource, r.namespace, r.name, r.status, r.injected])).toEqual([
      ["pods", "default", "p", 503, true],
      ["pods", "default", "p", 404, false],
    ]);
    h.faults.clear();
    expect(h.faults.requests).toHaveLength(0);
  });

  it("resets the connection without an answer", async () => {
    h.faults.add({ verb: "create", resource: "configmaps", reset: true });
    await expect(
      fetch(`${h.server.url}/api/v1/namespaces/default/configmaps`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ metadata: { name: "c" } }),
      }),
    ).rejects.toThrow();
    expect(h.faults.requests.at(-1)).toMatchObject({ verb: "create", status: 0, injected: true });
    expect((await h.api("GET", "/api/v1/namespaces/default/configmaps/c")).status).toBe(404);
  });

  it("adds latency and then serves the request", async () => {
    const fault = h.faults.add({ verb: "get", latencyMs: 30 });
    const res = await h.api("GET", "/api/v1/namespaces/default");
    expect(res.status).toBe(200);
    expect(fault.hits).toBe(1);
  });

  it("surfaces 5xx to client-node with the Status reason", async () => {
    h.faults.add({ verb: "list", resource: "namespaces", status: 500, message: "etcd is down" });
    const core = h.kc.makeApiClient(CoreV1Api);
    await expect(core.listNamespace()).rejects.toMatchObject({
      code: 500,
      body: expect.stringContaining("etcd is down"),
    });
  });

  it("fails an exec upgrade with the scripted status, and removes a fault on request", async () => {
    await h.api("POST", "/api/v1/namespaces/default/pods", {
      metadata: { name: "e" },
      spec: { containers: [{ name: "app", image: "x" }] },
    });
    const removed = h.faults.add({ verb: "exec", status: 500, times: Number.POSITIVE_INFINITY });
    removed.remove();
    h.faults.add({ verb: "exec", resource: "pods", status: 503, retryAfterSeconds: 1 });
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(
        `${h.server.url.replace("http", "ws")}/api/v1/namespaces/default/pods/e/exec?command=true&stdout=true`,
        ["v5.channel.k8s.io"],
        {
          headers: { authorization: `Bearer ${TOKEN}` },
        },
      );
      ws.on("error", () => {});
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    });
    expect(status).toBe(503);
    expect(h.faults.requests.at(-1)).toMatchObject({
      verb: "exec",
      resource: "pods/exec",
      status: 503,
      injected: true,
    });
  });
});

describe("request log", () => {
  it("keeps the last 10,000 requests, oldest first", () => {
    const faults = createFaults();
    for (let i = 0; i < 25_000; i++) {
      faults.record({ method: "GET", verb: "get", path: `/p/${i}`, status: 200, injected: false, at: i });
    }
    const log = faults.requests;
    expect(log).toHaveLength(10_000);
    expect(log[0]?.path).toBe("/p/15000");
    expect(log.at(-1)?.path).toBe("/p/24999");
  });
});
