/** A coalescing work queue: reconcile requests for one key collapse into one run, and runs never nest. */
import type { Logger } from "@quiesce/core";

export interface WorkQueue {
  /** Asks for `key` to be reconciled soon (once, however often it is asked before the run). */
  enqueue(key: string): void;
  /** Drops pending work; later requests are ignored. */
  stop(): void;
}

/**
 * Creates a queue that calls `reconcile(key)` for each requested key on a later tick. Store watch
 * listeners enqueue instead of writing, so a controller never writes from inside another write.
 */
export function createWorkQueue(name: string, reconcile: (key: string) => void, logger: Logger): WorkQueue {
  const pending = new Set<string>();
  let scheduled = false;
  let stopped = false;
  const drain = () => {
    scheduled = false;
    const keys = [...pending];
    pending.clear();
    for (const key of keys) {
      if (stopped) return;
      try {
        reconcile(key);
      } catch (err) {
        logger.warn(`local cluster: ${name} controller failed to reconcile ${key}`, { error: String(err) });
      }
    }
  };
  return {
    enqueue(key) {
      if (stopped) return;
      pending.add(key);
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    },
    stop() {
      stopped = true;
      pending.clear();
    },
  };
}

/** `namespace/name` key of a namespaced object. */
export function keyOf(namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${name}`;
}

/** Splits a {@link keyOf} key. */
export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf("/");
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
