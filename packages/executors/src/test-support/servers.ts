/** Real loopback servers for action tests: an HTTP server recording requests, and TCP port helpers. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createTcpServer } from "node:net";

/** A request as the server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A started HTTP server on 127.0.0.1 with a random port. */
export interface TestHttpServer {
  port: number;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** Starts a node:http server on 127.0.0.1:0 whose `handler` answers after the body was read. */
export async function startHttpServer(
  handler: (req: SeenRequest, res: ServerResponse) => void,
  make: (listener: (req: IncomingMessage, res: ServerResponse) => void) => Server = createServer,
): Promise<TestHttpServer> {
  const requests: SeenRequest[] = [];
  const server = make((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const seen = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(seen);
      handler(seen, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** A TCP listener on 127.0.0.1:0. */
export async function startTcpServer(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createTcpServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = await startTcpServer();
  await s.close();
  return s.port;
}
