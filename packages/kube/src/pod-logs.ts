/** Pod logs: follow a container's log while it runs, or read it once it ended, keeping the tail. */
import type { Transport } from "./transport.js";

function logPath(namespace: string, pod: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`;
}

/**
 * Streams a container's log to `write`. With `follow`, the server keeps the stream open until the
 * container ends; the promise resolves then (or rejects with `signal.reason` when aborted).
 */
export async function streamLog(
  transport: Transport,
  target: { namespace: string; pod: string; container: string },
  write: (chunk: Buffer) => void,
  options: { follow: boolean; signal: AbortSignal },
): Promise<void> {
  const { body } = await transport.stream({
    method: "GET",
    path: logPath(target.namespace, target.pod),
    query: { container: target.container, follow: options.follow },
    idempotent: true,
    facts: { verb: "get", resource: "pods/log", namespace: target.namespace, name: target.pod },
    signal: options.signal,
  });
  try {
    for await (const chunk of body) write(chunk);
  } catch (err) {
    if (options.signal.aborted) throw options.signal.reason;
    throw err;
  } finally {
    body.destroy();
  }
}
