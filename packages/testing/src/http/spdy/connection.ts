/**
 * A SPDY/3.1 server connection: the streams a client opens, with their headers, data and ends —
 * what moby/spdystream (client-go's SPDY) expects of a server: every SYN_STREAM answered with a
 * SYN_REPLY, client pings echoed, no flow control (spdystream applies none).
 */
import {
  controlFrame,
  dataFrame,
  FLAG_FIN,
  type Frame,
  FrameReader,
  GOAWAY,
  goAway,
  HeaderDecoder,
  HeaderEncoder,
  PING,
  RST_CANCEL,
  RST_STREAM,
  readSynStream,
  rstStream,
  SYN_STREAM,
  synReply,
} from "./frames.js";

/** The byte transport a connection runs on: an upgraded socket, or a WebSocket tunnel. */
export interface SpdyTransport {
  write(chunk: Buffer): void;
  close(): void;
}

/** Largest DATA payload sent at once. */
const CHUNK = 32 * 1024;

/** One stream the client opened. */
export class SpdyStream {
  /** The client's data, as it arrives. */
  onData: (chunk: Buffer) => void = () => {};
  /** The client finished sending (FIN). */
  onEnd: () => void = () => {};
  /** The client reset the stream. */
  onReset: () => void = () => {};
  /** True once the client sent FIN (possibly already on SYN_STREAM). */
  clientDone = false;
  private serverDone = false;
  wasReset = false;

  constructor(
    readonly id: number,
    readonly headers: ReadonlyMap<string, readonly string[]>,
    private readonly connection: SpdyConnection,
  ) {}

  /** A header's first value. */
  header(name: string): string | undefined {
    return this.headers.get(name)?.[0];
  }

  /** Sends data to the client. */
  write(chunk: Buffer): void {
    if (this.serverDone || this.wasReset) return;
    for (let at = 0; at < chunk.length; at += CHUNK) {
      this.connection.send(dataFrame(this.id, 0, chunk.subarray(at, at + CHUNK)));
    }
  }

  /** Finishes the server's side (FIN). */
  end(): void {
    if (this.serverDone || this.wasReset) return;
    this.serverDone = true;
    this.connection.send(dataFrame(this.id, FLAG_FIN, Buffer.alloc(0)));
  }

  /** Cancels the stream (RST_STREAM CANCEL). */
  reset(): void {
    if (this.wasReset) return;
    this.wasReset = true;
    this.connection.send(rstStream(this.id, RST_CANCEL));
  }
}

/** The server side of a SPDY connection: feed it the client's bytes; new streams go to `onStream`. */
export class SpdyConnection {
  private readonly reader = new FrameReader();
  private readonly decoder = new HeaderDecoder();
  private readonly encoder = new HeaderEncoder();
  private readonly streams = new Map<number, SpdyStream>();
  private lastStream = 0;
  private closed = false;
  /** Called when the connection closes, whoever closed it. */
  onClose: () => void = () => {};

  constructor(
    private readonly transport: SpdyTransport,
    private readonly onStream: (stream: SpdyStream) => void,
    /** Headers of the SYN_REPLY each stream gets. */
    private readonly replyHeaders: Record<string, string> = {},
  ) {}

  /** Bytes from the client. */
  receive(chunk: Buffer): void {
    try {
      for (const frame of this.reader.push(chunk)) this.handle(frame);
    } catch {
      // A frame that cannot be read is a protocol error: the connection ends.
      this.close();
    }
  }

  /** Writes a frame (nothing once closed). */
  send(frame: Buffer): void {
    if (!this.closed) this.transport.write(frame);
  }

  /** Closes the connection (GOAWAY first when `polite`). */
  close(polite = false): void {
    if (this.closed) return;
    if (polite) this.transport.write(goAway(this.lastStream));
    this.closed = true;
    this.transport.close();
    for (const stream of this.streams.values()) stream.onReset();
    this.streams.clear();
    this.onClose();
  }

  /** The transport went away underneath. */
  lost(): void {
    this.close();
  }

  private handle(frame: Frame): void {
    if (frame.kind === "data") {
      const stream = this.streams.get(frame.streamId);
      if (!stream) return;
      if (frame.payload.length > 0) stream.onData(frame.payload);
      if (frame.flags & FLAG_FIN) {
        stream.clientDone = true;
        stream.onEnd();
      }
      return;
    }
    switch (frame.type) {
      case SYN_STREAM: {
        const { streamId, fin, headers } = readSynStream(this.decoder, frame);
        this.lastStream = Math.max(this.lastStream, streamId);
        const stream = new SpdyStream(streamId, headers, this);
        stream.clientDone = fin;
        this.streams.set(streamId, stream);
        this.send(synReply(this.encoder, streamId, this.replyHeaders));
        this.onStream(stream);
        return;
      }
      case RST_STREAM: {
        const stream = this.streams.get(frame.payload.readUInt32BE(0) & 0x7fffffff);
        if (stream) {
          stream.wasReset = true;
          stream.onReset();
        }
        return;
      }
      case PING:
        // Pings the client started (odd ids) are echoed, as spdystream does.
        if ((frame.payload.readUInt32BE(0) & 1) === 1) this.send(controlFrame(PING, 0, frame.payload));
        return;
      case GOAWAY:
        this.close();
        return;
      default:
        // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do.
        return;
    }
  }
}
