/**
 * The connection of one exec session: a WebSocket to the API server. Direct connections (no proxy)
 * are made here, on a socket that reads into one reused buffer (Node's `onread`): every socket read
 * would otherwise land in a new ArrayBuffer, and V8 frees those only at its external-memory
 * trigger, so streaming 256 MiB through any 'data'-event reader (`ws` included) peaks 70–100 MiB
 * above the process's baseline RSS; with the reused buffer it stays flat. The upgrade (RFC 6455
 * §4) and the framing (§5, in ws-frames.ts) are done here too, since `ws` reads through 'data'
 * events. Behind a proxy (`proxy-url` in the kubeconfig) client-node's agent builds the tunnel, so
 * those sessions go through `ws` as before.
 */
import net, { isIP, type OnReadOpts, type Socket } from "node:net";
// Called through the module objects (as node:https and undici do), so tools wrapping
// tls.connect or net.connect see these connections too.
import tls, { type ConnectionOptions, type SecureContext } from "node:tls";
import WebSocket from "ws";
import { BodyReader, handshakeProblem, MAX_HEAD_BYTES, parseHead, upgradeRequest } from "./http-upgrade.js";
import {
  closePayload,
  encodeFrame,
  FrameDecoder,
  OP_BINARY,
  OP_CLOSE,
  OP_PING,
  OP_PONG,
  WebSocketProtocolError,
} from "./ws-frames.js";

/** What the session is told; `piece` is only valid during the call. */
export interface ExecSocketHandlers {
  /** The upgrade succeeded; `protocol` is the negotiated subprotocol. */
  open(protocol: string): void;
  /** A piece of a message: binary (exec channels) or text; `first`/`last` delimit the message. */
  data(piece: Buffer, binary: boolean, first: boolean, last: boolean): void;
  /** The server refused the upgrade with this status and body. */
  refused(statusCode: number, body: string): void;
  /** Something arrived (a frame, a ping, a pong): the connection is alive. */
  heard(): void;
  /** The connection is gone; `error` is the last error seen, `code`/`reason` the close frame's. */
  closed(end: { code: number; reason: string; error: unknown }): void;
}

/** An open (or opening) exec connection. */
export interface ExecSocket {
  /** Sends a binary message; `done` is called once it is written (backpressure for stdin). */
  send(payload: Uint8Array, done: (err?: Error | null) => void): void;
  ping(): void;
  /** Starts the closing handshake. */
  close(code: number): void;
  /** Drops the connection at once. */
  terminate(): void;
}

/** A direct connection's settings (see `Transport.execConnection`). */
export interface DirectTarget {
  url: URL;
  headers: Record<string, string>;
  tls?: {
    secureContext: SecureContext;
    /** Unset: Node's default (verify, unless NODE_TLS_REJECT_UNAUTHORIZED=0), as client-node leaves it. */
    rejectUnauthorized?: boolean | undefined;
    servername?: string | undefined;
    /** A TLS session to resume. */
    session?: Buffer | undefined;
    /** Receives each new session the server issues. */
    onSession(session: Buffer): void;
  };
}

// ws reports an unanswered upgrade with this message; exec-channel recognises it.
const HANDSHAKE_TIMEOUT = "Opening handshake has timed out";
const READ_BUFFER = 64 * 1024;
const NO_BYTES = Buffer.alloc(0);
// Read buffers of finished sessions, kept for the next ones (at most 2 MiB held).
const spare: Buffer[] = [];
const MAX_SPARE = 32;
// How long a closing connection may wait for the server's close before it is dropped.
const CLOSE_WAIT_MS = 5_000;

/** Opens a direct exec connection. */
export function openDirectExecSocket(
  target: DirectTarget,
  protocols: readonly string[],
  handshakeTimeoutMs: number | undefined,
  handlers: ExecSocketHandlers,
): ExecSocket {
  const { url } = target;
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const secure = url.protocol === "wss:";
  const port = Number(url.port || (secure ? 443 : 80));
  const request = upgradeRequest(`${url.pathname}${url.search}`, url.host, protocols, target.headers);
  const buffer = spare.pop() ?? Buffer.allocUnsafe(READ_BUFFER);
  let phase: "head" | "body" | "open" | "done" = "head";
  let head = NO_BYTES;
  let body: BodyReader | undefined;
  let statusCode = 0;
  let lastError: unknown;
  let closeFrame = { code: 1006, reason: "" };
  let closeSent = false;
  let closeTimer: NodeJS.Timeout | undefined;

  const decoder = new FrameDecoder({
    data: (piece, opcode, first, last) => handlers.data(piece, opcode === OP_BINARY, first, last),
    ping: (payload) => {
      if (!closeSent) socket.write(encodeFrame(OP_PONG, payload));
    },
    pong: () => {},
    close: (code, reason) => {
      closeFrame = { code: code ?? 1005, reason };
      sendClose(code ?? 1000);
    },
  });

  const sendClose = (code: number) => {
    if (closeSent || socket.destroyed) return;
    closeSent = true;
    socket.write(encodeFrame(OP_CLOSE, closePayload(code)));
    socket.end();
    closeTimer = setTimeout(() => socket.destroy(), CLOSE_WAIT_MS);
    closeTimer.unref?.();
  };

  const fail = (err: unknown) => {
    lastError = err;
    socket.destroy();
  };

  const onHead = (bytes: Buffer) => {
    head = head.length === 0 ? Buffer.from(bytes) : Buffer.concat([head, bytes]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) {
      if (head.length > MAX_HEAD_BYTES) fail(new Error("the upgrade answer's headers are too long"));
      return;
    }
    const parsed = parseHead(head.subarray(0, end).toString("latin1"));
    const rest = head.subarray(end + 4);
    head = NO_BYTES;
    if (!parsed) return fail(new Error("the upgrade answer is not HTTP/1.1"));
    statusCode = parsed.statusCode;
    if (parsed.statusCode !== 101) {
      phase = "body";
      body = new BodyReader(parsed);
      onBody(rest);
      return;
    }
    const problem = handshakeProblem(parsed, request.key, protocols);
    if (problem) return fail(new Error(problem));
    phase = "open";
    clearTimeout(handshakeTimer);
    handlers.open(parsed.headers["sec-websocket-protocol"] ?? "");
    if (rest.length > 0) onFrames(rest);
  };

  const onBody = (bytes: Buffer) => {
    body?.write(bytes);
    if (body?.done) finishRefusal();
  };

  const finishRefusal = () => {
    if (phase !== "body") return;
    phase = "done";
    clearTimeout(handshakeTimer);
    handlers.refused(statusCode, body?.text() ?? "");
    socket.destroy();
  };

  const onFrames = (bytes: Buffer) => {
    try {
      decoder.write(bytes);
    } catch (err) {
      if (!(err instanceof WebSocketProtocolError)) throw err;
      lastError = err;
      sendClose(1002);
      socket.destroy();
    }
  };

  const onRead = (n: number, buf: Buffer): boolean => {
    const bytes = buf.subarray(0, n);
    if (phase === "open") {
      handlers.heard();
      onFrames(bytes);
    } else if (phase === "head") onHead(bytes);
    else if (phase === "body") onBody(bytes);
    return true;
  };

  const onread: OnReadOpts = { buffer, callback: onRead };
  let socket: Socket;
  if (target.tls) {
    const options: ConnectionOptions & { onread: OnReadOpts } = {
      host,
      port,
      // No SNI for an IP address (as ws and Go's crypto/tls): the certificate's IP SANs are checked.
      servername: target.tls.servername ?? (isIP(host) ? "" : host),
      secureContext: target.tls.secureContext,
      ...(target.tls.rejectUnauthorized !== undefined
        ? { rejectUnauthorized: target.tls.rejectUnauthorized }
        : {}),
      ...(target.tls.session ? { session: target.tls.session } : {}),
      onread,
    };
    socket = tls.connect(options);
  } else socket = net.connect({ host, port, onread });
  if (target.tls) socket.on("session", target.tls.onSession);
  socket.setNoDelay(true);
  socket.once(target.tls ? "secureConnect" : "connect", () => socket.write(request.bytes));
  const handshakeTimer =
    handshakeTimeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          if (phase === "head" || phase === "body") fail(new Error(HANDSHAKE_TIMEOUT));
        }, handshakeTimeoutMs);
  socket.on("error", (err) => {
    lastError = err;
  });
  socket.on("end", () => {
    if (phase === "open") socket.destroy();
  });
  socket.on("close", () => {
    clearTimeout(handshakeTimer);
    clearTimeout(closeTimer);
    // No read comes after 'close': the buffer can serve another session.
    if (spare.length < MAX_SPARE) spare.push(buffer);
    // A body read until the connection closes is complete now.
    if (phase === "body" && lastError === undefined) return finishRefusal();
    if (phase === "done") return;
    phase = "done";
    handlers.closed({ ...closeFrame, error: lastError });
  });

  return {
    send(payload, done) {
      if (phase !== "open" || closeSent) return done(new Error("the exec connection is closing"));
      socket.write(encodeFrame(OP_BINARY, payload), done);
    },
    ping() {
      if (phase === "open" && !closeSent) socket.write(encodeFrame(OP_PING));
    },
    close(code) {
      if (phase === "open") sendClose(code);
      else socket.destroy();
    },
    terminate() {
      socket.destroy();
    },
  };
}

/** Opens an exec connection with `ws` (the path for proxies: the agent in `wsOptions` builds the tunnel). */
export function openWsExecSocket(
  url: string,
  wsOptions: WebSocket.ClientOptions,
  protocols: readonly string[],
  handshakeTimeoutMs: number | undefined,
  handlers: ExecSocketHandlers,
): ExecSocket {
  const ws = new WebSocket(url, [...protocols], {
    ...wsOptions,
    perMessageDeflate: false,
    maxPayload: 256 * 1024 * 1024,
    ...(handshakeTimeoutMs !== undefined ? { handshakeTimeout: handshakeTimeoutMs } : {}),
  });
  let lastError: unknown;
  let refused = false;
  ws.on("unexpected-response", (req, res) => {
    refused = true;
    const chunks: Buffer[] = [];
    res.on("data", (c: Buffer) => chunks.push(c));
    res.on("end", () => {
      handlers.refused(res.statusCode ?? 0, Buffer.concat(chunks).toString("utf8"));
      req.destroy();
    });
    res.on("error", (err) => {
      lastError = err;
      req.destroy();
    });
  });
  ws.on("open", () => handlers.open(ws.protocol));
  ws.on("message", (data: Buffer, isBinary: boolean) => {
    handlers.heard();
    handlers.data(data, isBinary, true, true);
  });
  ws.on("ping", () => handlers.heard());
  ws.on("pong", () => handlers.heard());
  ws.on("error", (err) => {
    lastError = err;
  });
  ws.on("close", (code, reason) => {
    if (!refused || lastError !== undefined)
      handlers.closed({ code, reason: reason.toString(), error: lastError });
  });
  return {
    send: (payload, done) => ws.send(payload, { binary: true }, done),
    ping: () => ws.ping(),
    close: (code) => ws.close(code),
    terminate: () => ws.terminate(),
  };
}
