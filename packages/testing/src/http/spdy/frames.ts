/**
 * SPDY/3.1 frames, as far as the server side of port forwarding needs them: reading every frame
 * a client sends, writing SYN_REPLY, DATA, PING, RST_STREAM and GOAWAY. Header blocks are
 * zlib-compressed with the SPDY/3 dictionary (SPDY draft 3, section 2.6.10).
 */
import { constants, inflateSync } from "node:zlib";

/** Control frame types. */
export const SYN_STREAM = 1;
export const SYN_REPLY = 2;
export const RST_STREAM = 3;
export const SETTINGS = 4;
export const PING = 6;
export const GOAWAY = 7;
export const HEADERS = 8;
export const WINDOW_UPDATE = 9;

/** FLAG_FIN on SYN_STREAM and DATA: the sender is done sending on the stream. */
export const FLAG_FIN = 0x01;

/** RST_STREAM status codes. */
export const RST_PROTOCOL_ERROR = 1;
export const RST_CANCEL = 5;

/** A frame read from the wire. */
export type Frame =
  | { kind: "control"; type: number; flags: number; payload: Buffer }
  | { kind: "data"; streamId: number; flags: number; payload: Buffer };

const WORDS = [
  "options",
  "head",
  "post",
  "put",
  "delete",
  "trace",
  "accept",
  "accept-charset",
  "accept-encoding",
  "accept-language",
  "accept-ranges",
  "age",
  "allow",
  "authorization",
  "cache-control",
  "connection",
  "content-base",
  "content-encoding",
  "content-language",
  "content-length",
  "content-location",
  "content-md5",
  "content-range",
  "content-type",
  "date",
  "etag",
  "expect",
  "expires",
  "from",
  "host",
  "if-match",
  "if-modified-since",
  "if-none-match",
  "if-range",
  "if-unmodified-since",
  "last-modified",
  "location",
  "max-forwards",
  "pragma",
  "proxy-authenticate",
  "proxy-authorization",
  "range",
  "referer",
  "retry-after",
  "server",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "user-agent",
  "vary",
  "via",
  "warning",
  "www-authenticate",
  "method",
  "get",
  "status",
  "200 OK",
  "version",
  "HTTP/1.1",
  "url",
  "public",
  "set-cookie",
  "keep-alive",
  "origin",
];
const TAIL =
  "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505203 " +
  "Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized" +
  "403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable" +
  "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT" +
  "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain," +
  "text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";

/** The SPDY/3 header compression dictionary: length-prefixed words, then a run of common values. */
export const HEADER_DICTIONARY = Buffer.concat([
  ...WORDS.map((w) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(w.length);
    return Buffer.concat([len, Buffer.from(w, "latin1")]);
  }),
  Buffer.from(TAIL, "latin1"),
]);

/** Splits a byte stream into frames; keeps what is left of a partial frame for the next chunk. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    while (this.pending.length >= 8) {
      const length = this.pending.readUInt32BE(4) & 0xffffff;
      if (this.pending.length < 8 + length) break;
      const first = this.pending.readUInt32BE(0);
      const flags = this.pending[4] as number;
      const payload = this.pending.subarray(8, 8 + length);
      if (first & 0x80000000) frames.push({ kind: "control", type: first & 0xffff, flags, payload });
      else frames.push({ kind: "data", streamId: first & 0x7fffffff, flags, payload });
      this.pending = this.pending.subarray(8 + length);
    }
    return frames;
  }
}

/**
 * Decompresses header blocks: one zlib stream per direction runs across all frames of the session,
 * so each block is inflated with every byte received before it (blocks are small and few).
 */
export class HeaderDecoder {
  private compressed: Buffer = Buffer.alloc(0);
  private consumed = 0;

  decode(block: Buffer): Map<string, string[]> {
    this.compressed = Buffer.concat([this.compressed, block]);
    const all = inflateSync(this.compressed, {
      dictionary: HEADER_DICTIONARY,
      finishFlush: constants.Z_SYNC_FLUSH,
    });
    const plain = all.subarray(this.consumed);
    this.consumed = all.length;
    return parseHeaderBlock(plain);
  }
}

function parseHeaderBlock(plain: Buffer): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let at = 4;
  const count = plain.readUInt32BE(0);
  for (let i = 0; i < count; i++) {
    const nameLength = plain.readUInt32BE(at);
    const name = plain.toString("latin1", at + 4, at + 4 + nameLength).toLowerCase();
    at += 4 + nameLength;
    const valueLength = plain.readUInt32BE(at);
    const value = plain.toString("utf8", at + 4, at + 4 + valueLength);
    at += 4 + valueLength;
    headers.set(name, value.split("\0"));
  }
  return headers;
}

/**
 * Encodes header blocks as a zlib stream of stored (uncompressed) deflate blocks: valid for any
 * zlib reader, the dictionary unused, and no compressor state to keep. Each block is followed by
 * an empty stored block — the sync-flush marker a zlib writer's Flush emits — without which Go's
 * flate reader looks for the next block before handing out this one's bytes.
 */
export class HeaderEncoder {
  private started = false;

  encode(headers: Record<string, string>): Buffer {
    const entries = Object.entries(headers);
    const parts: Buffer[] = [u32(entries.length)];
    for (const [name, value] of entries) {
      const n = Buffer.from(name.toLowerCase(), "latin1");
      const v = Buffer.from(value, "utf8");
      parts.push(u32(n.length), n, u32(v.length), v);
    }
    const plain = Buffer.concat(parts);
    // zlib header 0x78 0x01 (deflate, no preset dictionary), then a non-final stored block.
    const head = this.started ? Buffer.alloc(0) : Buffer.from([0x78, 0x01]);
    this.started = true;
    const stored = Buffer.alloc(5);
    stored[0] = 0x00;
    stored.writeUInt16LE(plain.length, 1);
    stored.writeUInt16LE(~plain.length & 0xffff, 3);
    return Buffer.concat([head, stored, plain, SYNC_FLUSH]);
  }
}

/** An empty, non-final stored block: BFINAL 0, BTYPE 00, LEN 0, NLEN 0xffff. */
const SYNC_FLUSH = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** A control frame: version 3, `type`, `flags`, `payload`. */
export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8003, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([head, payload]);
}

/** A DATA frame (at most 16 MiB − 1 of payload). */
export function dataFrame(streamId: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([head, payload]);
}

/** SYN_REPLY for `streamId` with `headers`. */
export function synReply(encoder: HeaderEncoder, streamId: number, headers: Record<string, string>): Buffer {
  return controlFrame(SYN_REPLY, 0, Buffer.concat([u32(streamId & 0x7fffffff), encoder.encode(headers)]));
}

/** RST_STREAM for `streamId`. */
export function rstStream(streamId: number, status: number): Buffer {
  return controlFrame(RST_STREAM, 0, Buffer.concat([u32(streamId & 0x7fffffff), u32(status)]));
}

/** GOAWAY naming the last stream the server handled. */
export function goAway(lastStreamId: number): Buffer {
  return controlFrame(GOAWAY, 0, Buffer.concat([u32(lastStreamId & 0x7fffffff), u32(0)]));
}

/** What SYN_STREAM carries: its stream id, whether the client already finished sending, its headers. */
export function readSynStream(
  decoder: HeaderDecoder,
  frame: Extract<Frame, { kind: "control" }>,
): { streamId: number; fin: boolean; headers: Map<string, string[]> } {
  const streamId = frame.payload.readUInt32BE(0) & 0x7fffffff;
  // stream id (4), associated stream id (4), priority and slot (2), then the header block.
  return {
    streamId,
    fin: (frame.flags & FLAG_FIN) !== 0,
    headers: decoder.decode(frame.payload.subarray(10)),
  };
}
