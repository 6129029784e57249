/**
 * WebSocket framing (RFC 6455 §5) for exec sessions: the client's frames, masked, and a decoder of
 * the server's frames that hands each payload on in pieces as bytes arrive — views of the buffer
 * the socket read into, never copies — so a stream of any size needs no buffer per frame.
 */
import { fillRandom } from "./random-pool.js";

export const OP_CONTINUATION = 0x0;
export const OP_TEXT = 0x1;
export const OP_BINARY = 0x2;
export const OP_CLOSE = 0x8;
export const OP_PING = 0x9;
export const OP_PONG = 0xa;

/** The server broke the WebSocket protocol; the connection must be failed (RFC 6455 §7.1.7). */
export class WebSocketProtocolError extends Error {
  override name = "WebSocketProtocolError";
}

/** Where decoded frames go. A `piece` is only valid during the call: the socket's buffer is reused. */
export interface FrameSink {
  /** A piece of a text or binary message: `first` on the message's first piece, `last` on its final one. */
  data(piece: Buffer, opcode: typeof OP_TEXT | typeof OP_BINARY, first: boolean, last: boolean): void;
  ping(payload: Buffer): void;
  pong(payload: Buffer): void;
  /** A close frame: its status code (absent when the frame had none) and reason. */
  close(code: number | undefined, reason: string): void;
}

const NO_BYTES = Buffer.alloc(0);
// The longest frame header a server sends: 2 bytes, then a 64-bit length (servers never mask).
const MAX_HEADER = 10;
const MAX_CONTROL_PAYLOAD = 125;

/** Decodes server frames from the bytes of a socket, in order; throws WebSocketProtocolError. */
export class FrameDecoder {
  // Both from one pooled allocation (a Buffer.alloc each would be an ArrayBuffer of its own per exec).
  private readonly scratch = Buffer.allocUnsafe(MAX_HEADER + MAX_CONTROL_PAYLOAD);
  private readonly header = this.scratch.subarray(0, MAX_HEADER);
  private headerLength = 0;
  private readonly control = this.scratch.subarray(MAX_HEADER);
  private controlLength = 0;
  /** Payload bytes of the current frame still to come; -1 while reading a header. */
  private remaining = -1;
  private opcode = 0;
  private fin = false;
  /** The opcode of the data message in progress (text or binary), 0 between messages. */
  private message = 0;
  private firstPiece = false;

  constructor(private readonly sink: FrameSink) {}

  /** Feeds bytes; pieces handed to the sink are views of `bytes`. */
  write(bytes: Buffer): void {
    let at = 0;
    while (at < bytes.length) {
      if (this.remaining < 0) {
        at = this.readHeader(bytes, at);
        continue;
      }
      const take = Math.min(this.remaining, bytes.length - at);
      this.payload(bytes.subarray(at, at + take), take === this.remaining);
      this.remaining -= take;
      at += take;
      if (this.remaining === 0) this.remaining = -1;
    }
  }

  private readHeader(bytes: Buffer, at: number): number {
    // Copy header bytes until the header is complete (it may straddle reads).
    let needed = this.headerLength < 2 ? 2 : this.headerNeeds();
    while (this.headerLength < needed && at < bytes.length) {
      this.header[this.headerLength++] = bytes[at++] as number;
      if (this.headerLength === 2) needed = this.headerNeeds();
    }
    if (this.headerLength < needed) return at;
    const b0 = this.header[0] as number;
    const b1 = this.header[1] as number;
    if (b0 & 0x70)
      throw new WebSocketProtocolError("a frame sets reserved bits (no extension was negotiated)");
    if (b1 & 0x80) throw new WebSocketProtocolError("the server masked a frame");
    const opcode = b0 & 0x0f;
    const fin = (b0 & 0x80) !== 0;
    let length = b1 & 0x7f;
    if (length === 126) length = this.header.readUInt16BE(2);
    else if (length === 127) {
      const big = this.header.readBigUInt64BE(2);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new WebSocketProtocolError("a frame is too long");
      length = Number(big);
    }
    if (opcode >= OP_CLOSE) {
      if (opcode > OP_PONG) throw new WebSocketProtocolError(`unknown opcode ${opcode}`);
      if (!fin || length > MAX_CONTROL_PAYLOAD)
        throw new WebSocketProtocolError("a control frame is fragmented or longer than 125 bytes");
      this.controlLength = 0;
    } else if (opcode === OP_CONTINUATION) {
      if (this.message === 0) throw new WebSocketProtocolError("a continuation frame without a message");
    } else if (opcode === OP_TEXT || opcode === OP_BINARY) {
      if (this.message !== 0) throw new WebSocketProtocolError("a new message inside a fragmented one");
      this.message = opcode;
      this.firstPiece = true;
    } else {
      throw new WebSocketProtocolError(`unknown opcode ${opcode}`);
    }
    this.opcode = opcode;
    this.fin = fin;
    this.headerLength = 0;
    this.remaining = length;
    if (length === 0) {
      this.payload(NO_BYTES, true);
      this.remaining = -1;
    }
    return at;
  }

  private headerNeeds(): number {
    const length = (this.header[1] as number) & 0x7f;
    return length === 126 ? 4 : length === 127 ? 10 : 2;
  }

  private payload(piece: Buffer, frameDone: boolean): void {
    if (this.opcode >= OP_CLOSE) {
      piece.copy(this.control, this.controlLength);
      this.controlLength += piece.length;
      if (frameDone) this.controlFrame(this.control.subarray(0, this.controlLength));
      return;
    }
    const last = frameDone && this.fin;
    const opcode = this.message as typeof OP_TEXT | typeof OP_BINARY;
    const first = this.firstPiece;
    this.firstPiece = false;
    if (last) this.message = 0;
    if (piece.length > 0 || first || last) this.sink.data(piece, opcode, first, last);
  }

  private controlFrame(payload: Buffer): void {
    if (this.opcode === OP_PING) this.sink.ping(payload);
    else if (this.opcode === OP_PONG) this.sink.pong(payload);
    else if (payload.length === 0) this.sink.close(undefined, "");
    else if (payload.length === 1) throw new WebSocketProtocolError("a close frame with a one-byte payload");
    else this.sink.close(payload.readUInt16BE(0), payload.subarray(2).toString("utf8"));
  }
}

const EMPTY = new Uint8Array(0);

/** A masked client frame (clients must mask every frame, RFC 6455 §5.3). */
export function encodeFrame(opcode: number, payload: Uint8Array = EMPTY, fin = true): Buffer {
  const length = payload.byteLength;
  const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + 4 + length);
  frame[0] = (fin ? 0x80 : 0) | opcode;
  if (length < 126) frame[1] = 0x80 | length;
  else if (length < 65536) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = frame.subarray(headerLength, headerLength + 4);
  fillRandom(mask);
  const body = frame.subarray(headerLength + 4);
  for (let i = 0; i < length; i++) body[i] = (payload[i] as number) ^ (mask[i & 3] as number);
  return frame;
}

/** The payload of a close frame: the status code and a reason. */
export function closePayload(code: number, reason = ""): Buffer {
  if (reason === "") {
    const payload = Buffer.allocUnsafe(2);
    payload.writeUInt16BE(code, 0);
    return payload;
  }
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return payload;
}
