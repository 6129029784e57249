/**
 * `pods/portforward` over WebSocket: the channel protocol client-node's `PortForward` and the
 * Python client speak — each forwarded port gets a data channel (2i) and an error channel (2i+1) —
 * and SPDY tunneled in the WebSocket (`SPDY/3.1+portforward.k8s.io`), what kubectl ≥ 1.30 tries
 * first (client-go tools/portforward/tunneling_dialer.go). The pod's port is reached at the pod's
 * IP: the local cluster's pods are host processes or test servers on 127.0.0.1, so a pod's port
 * is the host's port on its IP.
 */
import type { IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";
import { ApiStatusError } from "../api/errors.js";
import type { ObjectStore, StoredObject } from "../api/seams.js";
import { type ForwardTarget, PORT_FORWARD_PROTOCOL, spdyPortForward } from "./spdy/port-forward.js";
import { negotiateStreamProtocol, pump, switchToSpdy, wantsSpdy } from "./spdy/upgrade.js";

/** What a port-forward connects to. */
export interface PortForwardTarget {
  pod: StoredObject;
  host: string;
  ports: number[];
}

/** SPDY tunneled in a WebSocket (client-go constants.WebsocketsSPDYTunnelingPrefix + the protocol). */
export const SPDY_TUNNEL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;

/**
 * The tunnel's name while `ws` negotiates: `/` is not allowed in a protocol token by RFC 6455, so
 * `ws` refuses the real name, which goes back into the handshake answer.
 */
const TUNNEL_ALIAS = "spdy-3.1-portforward.k8s.io";

/** Sub-protocols of WebSocket port forwarding, most preferred first. */
const PROTOCOLS = [
  TUNNEL_ALIAS,
  "v4.channel.k8s.io",
  "v4.base64.channel.k8s.io",
  "channel.k8s.io",
  "base64.channel.k8s.io",
];

/** True when a WebSocket upgrade offers the SPDY tunnel. */
export function offersSpdyTunnel(req: IncomingMessage): boolean {
  const offered = (req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
  return offered.includes(SPDY_TUNNEL);
}

/** Where a SPDY session forwards to. */
export function forwardTarget(target: PortForwardTarget): ForwardTarget {
  return { host: target.host, podName: target.pod.metadata.name, podUid: target.pod.metadata.uid };
}

/** Above this many bytes queued on the WebSocket, reading from the pod's port pauses. */
const HIGH_WATER = 1024 * 1024;

/**
 * Validates a port-forward request before the upgrade. apimachinery runtime/conversion.go
 * (Convert_Slice_string_To_Slice_int32): `ports` may repeat and each may be a comma list; the
 * kubelet (cri/streaming/portforward/websocket.go NewV4Options) requires one, each 1–65535.
 */
export function preparePortForward(
  store: ObjectStore,
  namespace: string,
  name: string,
  q: URLSearchParams,
  /** The channel protocol needs `ports`; over SPDY each stream names its port. */
  requirePorts = true,
): PortForwardTarget {
  const podType = store.typeFor("", "v1", "pods")!;
  const pod = store.get(podType, namespace, name);
  if (!pod) throw ApiStatusError.notFound(podType, name);
  const values = q.getAll("ports");
  if (values.length === 0 && requirePorts)
    throw ApiStatusError.badRequest('query parameter "port" is required');
  const ports: number[] = [];
  for (const value of values) {
    if (value === "") throw ApiStatusError.badRequest('query parameter "port" cannot be empty');
    for (const p of value.split(",")) {
      const port = /^\d+$/.test(p.trim()) ? Number(p.trim()) : Number.NaN;
      if (!Number.isInteger(port) || port > 65535) {
        throw ApiStatusError.badRequest(`unable to parse "${value}" as a port`);
      }
      if (port < 1) throw ApiStatusError.badRequest(`port "${value}" must be > 0`);
      ports.push(port);
    }
  }
  const status = (pod.status ?? {}) as { phase?: string; podIP?: string };
  if (status.phase !== "Running") {
    throw ApiStatusError.badRequest(`pod ${name} is not running (phase ${status.phase ?? "Pending"})`);
  }
  return { pod, host: status.podIP ?? "127.0.0.1", ports };
}

/**
 * Serves a `pods/portforward` upgrade: plain SPDY (`Upgrade: SPDY/3.1`), the SPDY tunnel, or the
 * WebSocket channel protocol. Over SPDY the ports come in the streams' headers, not the query.
 */
export function servePortForward(
  endpoint: PortForwardEndpoint,
  store: ObjectStore,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  where: { namespace: string; name: string; query: URLSearchParams },
): void {
  const spdy = wantsSpdy(req);
  const channels = !spdy && !offersSpdyTunnel(req);
  const target = preparePortForward(store, where.namespace, where.name, where.query, channels);
  if (!spdy) {
    endpoint.upgrade(req, socket, head, target);
    return;
  }
  const protocol = negotiateStreamProtocol(req, [PORT_FORWARD_PROTOCOL]);
  pump(socket, head, spdyPortForward(switchToSpdy(socket, protocol), forwardTarget(target)));
}

/** Accepts port-forward WebSockets for one API server. */
export class PortForwardEndpoint {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  private readonly sessions = new Set<WebSocket>();

  constructor() {
    this.wss.on("headers", (headers: string[]) => {
      const at = headers.indexOf(`Sec-WebSocket-Protocol: ${TUNNEL_ALIAS}`);
      if (at >= 0) headers[at] = `Sec-WebSocket-Protocol: ${SPDY_TUNNEL}`;
    });
  }

  /** Completes the upgrade and forwards until either side closes. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: PortForwardTarget): void {
    const offered = req.headers["sec-websocket-protocol"];
    if (offered?.includes(SPDY_TUNNEL)) {
      req.headers["sec-websocket-protocol"] = offered
        .split(",")
        .map((p) => (p.trim() === SPDY_TUNNEL ? TUNNEL_ALIAS : p.trim()))
        .join(", ");
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.sessions.add(ws);
      ws.on("close", () => this.sessions.delete(ws));
      run(ws, target);
    });
  }

  /** Ends every open session (server shutdown). */
  closeAll(): void {
    for (const ws of this.sessions) ws.terminate();
    this.wss.close();
  }
}

function run(ws: WebSocket, target: PortForwardTarget): void {
  if (ws.protocol === TUNNEL_ALIAS) {
    tunnel(ws, target);
    return;
  }
  const base64 = ws.protocol.includes("base64");
  const send = (channel: number, payload: Uint8Array, done?: () => void) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (base64) ws.send(`${channel}${Buffer.from(payload).toString("base64")}`, done);
    else ws.send(Buffer.concat([Buffer.from([channel]), payload]), { binary: true }, done);
  };
  const sockets: Socket[] = [];
  let open = target.ports.length;
  const finished = () => {
    open--;
    if (open === 0 && ws.readyState === WebSocket.OPEN) ws.close(1000);
  };
  target.ports.forEach((port, i) => {
    // The first frame of each channel is the port, an unsigned 16-bit little-endian integer.
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16LE(port);
    send(2 * i, portBytes);
    send(2 * i + 1, portBytes);
    const tcp = connect({ host: target.host, port });
    sockets[i] = tcp;
    tcp.on("data", (chunk: Buffer) => {
      send(2 * i, chunk, () => {
        if (ws.bufferedAmount < HIGH_WATER) tcp.resume();
      });
      if (ws.bufferedAmount >= HIGH_WATER) tcp.pause();
    });
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      finished();
    };
    tcp.on("error", (err) => {
      const name = target.pod.metadata.name;
      const message = `error forwarding port ${port} to pod ${name}, uid ${target.pod.metadata.uid}: ${err.message}`;
      send(2 * i + 1, Buffer.from(message, "utf8"));
      end();
    });
    tcp.on("close", end);
  });
  ws.on("message", (data: Buffer, isBinary: boolean) => {
    const frame = isBinary ? data : Buffer.from(data.toString("utf8"), "utf8");
    if (frame.length === 0) return;
    const channel =
      base64 || !isBinary ? Number(String.fromCharCode(frame[0] as number)) : (frame[0] as number);
    const payload =
      base64 || !isBinary ? Buffer.from(frame.subarray(1).toString("utf8"), "base64") : frame.subarray(1);
    // Only data channels are writable by the client.
    const tcp = channel % 2 === 0 ? sockets[channel / 2] : undefined;
    if (tcp && !tcp.destroyed && payload.length > 0) tcp.write(payload);
  });
  ws.on("close", () => {
    for (const tcp of sockets) tcp?.destroy();
  });
  ws.on("error", () => {});
}

/** SPDY in WebSocket binary messages (client-go TunnelingConnection: the messages are a byte stream). */
function tunnel(ws: WebSocket, target: PortForwardTarget): void {
  const connection = spdyPortForward(
    {
      write: (chunk) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(chunk, { binary: true });
      },
      close: () => ws.close(1000),
    },
    forwardTarget(target),
  );
  ws.on("message", (data: Buffer) => connection.receive(data));
  ws.on("close", () => connection.lost());
  ws.on("error", () => {});
}
