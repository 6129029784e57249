/**
 * Port forwarding over SPDY — what kubectl and client-go speak, on a raw `Upgrade: SPDY/3.1`
 * connection or tunneled in a WebSocket (`SPDY/3.1+portforward.k8s.io`). Kubelet
 * cri/streaming/portforward/httpstream.go: for each connection the client opens an `error` and a
 * `data` stream carrying the same `requestid` and `port` headers; the server connects to the port
 * and copies bytes both ways, writes a failure to the error stream, and closes both when the pod's
 * side is done — client-go tools/portforward/portforward.go reads the error stream to its end.
 */
import { connect, type Socket } from "node:net";
import { SpdyConnection, type SpdyStream, type SpdyTransport } from "./connection.js";

/** The stream protocol of port forwarding (kubelet PortForwardProtocolV1Name). */
export const PORT_FORWARD_PROTOCOL = "portforward.k8s.io";

/** Where forwarded connections go. */
export interface ForwardTarget {
  /** The pod's IP. */
  host: string;
  podName: string;
  podUid: string;
}

interface Pair {
  port: number;
  error?: SpdyStream;
  data?: SpdyStream;
  socket?: Socket;
}

/** Runs a port-forward session on `transport`; returns the connection to feed the client's bytes to. */
export function spdyPortForward(transport: SpdyTransport, target: ForwardTarget): SpdyConnection {
  const pairs = new Map<string, Pair>();
  const sockets = new Set<Socket>();
  const connection = new SpdyConnection(transport, (stream) => {
    const type = stream.header("streamtype");
    const port = Number(stream.header("port"));
    if ((type !== "error" && type !== "data") || !Number.isInteger(port) || port < 1 || port > 65535) {
      stream.end();
      return;
    }
    const requestId = stream.header("requestid") ?? String(port);
    const pair = pairs.get(requestId) ?? { port };
    pairs.set(requestId, pair);
    if (type === "error") pair.error = stream;
    else pair.data = stream;
    if (pair.error && pair.data && !pair.socket) {
      pairs.delete(requestId);
      forward(pair as Required<Pair>, target, sockets);
    }
  });
  connection.onClose = () => {
    for (const socket of sockets) socket.destroy();
  };
  return connection;
}

function forward(
  pair: Omit<Required<Pair>, "socket"> & { socket?: Socket },
  target: ForwardTarget,
  sockets: Set<Socket>,
): void {
  const { data, error } = pair;
  const socket = connect({ host: target.host, port: pair.port });
  pair.socket = socket;
  sockets.add(socket);
  const early: Buffer[] = [];
  data.onData = (chunk) => {
    if (socket.connecting) early.push(chunk);
    else socket.write(chunk);
  };
  data.onEnd = () => {
    if (!socket.connecting) socket.end();
  };
  // client-go resets the data stream when it is done with a connection: drop what is unsent.
  data.onReset = () => socket.destroy();
  socket.on("connect", () => {
    for (const chunk of early) socket.write(chunk);
    if (data.clientDone) socket.end();
  });
  socket.on("data", (chunk: Buffer) => data.write(chunk));
  let failed = false;
  socket.on("error", (err) => {
    failed = true;
    const message = `error forwarding port ${pair.port} to pod ${target.podName}, uid ${target.podUid}: ${err.message}`;
    error.write(Buffer.from(message, "utf8"));
  });
  socket.on("close", () => {
    sockets.delete(socket);
    if (!failed) data.end();
    error.end();
  });
}
