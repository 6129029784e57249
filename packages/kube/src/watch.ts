/** A watch stream: newline-delimited JSON events of one collection, as the API server sends them. */
import type { KubeObject } from "./cluster.js";
import type { RequestFacts } from "./errors.js";
import type { Transport } from "./transport.js";

/** One event of a watch. `ERROR` carries a Status (e.g. 410 Expired). */
export interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: KubeObject;
}

/**
 * Opens a watch on `path` and yields its events until the server ends the stream. Opening is
 * retried like any idempotent call; a cut stream simply ends (or throws the transport error) and the
 * caller re-watches from the last resourceVersion it saw. A stream silent for the transport's
 * `watchIdleTimeoutMs` throws undici's body timeout, which callers treat as a cut.
 */
export async function* watchEvents(
  transport: Transport,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  facts: RequestFacts,
  signal: AbortSignal,
): AsyncGenerator<WatchEvent> {
  const { body } = await transport.stream({
    method: "GET",
    path,
    query: { ...query, watch: "true" },
    idempotent: true,
    facts: { ...facts, verb: "watch" },
    signal,
    // A watch from which nothing arrives (no event, no bookmark, no end) is a lost connection.
    idleTimeoutMs: transport.watchIdleTimeoutMs,
  });
  let pending: Buffer | undefined;
  try {
    for await (const chunk of body) {
      let data = pending ? Buffer.concat([pending, chunk]) : chunk;
      pending = undefined;
      let start = 0;
      for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
        const line = data.subarray(start, nl);
        start = nl + 1;
        if (line.length === 0) continue;
        const event = JSON.parse(line.toString("utf8")) as WatchEvent;
        yield event;
      }
      if (start < data.length) pending = Buffer.from(data.subarray(start));
      data = Buffer.alloc(0);
    }
  } finally {
    body.destroy();
  }
}
