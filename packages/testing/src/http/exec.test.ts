import { PassThrough, Readable } from "node:stream";
import { Exec, type V1Status } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { pod, startHarness, TOKEN } from "./test-support/harness.js";

let h: Awaited<ReturnType<typeof startHarness>>;

async function runningPod(name: string, containers = ["app"]) {
  await h.api("POST", "/api/v1/namespaces/default/pods", {
    ...pod(name),
    spec: { containers: containers.map((c) => ({ name: c, image: "busybox" })) },
  });
  const podType = h.store.typeFor("", "v1", "pods")!;
  h.store.mutate(podType, "default", name, (p) => {
    p.status = { phase: "Running" };
  });
}

beforeEach(async () => {
  h = await startHarness();
  h.podIO.scripts.set("echo", (req, streams) => {
    streams.stdout(Buffer.from(`${req.command.slice(1).join(" ")}\n`));
    return 0;
  });
  h.podIO.scripts.set("fail", (req, streams) => {
    streams.stderr(Buffer.from("boom\n"));
    return Number(req.command[1]);
  });
  h.podIO.scripts.set("cat", async (_req, streams) => {
    for await (const chunk of streams.stdin ?? []) streams.stdout(chunk);
    return 0;
  });
  await runningPod("web");
});
afterEach(async () => {
  await h.close();
});

/** Runs a command through client-node's Exec; resolves with output and the channel-3 status. */
async function clientExec(command: string[], stdin?: Readable, podName = "web", container = "app") {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (c: Buffer) => out.push(c));
  stderr.on("data", (c: Buffer) => err.push(c));
  let resolveStatus!: (s: V1Status) => void;
  const status = new Promise<V1Status>((resolve) => {
    resolveStatus = resolve;
  });
  const ws = await new Exec(h.kc).exec(
    "default",
    podName,
    container,
    command,
    stdout,
    stderr,
    stdin ?? null,
    false,
    resolveStatus,
  );
  const closed = new Promise<void>((resolve) => ws.on("close", () => resolve()));
  const s = await status;
  await closed;
  return {
    status: s,
    stdout: Buffer.concat(out).toString(),
    stderr: Buffer.concat(err).toString(),
    protocol: ws.protocol,
  };
}

describe("exec over WebSocket", () => {
  it("runs a command through client-node's Exec with v5 and reports Success on channel 3", async () => {
    const r = await clientExec(["echo", "hello", "world"]);
    expect(r.protocol).toBe("v5.channel.k8s.io");
    expect(r.stdout).toBe("hello world\n");
    expect(r.status).toEqual({ metadata: {}, status: "Success" });
    expect(h.podIO.execCalls[0]).toMatchObject({
      namespace: "default",
      container: "app",
      command: ["echo", "hello", "world"],
      tty: false,
    });
  });

  it("reports a non-zero exit code as NonZeroExitCode with the code in causes", async () => {
    const r = await clientExec(["fail", "2"]);
    expect(r.stderr).toBe("boom\n");
    expect(r.status).toEqual({
      metadata: {},
      status: "Failure",
      message: "command terminated with non-zero exit code: error executing command [fail 2], exit code 2",
      reason: "NonZeroExitCode",
      details: { causes: [{ reason: "ExitCode", message: "2" }] },
    });
  });

  it("feeds stdin until the client's v5 close signal", async () => {
    const r = await clientExec(["cat"], Readable.from([Buffer.from("line 1\n"), Buffer.from("line 2\n")]));
    expect(r.stdout).toBe("line 1\nline 2\n");
    expect(r.status.status).toBe("Success");
  });

  it("negotiates v4 when the client offers only v4, and never sends channel 255", async () => {
    const frames: Buffer[] = [];
    const ws = new WebSocket(
      `${h.server.url.replace("http", "ws")}/api/v1/namespaces/default/pods/web/exec?command=fail&command=3&stdout=true&stderr=true`,
      ["v4.channel.k8s.io", "channel.k8s.io"],
      { headers: { authorization: `Bearer ${TOKEN}` } },
    );
    ws.on("message", (d: Buffer) => frames.push(d));
    const code = await new Promise<number>((resolve) => ws.on("close", (c) => resolve(c)));
    expect(ws.protocol).toBe("v4.channel.k8s.io");
    expect(code).toBe(1000);
    expect(frames.map((f) => f[0])).toEqual([2, 3]);
    expect(JSON.parse(frames[1]!.subarray(1).toString())).toMatchObject({
      reason: "NonZeroExitCode",
      details: { causes: [{ message: "3" }] },
    });
  });

  it("answers before the upgrade with a Status for a missing pod, a wrong container or an ended pod", async () => {
    const tryUpgrade = (path: string) =>
      new Promise<{ status: number; body: Record<string, unknown> }>((resolve) => {
        const ws = new WebSocket(`${h.server.url.replace("http", "ws")}${path}`, ["v5.channel.k8s.io"], {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        ws.on("error", () => {});
        ws.on("unexpected-response", (_req, res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }),
          );
        });
      });
    const missing = await tryUpgrade("/api/v1/namespaces/default/pods/nope/exec?command=echo&stdout=true");
    expect([missing.status, missing.body.reason, missing.body.message]).toEqual([
      404,
      "NotFound",
      'pods "nope" not found',
    ]);
    const wrong = await tryUpgrade(
      "/api/v1/namespaces/default/pods/web/exec?command=echo&stdout=true&container=db",
    );
    expect([wrong.status, wrong.body.message]).toEqual([400, "container db is not valid for pod web"]);
    const podType = h.store.typeFor("", "v1", "pods")!;
    h.store.mutate(podType, "default", "web", (p) => {
      p.status = { phase: "Succeeded" };
    });
    const ended = await tryUpgrade("/api/v1/namespaces/default/pods/web/exec?command=echo&stdout=true");
    expect([ended.status, ended.body.message]).toEqual([
      400,
      "cannot exec into a container in a completed pod; current phase is Succeeded",
    ]);
  });

  it("reports a runtime failure after the upgrade as a Failure status", async () => {
    const r = await clientExec(["no-such-binary"]);
    expect(r.status).toMatchObject({
      status: "Failure",
      reason: "InternalError",
      message: "executable file not found in $PATH: no-such-binary",
    });
  });

  it("streams large output with backpressure and without loss", async () => {
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    h.podIO.scripts.set("big", async (_req, streams) => {
      for (let i = 0; i < 64; i++) {
        streams.stdout(chunk);
        await streams.waitForDrain?.();
      }
      return 0;
    });
    const r = await clientExec(["big"]);
    expect(r.stdout.length).toBe(64 * chunk.length);
    expect(r.status.status).toBe("Success");
  });

  it("holds the runtime back while the client does not read (stdout returns a promise), then finishes", async () => {
    const chunk = Buffer.alloc(256 * 1024, 0x63);
    let blockedAt = -1;
    let onBlocked!: () => void;
    const blocked = new Promise<void>((resolve) => {
      onBlocked = resolve;
    });
    h.podIO.scripts.set("flood", async (_req, streams) => {
      for (let i = 0; i < 256; i++) {
        const wait = streams.stdout(chunk);
        if (wait && blockedAt < 0) {
          blockedAt = i;
          onBlocked();
        }
        await wait;
      }
      return 0;
    });
    const ws = new WebSocket(
      `${h.server.url.replace("http", "ws")}/api/v1/namespaces/default/pods/web/exec?command=flood&stdout=true`,
      ["v5.channel.k8s.io"],
      {
        headers: { authorization: `Bearer ${TOKEN}` },
      },
    );
    let bytes = 0;
    let status = "";
    ws.on("message", (d: Buffer) => {
      if (d[0] === 1) bytes += d.length - 1;
      if (d[0] === 3) status = JSON.parse(d.subarray(1).toString()).status;
    });
    await new Promise((resolve) => ws.once("open", resolve));
    ws.pause();
    await blocked;
    // 64 MiB would be queued without backpressure; the runtime was stopped after a few MiB.
    expect(blockedAt).toBeGreaterThan(0);
    expect(blockedAt).toBeLessThan(64);
    ws.resume();
    await new Promise((resolve) => ws.once("close", resolve));
    expect(bytes).toBe(256 * chunk.length);
    expect(status).toBe("Success");
  });

  it("drops the stream mid-output without a status when a fault says so", async () => {
    h.podIO.scripts.set("stream", async (_req, streams, signal) => {
      for (let i = 0; i < 100 && !signal.aborted; i++) {
        streams.stdout(Buffer.alloc(1000, 0x62));
        await new Promise((r) => setImmediate(r));
      }
      return 0;
    });
    const drop = h.faults.dropExecAfter(2500);
    const stdout = new PassThrough();
    let received = 0;
    stdout.on("data", (c: Buffer) => {
      received += c.length;
    });
    let gotStatus = false;
    const ws = await new Exec(h.kc).exec(
      "default",
      "web",
      "app",
      ["stream"],
      stdout,
      null,
      null,
      false,
      () => {
        gotStatus = true;
      },
    );
    await new Promise<void>((resolve) => ws.on("close", () => resolve()));
    expect(gotStatus).toBe(false);
    expect(received).toBe(2500);
    expect(drop.hits).toBe(1);
  });
});
