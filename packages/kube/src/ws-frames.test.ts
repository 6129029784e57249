import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  closePayload,
  encodeFrame,
  FrameDecoder,
  OP_BINARY,
  OP_CLOSE,
  OP_CONTINUATION,
  OP_PING,
  OP_TEXT,
  WebSocketProtocolError,
} from "./ws-frames.js";

/** A server frame (unmasked). */
function frame(opcode: number, payload: Uint8Array, fin = true, extra = 0): Buffer {
  const n = payload.length;
  const head =
    n < 126
      ? Buffer.from([(fin ? 0x80 : 0) | extra | opcode, n])
      : n < 65536
        ? Buffer.from([(fin ? 0x80 : 0) | extra | opcode, 126, n >> 8, n & 0xff])
        : Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | extra | opcode, 127]), bigLength(n)]);
  return Buffer.concat([head, payload]);
}

function bigLength(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

type Event = { kind: string; data?: string; code?: number | undefined; first?: boolean; last?: boolean };

/** Decodes `bytes` fed in the given pieces; message pieces are joined per message. */
function decode(bytes: Buffer, cuts: number[] = []): Event[] {
  const events: Event[] = [];
  let message: Buffer[] = [];
  const decoder = new FrameDecoder({
    data(piece, opcode, first, last) {
      if (first) message = [];
      // A piece is only valid during the call: copy it, as real consumers must.
      message.push(Buffer.from(piece));
      if (last)
        events.push({
          kind: opcode === OP_TEXT ? "text" : "binary",
          data: Buffer.concat(message).toString(),
        });
    },
    ping: (p) => events.push({ kind: "ping", data: p.toString() }),
    pong: (p) => events.push({ kind: "pong", data: p.toString() }),
    close: (code, reason) => events.push({ kind: "close", code, data: reason }),
  });
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b)) {
    decoder.write(bytes.subarray(at, cut));
    at = cut;
  }
  decoder.write(bytes.subarray(at));
  return events;
}

const stream = Buffer.concat([
  frame(OP_BINARY, Buffer.from("\x01hello")),
  frame(OP_BINARY, Buffer.from("\x02par"), false),
  frame(OP_PING, Buffer.from("beat")),
  frame(OP_CONTINUATION, Buffer.from("tial"), false),
  frame(OP_CONTINUATION, Buffer.alloc(0), true),
  frame(OP_BINARY, Buffer.alloc(300, "x")),
  frame(OP_BINARY, Buffer.alloc(70_000, "y")),
  frame(OP_TEXT, Buffer.from("note")),
  frame(OP_BINARY, Buffer.alloc(0)),
  frame(OP_CLOSE, closePayload(1000, "bye")),
]);
const expected: Event[] = [
  { kind: "binary", data: "\x01hello" },
  { kind: "ping", data: "beat" },
  { kind: "binary", data: "\x02partial" },
  { kind: "binary", data: "x".repeat(300) },
  { kind: "binary", data: "y".repeat(70_000) },
  { kind: "text", data: "note" },
  { kind: "binary", data: "" },
  { kind: "close", code: 1000, data: "bye" },
];

describe("FrameDecoder", () => {
  it("decodes messages, fragments, control frames between fragments, and every length encoding", () => {
    expect(decode(stream)).toEqual(expected);
  });

  it("gives the same messages however the bytes are split across reads", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 12 }), (cuts) => {
        expect(decode(stream, cuts)).toEqual(expected);
      }),
    );
    // Every header split at every byte.
    for (let cut = 1; cut < 40; cut++) expect(decode(stream, [cut])).toEqual(expected);
  });

  it("hands payloads on as views of the bytes it was given, without copying", () => {
    const bytes = frame(OP_BINARY, Buffer.alloc(1000, "z"));
    const seen: Buffer[] = [];
    new FrameDecoder({
      data: (piece) => seen.push(piece),
      ping() {},
      pong() {},
      close() {},
    }).write(bytes);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.buffer).toBe(bytes.buffer);
  });

  it.each([
    ["a masked frame", Buffer.from([0x82, 0x81, 1, 2, 3, 4, 5])],
    ["reserved bits", frame(OP_BINARY, Buffer.from("x"), true, 0x40)],
    ["a fragmented control frame", frame(OP_PING, Buffer.from("x"), false)],
    ["a control frame over 125 bytes", frame(OP_PING, Buffer.alloc(126))],
    ["a continuation without a message", frame(OP_CONTINUATION, Buffer.from("x"))],
    [
      "a new message inside a fragmented one",
      Buffer.concat([frame(OP_BINARY, Buffer.from("a"), false), frame(OP_BINARY, Buffer.from("b"))]),
    ],
    ["an unknown opcode", frame(0x3, Buffer.from("x"))],
    ["a one-byte close payload", frame(OP_CLOSE, Buffer.from([3]))],
  ])("refuses %s", (_what, bytes) => {
    expect(() => decode(bytes)).toThrow(WebSocketProtocolError);
  });
});

describe("encodeFrame", () => {
  it("masks client frames, and the mask undone gives the payload back", () => {
    for (const size of [0, 5, 125, 126, 65535, 65536, 100_000]) {
      const payload = Buffer.alloc(size, "q");
      const f = encodeFrame(OP_BINARY, payload);
      expect((f[1] as number) & 0x80).toBe(0x80);
      const headerLength = size < 126 ? 2 : size < 65536 ? 4 : 10;
      const mask = f.subarray(headerLength, headerLength + 4);
      const body = Buffer.from(f.subarray(headerLength + 4));
      for (let i = 0; i < body.length; i++) body[i] = (body[i] as number) ^ (mask[i & 3] as number);
      expect(body.equals(payload)).toBe(true);
      // The decoder reads the same frame once its mask bit and key are taken out.
      const unmasked = Buffer.concat([
        Buffer.from([f[0] as number, (f[1] as number) & 0x7f]),
        f.subarray(2, headerLength),
        body,
      ]);
      expect(decode(unmasked)).toEqual([{ kind: "binary", data: payload.toString() }]);
    }
  });
});
