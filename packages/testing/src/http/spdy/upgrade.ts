/**
 * The `Upgrade: SPDY/3.1` handshake of exec and port forwarding (apimachinery
 * util/httpstream/httpstream.go Handshake, util/httpstream/spdy/upgrade.go): the protocol is
 * negotiated from `X-Stream-Protocol-Version`, the answer is `101 Switching Protocols`, and the
 * socket then carries SPDY frames.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { ApiStatusError } from "../../api/errors.js";
import type { SpdyConnection, SpdyTransport } from "./connection.js";

/** True when the request asks for a SPDY upgrade. */
export function wantsSpdy(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? "").toLowerCase() === "spdy/3.1";
}

/**
 * The first protocol the client offers that the server serves (the client's order wins, as in
 * httpstream.Handshake); 403 Forbidden when there is none in common.
 */
export function negotiateStreamProtocol(req: IncomingMessage, served: readonly string[]): string {
  const raw = req.headersDistinct["x-stream-protocol-version"] ?? [];
  const offered = raw
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
  const chosen = offered.find((p) => served.includes(p));
  if (!chosen) {
    throw new ApiStatusError(
      403,
      "Forbidden",
      `unable to upgrade connection: unable to negotiate protocol: client supports [${offered.join(" ")}], server accepts [${served.join(" ")}]`,
    );
  }
  return chosen;
}

/** Answers the upgrade and returns the socket as a SPDY transport. */
export function switchToSpdy(socket: Duplex, protocol: string): SpdyTransport {
  socket.write(
    "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n" +
      `X-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
  );
  return {
    write: (chunk) => {
      if (!socket.destroyed) socket.write(chunk);
    },
    close: () => socket.end(),
  };
}

/** Feeds the socket's bytes (and what came with the upgrade request) to `connection`. */
export function pump(socket: Duplex, head: Buffer, connection: SpdyConnection): void {
  if (head.length > 0) connection.receive(head);
  socket.on("data", (chunk: Buffer) => connection.receive(chunk));
  socket.on("close", () => connection.lost());
  socket.on("error", () => connection.lost());
}
