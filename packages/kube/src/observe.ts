/**
 * Watch-driven waiting: list a collection, then watch it from the list's resourceVersion (with
 * bookmarks), keeping a local copy, and evaluate a condition after every change. A stream that ends
 * or is cut is re-watched from the last resourceVersion seen; `410 Gone` (as an answer or an ERROR
 * event) triggers a fresh list. No polling: a change is seen as soon as the server sends it.
 */
import { ErrorCodes, type Logger, QuiesceError, sleep } from "@quiesce/core";
import type { KubeObject, ResourceRef } from "./cluster.js";
import { KubeApiError } from "./errors.js";
import { collectionPath, resourceLabel } from "./paths.js";
import { isConnectionReset } from "./retry.js";
import { isStatus } from "./status.js";
import type { Transport } from "./transport.js";
import { watchEvents } from "./watch.js";
import { type ObjectMap, WatchCache } from "./watch-cache.js";

export { type ObjectMap, objectKey } from "./watch-cache.js";

/** What to observe. */
export interface ObserveTarget extends ResourceRef {
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
}

/** A condition over the observed objects: `{ value }` when met, `undefined` to keep waiting. */
export type Condition<T> = (objects: ObjectMap) => { value: T } | undefined;

// The server ends a watch after this long; we re-watch from the last resourceVersion.
const WATCH_SECONDS = 290;

/** Lists `target`, then watches it until `condition` is met or `signal` aborts (rejecting with its reason). */
export async function observe<T>(
  transport: Transport,
  target: ObserveTarget,
  condition: Condition<T>,
  signal: AbortSignal,
  logger?: Logger,
): Promise<T> {
  const path = collectionPath(target);
  const facts = { resource: resourceLabel(target), namespace: target.namespace };
  const selectors = { labelSelector: target.labelSelector, fieldSelector: target.fieldSelector };
  // Duplicated or reordered events cannot regress it (see WatchCache).
  const cache = new WatchCache();
  const objects = cache.objects;
  // The caller's condition may throw: such an error ends the wait as is, never mistaken for a cut stream.
  const check = (): { value: T } | undefined => {
    try {
      return condition(objects);
    } catch (err) {
      throw new ConditionFailed(err);
    }
  };
  for (;;) {
    signal.throwIfAborted();
    const list = await transport.json<{ items?: KubeObject[]; metadata?: { resourceVersion?: string } }>({
      method: "GET",
      path,
      query: selectors,
      idempotent: true,
      facts: { ...facts, verb: "list" },
      signal,
    });
    cache.reset(list.items ?? [], list.metadata?.resourceVersion ?? "");
    let first: { value: T } | undefined;
    try {
      first = check();
    } catch (err) {
      throw err instanceof ConditionFailed ? err.error : err;
    }
    if (first) return first.value;
    let cuts = 0;
    watching: for (;;) {
      try {
        const events = watchEvents(
          transport,
          path,
          {
            ...selectors,
            resourceVersion: cache.resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds: WATCH_SECONDS,
          },
          { ...facts, verb: "watch" },
          signal,
        );
        for await (const event of events) {
          cuts = 0;
          if (event.type === "ERROR") {
            const status = isStatus(event.object) ? event.object : undefined;
            const code = typeof status?.code === "number" ? status.code : undefined;
            if (code === 410) break watching;
            const error = new KubeApiError({ ...facts, verb: "watch" }, { status });
            // A server-side hiccup ends this watch only: re-watch like a cut stream.
            if (code !== undefined && (code >= 500 || code === 429)) throw new StreamCut(error);
            throw error;
          }
          if (event.type === "BOOKMARK") {
            cache.bookmark(event.object.metadata?.resourceVersion);
            continue;
          }
          if (!cache.apply(event.type, event.object)) continue;
          const met = check();
          if (met) return met.value;
        }
        // The server ended the watch (timeoutSeconds, restart): carry on from where we were.
        logger?.debug("watch ended; re-watching", {
          resource: facts.resource,
          resourceVersion: cache.resourceVersion,
        });
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        if (err instanceof ConditionFailed) throw err.error;
        if (QuiesceError.is(err, ErrorCodes.KUBE_GONE)) break;
        if (!(err instanceof StreamCut) && !isConnectionReset(err) && !isBodyCut(err)) throw err;
        cuts++;
        logger?.debug("watch stream cut; re-watching", {
          resource: facts.resource,
          resourceVersion: cache.resourceVersion,
          cuts,
        });
        await sleep(Math.min(1000, 10 * 2 ** Math.min(cuts, 7)), { signal });
      }
    }
    logger?.debug("watch resourceVersion expired; relisting", { resource: facts.resource });
  }
}

/** Carries an error thrown by the caller's condition through the watch loop untouched. */
class ConditionFailed {
  constructor(readonly error: unknown) {}
}

/** A watch that ended with a transient server error: re-watched like a cut stream. */
class StreamCut {
  constructor(readonly error: unknown) {}
}

// undici reports a body cut mid-stream as a socket error or "terminated", and a watch silent past its
// idle limit as a body timeout (a lost connection: re-watched like a cut); our own errors are never cuts.
function isBodyCut(err: unknown): boolean {
  return (
    err instanceof Error &&
    !(err instanceof QuiesceError) &&
    (/terminated|aborted|premature close|other side closed/i.test(err.message) ||
      err.name === "AbortError" ||
      (err as { code?: unknown }).code === "UND_ERR_BODY_TIMEOUT")
  );
}
