/**
 * The HTTP/1.1 side of an exec session: the WebSocket upgrade request (RFC 6455 §4.1), the
 * answer's status line and headers, the server's accept key check, and the body of a refused
 * upgrade (which carries the API server's Status).
 */
import { hash } from "node:crypto";
import { fillRandom } from "./random-pool.js";

const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/** Largest answer head (status line and headers) accepted. */
export const MAX_HEAD_BYTES = 64 * 1024;
/** Largest refusal body kept. */
export const MAX_BODY_BYTES = 64 * 1024;

/** An upgrade request ready to write, and the key its answer must confirm. */
export interface UpgradeRequest {
  bytes: Buffer;
  key: string;
}

// Header names are tokens; values must not break out of their line (no CR, LF or NUL).
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const SAFE_VALUE = /^[^\r\n\0]*$/;

/** Builds the GET that asks to switch to WebSocket with the given subprotocols. */
export function upgradeRequest(
  path: string,
  host: string,
  protocols: readonly string[],
  headers: Readonly<Record<string, string>>,
): UpgradeRequest {
  const nonce = Buffer.allocUnsafe(16);
  fillRandom(nonce);
  const key = nonce.toString("base64");
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: ${host}`,
    "Connection: Upgrade",
    "Upgrade: websocket",
    "Sec-WebSocket-Version: 13",
    `Sec-WebSocket-Key: ${key}`,
    `Sec-WebSocket-Protocol: ${protocols.join(", ")}`,
  ];
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name) || !SAFE_VALUE.test(value)) {
      throw new TypeError(`invalid HTTP header ${JSON.stringify(name)}`);
    }
    lines.push(`${name}: ${value}`);
  }
  return { bytes: Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), key };
}

/** The status line and headers of an answer (header names lower-cased, repeated ones joined with ", "). */
export interface ResponseHead {
  statusCode: number;
  headers: Record<string, string>;
}

/** Parses a head (without its final blank line); undefined when it is not HTTP/1.x. */
export function parseHead(text: string): ResponseHead | undefined {
  const [statusLine = "", ...lines] = text.split("\r\n");
  const status = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(statusLine);
  if (!status) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { statusCode: Number(status[1]), headers };
}

/**
 * Why a 101 answer does not complete the handshake (RFC 6455 §4.1: Upgrade, Connection, the
 * accept key, a subprotocol among those offered), or undefined when it does.
 */
export function handshakeProblem(
  head: ResponseHead,
  key: string,
  offered: readonly string[],
): string | undefined {
  const h = head.headers;
  if ((h.upgrade ?? "").toLowerCase() !== "websocket") return "the answer does not upgrade to websocket";
  if (
    !(h.connection ?? "")
      .toLowerCase()
      .split(",")
      .some((t) => t.trim() === "upgrade")
  )
    return "the answer's Connection header lacks Upgrade";
  const accept = hash("sha1", key + WS_GUID, "base64");
  if (h["sec-websocket-accept"] !== accept) return "invalid Sec-WebSocket-Accept header";
  if (h["sec-websocket-extensions"]) return "the server chose an extension that was not offered";
  const protocol = h["sec-websocket-protocol"];
  if (protocol === undefined || !offered.includes(protocol))
    return protocol === undefined
      ? "the server chose no subprotocol"
      : `the server chose subprotocol ${protocol}`;
  return undefined;
}

/**
 * Collects the body of a refused upgrade from the bytes that follow its head: `Content-Length`
 * bytes, or chunks (`Transfer-Encoding: chunked`), or everything until the connection closes; at
 * most {@link MAX_BODY_BYTES} are kept.
 */
export class BodyReader {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  /** Bytes still expected of a sized body (Infinity: until close). */
  private left: number;
  private readonly chunked: boolean;
  private state: "size" | "data" | "data-end" = "size";
  private chunkLeft = 0;
  private pending = Buffer.alloc(0);
  /** True once the body is complete (a chunked or sized body); a body read until close never is. */
  done = false;

  constructor(head: ResponseHead) {
    this.chunked = (head.headers["transfer-encoding"] ?? "").toLowerCase().includes("chunked");
    const length = Number(head.headers["content-length"]);
    this.left = !this.chunked && Number.isInteger(length) && length >= 0 ? length : Number.POSITIVE_INFINITY;
    if (this.left === 0) this.done = true;
  }

  write(bytes: Buffer): void {
    if (this.done) return;
    if (!this.chunked) {
      const take = Math.min(bytes.length, this.left);
      this.keep(bytes.subarray(0, take));
      this.left -= take;
      if (this.left === 0) this.done = true;
      return;
    }
    this.pending = this.pending.length === 0 ? Buffer.from(bytes) : Buffer.concat([this.pending, bytes]);
    for (;;) {
      if (this.state === "size") {
        // "<hex size>[;extensions]\r\n"; size 0 ends the body (trailers are not read).
        const eol = this.pending.indexOf("\r\n");
        if (eol < 0) return;
        const size = Number.parseInt(
          this.pending.subarray(0, eol).toString("latin1").split(";")[0] ?? "",
          16,
        );
        this.pending = this.pending.subarray(eol + 2);
        if (!(size > 0)) {
          this.done = true;
          return;
        }
        this.chunkLeft = size;
        this.state = "data";
      }
      if (this.state === "data") {
        const take = Math.min(this.chunkLeft, this.pending.length);
        this.keep(this.pending.subarray(0, take));
        this.pending = this.pending.subarray(take);
        this.chunkLeft -= take;
        if (this.chunkLeft > 0) return;
        this.state = "data-end";
      }
      // The CRLF after a chunk's data.
      if (this.pending.length < 2) return;
      this.pending = this.pending.subarray(2);
      this.state = "size";
    }
  }

  private keep(bytes: Buffer): void {
    if (this.kept >= MAX_BODY_BYTES) return;
    const part = bytes.subarray(0, MAX_BODY_BYTES - this.kept);
    this.chunks.push(Buffer.from(part));
    this.kept += part.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}
