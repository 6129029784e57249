import { createHash } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { KubeApiError } from "./errors.js";
import { runExecChannel } from "./exec-channel.js";

// A raw server speaking just enough HTTP and WebSocket to play an API server's exec endpoint, so
// the client's handling of what the local cluster never sends (fragments, pings, chunked refusals,
// protocol errors) is exercised on a real socket.

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

function frame(opcode: number, payload: Buffer, fin = true): Buffer {
  const n = payload.length;
  const head =
    n < 126
      ? Buffer.from([(fin ? 0x80 : 0) | opcode, n])
      : Buffer.from([(fin ? 0x80 : 0) | opcode, 126, n >> 8, n & 0xff]);
  return Buffer.concat([head, payload]);
}

/** The client frames in `bytes` (masked), unmasked: [opcode, payload][]. */
function clientFrames(bytes: Buffer): [number, Buffer][] {
  const out: [number, Buffer][] = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = (bytes[at] as number) & 0x0f;
    let n = (bytes[at + 1] as number) & 0x7f;
    let off = at + 2;
    if (n === 126) {
      n = bytes.readUInt16BE(off);
      off += 2;
    }
    const mask = bytes.subarray(off, off + 4);
    const payload = Buffer.from(bytes.subarray(off + 4, off + 4 + n));
    for (let i = 0; i < n; i++) payload[i] = (payload[i] as number) ^ (mask[i & 3] as number);
    out.push([opcode, payload]);
    at = off + 4 + n;
  }
  return out;
}

let server: Server | undefined;
afterEach(
  () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    }),
);

/** Starts a server whose `play` gets each connection once the upgrade request has arrived. */
async function serve(
  play: (socket: Socket, accept: string, received: () => Buffer) => void,
): Promise<string> {
  const listening = createServer((socket) => {
    let bytes = Buffer.alloc(0);
    let started = false;
    socket.on("data", (chunk: Buffer) => {
      bytes = Buffer.concat([bytes, chunk]);
      const end = bytes.indexOf("\r\n\r\n");
      if (started || end < 0) return;
      started = true;
      const key = /Sec-WebSocket-Key: (.+)\r\n/.exec(bytes.toString("latin1"))?.[1] ?? "";
      const rest = bytes.subarray(end + 4);
      bytes = Buffer.from(rest);
      play(
        socket,
        createHash("sha1")
          .update(key + GUID)
          .digest("base64"),
        () => bytes,
      );
    });
    socket.on("error", () => {});
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  const { port } = listening.address() as { port: number };
  return `ws://127.0.0.1:${port}/api/v1/namespaces/ns/pods/p/exec?command=x`;
}

const switching = (accept: string, protocol = "v5.channel.k8s.io") =>
  `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`;
const success = Buffer.from('\x03{"metadata":{},"status":"Success"}');

function run(url: string, extra: Partial<Parameters<typeof runExecChannel>[0]> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const done = runExecChannel({
    connection: { kind: "direct", target: { url: new URL(url), headers: { Authorization: "Bearer t" } } },
    // Chunks are views of a reused buffer: copy them, as every consumer must.
    onStdout: (c) => out.push(Buffer.from(c).toString()),
    onStderr: (c) => err.push(Buffer.from(c).toString()),
    signal: new AbortController().signal,
    facts: { verb: "exec", resource: "pods/exec", namespace: "ns", name: "p" },
    ...extra,
  });
  return { done, out, err };
}

describe("exec channel over a direct connection", () => {
  it("reads output split into fragments (the channel byte in a continuation), answers pings, ends on the status", async () => {
    let pongs: Buffer[] = [];
    const url = await serve((socket, accept, received) => {
      socket.write(switching(accept));
      socket.write(
        Buffer.concat([
          frame(0x2, Buffer.alloc(0), false),
          frame(0x0, Buffer.from("\x01hel"), false),
          frame(0x9, Buffer.from("are you there")),
          frame(0x0, Buffer.from("lo"), true),
          frame(0x2, Buffer.from("\x02oops")),
        ]),
      );
      setTimeout(() => {
        pongs = clientFrames(received())
          .filter(([op]) => op === 0xa)
          .map(([, p]) => p);
        socket.write(frame(0x2, success));
        socket.write(frame(0x8, Buffer.from([0x03, 0xe8])));
      }, 50);
    });
    const { done, out, err } = run(url);
    const end = await done;
    expect(end).toEqual({ status: { metadata: {}, status: "Success" }, protocol: "v5.channel.k8s.io" });
    expect(out.join("")).toBe("hello");
    expect(err.join("")).toBe("oops");
    expect(pongs.map(String)).toEqual(["are you there"]);
  });

  it("sends stdin as masked channel-0 messages and says stdin is done (v5)", async () => {
    let frames: [number, Buffer][] = [];
    const url = await serve((socket, accept, received) => {
      socket.write(switching(accept));
      setTimeout(() => {
        frames = clientFrames(received());
        socket.write(frame(0x2, success));
      }, 100);
    });
    await run(url, { stdin: "input" }).done;
    expect(frames.map(([op, p]) => [op, [...p]])).toEqual([
      [0x2, [0, ...Buffer.from("input")]],
      [0x2, [255, 0]],
    ]);
  });

  it("rejects a refused upgrade with the API server's Status, from a chunked body", async () => {
    const status =
      '{"kind":"Status","status":"Failure","message":"pods \\"p\\" is forbidden","reason":"Forbidden","code":403}';
    const url = await serve((socket) => {
      const half = Math.floor(status.length / 2);
      socket.write(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${half.toString(16)}\r\n${status.slice(0, half)}\r\n`,
      );
      setTimeout(
        () => socket.write(`${(status.length - half).toString(16)}\r\n${status.slice(half)}\r\n0\r\n\r\n`),
        20,
      );
    });
    const err = await run(url).done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err).toMatchObject({ statusCode: 403, code: "QUIESCE_KUBE_FORBIDDEN" });
    expect((err as Error).message).toContain('pods "p" is forbidden');
  });

  it("fails a session whose server breaks the protocol, as possibly still running", async () => {
    const url = await serve((socket, accept) => {
      socket.write(switching(accept));
      socket.write(Buffer.from([0x82, 0x81, 1, 2, 3, 4, 5])); // a masked server frame
    });
    const err = await run(url).done.catch((e: unknown) => e);
    expect(err).toMatchObject({
      details: { why: "exec stream ended without a status", possiblyStillRunning: true },
    });
    expect(((err as Error).cause as Error).message).toMatch(/masked/);
  });

  it("refuses an answer whose accept key is wrong", async () => {
    const url = await serve((socket) => {
      socket.write(switching("d3JvbmcgYWNjZXB0IGtleQ=="));
    });
    const err = await run(url).done.catch((e: unknown) => e);
    expect(((err as Error).cause as Error).message).toMatch(/Sec-WebSocket-Accept/);
  });

  it("fails as connection lost when the upgrade is never answered", async () => {
    const url = await serve(() => {});
    const err = await run(url, {
      heartbeat: { intervalMs: 50, timeoutMs: 200, podCheckIntervalMs: 0 },
    }).done.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "QUIESCE_KUBE_CONNECTION_LOST", details: { upgraded: false } });
  });
});
