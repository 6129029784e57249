/** A local webhook receiver standing in for the on-call channel: it records every request it gets. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the receiver got. */
export interface ReceivedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  receivedAt: Date;
}

/** A running receiver. */
export interface WebhookReceiver {
  port: number;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/** Largest body kept; a notification is a few hundred bytes. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Starts the receiver on 127.0.0.1 and an ephemeral port; it answers 204 to every request and
 * reports each one to `onRequest` as it arrives.
 *
 * @example
 * ```ts
 * const hook = await startWebhookReceiver();
 * // …POST to http://127.0.0.1:${hook.port}/…
 * hook.received[0]?.json;
 * await hook.close();
 * ```
 */
export async function startWebhookReceiver(
  options: { onRequest?: (request: ReceivedRequest) => void } = {},
): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const request: ReceivedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        contentType: req.headers["content-type"],
        body,
        json,
        receivedAt: new Date(),
      };
      received.push(request);
      options.onRequest?.(request);
      res.writeHead(size > MAX_BODY_BYTES ? 413 : 204).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
