import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BodyReader, handshakeProblem, MAX_BODY_BYTES, parseHead, upgradeRequest } from "./http-upgrade.js";

const accept = (key: string) =>
  createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");

describe("upgradeRequest", () => {
  it("asks for a WebSocket with the subprotocols and the caller's headers", () => {
    const { bytes, key } = upgradeRequest(
      "/api/v1/x?command=a&command=b",
      "10.0.0.1:6443",
      ["v5.channel.k8s.io", "v4.channel.k8s.io"],
      {
        Authorization: "Bearer t0k3n",
      },
    );
    const text = bytes.toString("latin1");
    expect(text.startsWith("GET /api/v1/x?command=a&command=b HTTP/1.1\r\nHost: 10.0.0.1:6443\r\n")).toBe(
      true,
    );
    expect(text).toContain("Upgrade: websocket\r\n");
    expect(text).toContain(`Sec-WebSocket-Key: ${key}\r\n`);
    expect(text).toContain("Sec-WebSocket-Protocol: v5.channel.k8s.io, v4.channel.k8s.io\r\n");
    expect(text.endsWith("Authorization: Bearer t0k3n\r\n\r\n")).toBe(true);
    expect(Buffer.from(key, "base64")).toHaveLength(16);
  });

  it("refuses a header that would break out of its line", () => {
    expect(() => upgradeRequest("/", "h", ["p"], { "X-A": "1\r\nX-Injected: 2" })).toThrow(
      /invalid HTTP header/,
    );
    expect(() => upgradeRequest("/", "h", ["p"], { "Bad Name": "1" })).toThrow(/invalid HTTP header/);
  });
});

describe("parseHead and handshakeProblem", () => {
  const key = "dGhlIHNhbXBsZSBub25jZQ==";
  const ok = (extra = "") =>
    parseHead(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept(key)}\r\nSec-WebSocket-Protocol: v5.channel.k8s.io${extra}`,
    );

  it("accepts the RFC's example answer and names the subprotocol", () => {
    const head = ok();
    expect(head?.statusCode).toBe(101);
    expect(accept(key)).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    expect(head && handshakeProblem(head, key, ["v5.channel.k8s.io", "v4.channel.k8s.io"])).toBeUndefined();
  });

  it("says what is wrong with an answer that does not complete the handshake", () => {
    const head = ok();
    if (!head) throw new Error("unparsed");
    expect(handshakeProblem(head, "AAAAAAAAAAAAAAAAAAAAAA==", ["v5.channel.k8s.io"])).toMatch(
      /Sec-WebSocket-Accept/,
    );
    expect(handshakeProblem(head, key, ["v4.channel.k8s.io"])).toMatch(/subprotocol v5/);
    const extension = ok("\r\nSec-WebSocket-Extensions: permessage-deflate");
    expect(extension && handshakeProblem(extension, key, ["v5.channel.k8s.io"])).toMatch(/extension/);
  });

  it("joins repeated headers and rejects what is not HTTP/1.x", () => {
    expect(parseHead("HTTP/1.1 403 Forbidden\r\nX-A: 1\r\nx-a: 2")?.headers["x-a"]).toBe("1, 2");
    expect(parseHead("SSH-2.0-OpenSSH")).toBeUndefined();
    expect(parseHead("HTTP/1.1 400 Bad\r\nno colon here")).toBeUndefined();
  });
});

describe("BodyReader", () => {
  const status = '{"kind":"Status","status":"Failure","reason":"Forbidden","code":403}';

  it("reads a sized body, however it is split", () => {
    for (let cut = 0; cut <= status.length; cut++) {
      const r = new BodyReader({ statusCode: 403, headers: { "content-length": String(status.length) } });
      r.write(Buffer.from(status.slice(0, cut)));
      expect(r.done).toBe(cut === status.length);
      r.write(Buffer.from(`${status.slice(cut)}trailing garbage`));
      expect(r.done).toBe(true);
      expect(r.text()).toBe(status);
    }
  });

  it("decodes a chunked body split at any byte, extensions and trailers included", () => {
    const wire = `1a;ext=1\r\n${status.slice(0, 26)}\r\n${(status.length - 26).toString(16)}\r\n${status.slice(26)}\r\n0\r\nTrailer: x\r\n\r\n`;
    for (let cut = 0; cut <= wire.length; cut++) {
      const r = new BodyReader({ statusCode: 403, headers: { "transfer-encoding": "chunked" } });
      r.write(Buffer.from(wire.slice(0, cut)));
      r.write(Buffer.from(wire.slice(cut)));
      expect(r.done).toBe(true);
      expect(r.text()).toBe(status);
    }
  });

  it("reads until the connection closes without a length, keeping at most 64 KiB", () => {
    const r = new BodyReader({ statusCode: 500, headers: {} });
    r.write(Buffer.alloc(MAX_BODY_BYTES, "a"));
    r.write(Buffer.alloc(10, "b"));
    expect(r.done).toBe(false);
    expect(r.text()).toBe("a".repeat(MAX_BODY_BYTES));
  });
});
