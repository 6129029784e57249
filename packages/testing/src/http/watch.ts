/** Watch streams: newline-delimited JSON events over a chunked response, with bookmarks and 410 as an ERROR event. */
import { ApiStatusError } from "../api/errors.js";
import type { StoredObject, WatchEvent } from "../api/seams.js";
import type { Faults } from "../faults/faults.js";
import { matchesFieldSelector, parseFieldSelector } from "../selectors/field-selector.js";
import { matchesLabelSelector, parseLabelSelector } from "../selectors/label-selector.js";
import { apiVersionOf } from "../store/builtin-types.js";
import type { ResourceRequest } from "./crud.js";
import { queryBool } from "./query.js";
import { toTable, wantsTable } from "./table.js";

/** Options of a watch. */
export interface WatchOptions {
  faults: Faults | undefined;
  /** How often a BOOKMARK is sent to clients that allow them (ms). */
  bookmarkIntervalMs: number;
  /** Called once the response status is decided (for the request log). */
  onStart(status: number): void;
  /** Fault injection: object events sent twice, and/or each held back until the next went out. */
  disorder?: { duplicate: boolean; reorder: boolean } | undefined;
}

// A held-back event goes out on its own after this long when no other follows.
const REORDER_FLUSH_MS = 50;

/** Serves `?watch=true`. */
export function handleWatch(r: ResourceRequest, options: WatchOptions): void {
  const q = r.url.searchParams;
  const labels = parseLabelSelector(q.get("labelSelector") ?? undefined);
  const fields = parseFieldSelector(q.get("fieldSelector") ?? undefined, r.type.kind);
  const bookmarks = queryBool(q, "allowWatchBookmarks");
  const sendInitial = queryBool(q, "sendInitialEvents");
  const timeoutSeconds = Number(q.get("timeoutSeconds") ?? "");
  const rv = sendInitial ? undefined : (q.get("resourceVersion") ?? undefined);
  const { res } = r;

  const matches = (o: StoredObject) =>
    matchesLabelSelector(labels, o.metadata.labels) && matchesFieldSelector(fields, o);
  res.statusCode = 200;
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Cache-Control", "no-cache, private");
  res.setHeader("Transfer-Encoding", "chunked");
  r.req.socket.setNoDelay(true);

  let open = true;
  // kubectl watches as Tables: every object event carries a one-row Table.
  const asTable = wantsTable(r.req.headers.accept);
  const includeObject = q.get("includeObject");
  let columnsSent = false;
  // Fault injection: object events duplicated, and/or each held back until the next one went out.
  let held: string[] | undefined;
  let heldTimer: NodeJS.Timeout | undefined;
  const flushHeld = () => {
    if (heldTimer) clearTimeout(heldTimer);
    heldTimer = undefined;
    const lines = held;
    held = undefined;
    if (open && lines) for (const l of lines) res.write(l);
  };
  const send = (line: string, objectEvent: boolean) => {
    const d = options.disorder;
    if (!objectEvent || !d) {
      res.write(line);
      return;
    }
    const lines = d.duplicate ? [line, line] : [line];
    if (!d.reorder) {
      for (const l of lines) res.write(l);
    } else if (held === undefined) {
      held = lines;
      heldTimer = setTimeout(flushHeld, REORDER_FLUSH_MS);
    } else {
      for (const l of lines) res.write(l);
      flushHeld();
    }
  };
  const write = (type: string, object: unknown) => {
    if (!open) return;
    let body = object;
    if (asTable && type !== "BOOKMARK" && type !== "ERROR") {
      body = toTable(r.type, [object as StoredObject], { includeObject, withColumns: !columnsSent });
      columnsSent = true;
    }
    send(`${JSON.stringify({ type, object: body })}\n`, type !== "BOOKMARK" && type !== "ERROR");
  };
  const bookmark = (annotations?: Record<string, string>) =>
    write("BOOKMARK", {
      kind: r.type.kind,
      apiVersion: apiVersionOf(r.type),
      metadata: {
        resourceVersion: r.store.currentResourceVersion(),
        ...(annotations ? { annotations } : {}),
      },
    });

  const listener = (event: WatchEvent) => {
    const now = matches(event.object);
    if (event.type === "MODIFIED" && event.previous) {
      const before = matches(event.previous);
      if (now && before) write("MODIFIED", event.object);
      else if (now) write("ADDED", event.object);
      else if (before) write("DELETED", event.object);
      return;
    }
    if (now) write(event.type, event.object);
  };

  let unsubscribe: () => void;
  try {
    unsubscribe = r.store.watch(r.type, r.namespace, rv, listener);
  } catch (err) {
    if (err instanceof ApiStatusError && (err.statusCode === 410 || err.statusCode === 504)) {
      // The API server's watch cache answers 200 and sends "too old" / "too large" as an ERROR event.
      options.onStart(200);
      res.flushHeaders();
      res.end(`${JSON.stringify({ type: "ERROR", object: err.status })}\n`);
      return;
    }
    throw err;
  }
  options.onStart(200);
  res.flushHeaders();
  if (sendInitial && bookmarks) bookmark({ "k8s.io/initial-events-end": "true" });

  const timers: NodeJS.Timeout[] = [];
  let untrack: () => void = () => {};
  const finish = (withBookmark: boolean) => {
    if (!open) return;
    flushHeld();
    if (withBookmark && bookmarks) bookmark();
    open = false;
    unsubscribe();
    untrack();
    for (const t of timers) clearTimeout(t);
    res.end();
  };
  if (bookmarks) {
    const tick = setInterval(() => bookmark(), options.bookmarkIntervalMs);
    timers.push(tick);
  }
  const limit = Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? timeoutSeconds : 1800;
  timers.push(setTimeout(() => finish(true), limit * 1000));
  if (options.faults) untrack = options.faults.trackWatch(() => finish(false));
  res.on("close", () => {
    if (heldTimer) clearTimeout(heldTimer);
    open = false;
    unsubscribe();
    untrack();
    for (const t of timers) clearTimeout(t);
  });
}
