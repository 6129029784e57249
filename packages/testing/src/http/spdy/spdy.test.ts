import { connect as tlsConnect } from "node:tls";
import { inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalCluster, startLocalCluster } from "../../local-cluster.js";
import {
  type Frame,
  FrameReader,
  HEADER_DICTIONARY,
  HeaderDecoder,
  HeaderEncoder,
  readSynStream,
  SYN_REPLY,
} from "./frames.js";
import { KUBECTL_127_EXEC_SPDY } from "./test-support/kubectl-exec.js";

const recorded = Buffer.from(KUBECTL_127_EXEC_SPDY, "hex");

describe("SPDY/3.1 frames", () => {
  it("reads what kubectl sent, however the bytes are cut, and decodes its compressed headers", () => {
    const reader = new FrameReader();
    const frames: Frame[] = [];
    // One byte at a time: partial frames wait for the rest.
    for (const byte of recorded) frames.push(...reader.push(Buffer.from([byte])));
    const decoder = new HeaderDecoder();
    const syns = frames.flatMap((f) => (f.kind === "control" ? [readSynStream(decoder, f)] : []));
    expect(syns.map((s) => [s.streamId, s.headers.get("streamtype")?.[0]])).toEqual([
      [1, "error"],
      [3, "stdin"],
      [5, "stdout"],
      [7, "stderr"],
    ]);
    const data = frames.filter((f) => f.kind === "data");
    expect(data.map((f) => [f.kind === "data" && f.streamId, f.flags, f.payload.toString()])).toEqual([
      [3, 0, "hi\n"],
      [3, 1, ""],
    ]);
  });

  it("writes header blocks any zlib reader with the SPDY dictionary decodes, block after block", () => {
    const encoder = new HeaderEncoder();
    const first = encoder.encode({ "x-stream-protocol-version": "portforward.k8s.io" });
    const second = encoder.encode({});
    const plain = inflateSync(Buffer.concat([first, second]), {
      dictionary: HEADER_DICTIONARY,
      finishFlush: 2,
    });
    const name = "x-stream-protocol-version";
    expect(plain.readUInt32BE(0)).toBe(1);
    expect(plain.subarray(8, 8 + name.length).toString()).toBe(name);
    // The second block: no pairs.
    expect(plain.subarray(plain.length - 4).readUInt32BE(0)).toBe(0);
    expect(HEADER_DICTIONARY.length).toBe(1423);
  });
});

let lc: LocalCluster;
beforeAll(async () => {
  lc = await startLocalCluster({ tls: true, podStartDelayMs: 0, readyDelayMs: 0, terminationDelayMs: 0 });
  lc.runtime.onExec({ command: "cat" }, async (ctx) => {
    for await (const chunk of ctx.stdin ?? []) await ctx.stdout(chunk);
    return { exitCode: 0 };
  });
  await lc.apply(
    "apiVersion: v1\nkind: Pod\nmetadata: { name: web }\nspec: { containers: [{ name: web, image: busybox }] }\n",
  );
  await lc.cluster.waitFor(
    { version: "v1", resource: "pods", namespace: "default", name: "web" },
    (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
  );
});
afterAll(() => lc?.stop());

describe("exec over SPDY", () => {
  it("answers kubectl's recorded session: the protocol, one reply per stream, stdin echoed, a Success status", async () => {
    const url = new URL(lc.url);
    const socket = tlsConnect({ host: url.hostname, port: Number(url.port), ca: lc.certificateAuthority });
    const received: Buffer[] = [];
    socket.on("data", (c: Buffer) => received.push(c));
    const closed = new Promise((resolve) => socket.on("close", resolve));
    socket.write(
      "POST /api/v1/namespaces/default/pods/web/exec?command=cat&container=web&stdin=true&stdout=true&stderr=true HTTP/1.1\r\n" +
        `Host: ${url.host}\r\nAuthorization: Bearer ${lc.token}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n` +
        "X-Stream-Protocol-Version: v4.channel.k8s.io\r\nX-Stream-Protocol-Version: channel.k8s.io\r\n\r\n",
    );
    socket.write(recorded);
    await closed;
    const answer = Buffer.concat(received);
    const headEnd = answer.indexOf("\r\n\r\n") + 4;
    expect(answer.subarray(0, headEnd).toString()).toContain("HTTP/1.1 101 Switching Protocols");
    expect(answer.subarray(0, headEnd).toString()).toContain("X-Stream-Protocol-Version: v4.channel.k8s.io");
    const frames = new FrameReader().push(answer.subarray(headEnd));
    const replies = frames.filter((f) => f.kind === "control" && f.type === SYN_REPLY);
    expect(replies).toHaveLength(4);
    const text = (id: number) =>
      Buffer.concat(
        frames.flatMap((f) => (f.kind === "data" && f.streamId === id ? [f.payload] : [])),
      ).toString();
    expect(text(5)).toBe("hi\n");
    expect(JSON.parse(text(1))).toEqual({ metadata: {}, status: "Success" });
  });
});
