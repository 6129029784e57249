/** The shape every workload controller shares: watch some types, reconcile one object at a time. */
import type { Logger } from "@quiesce/core";
import type { ObjectStore, ResourceType, StoredObject } from "../api/seams.js";
import { controllerRef, field, matchLabelsSelector } from "./util.js";
import { createWorkQueue, keyOf, splitKey, type WorkQueue } from "./work-queue.js";

export interface Controller {
  start(): void;
  stop(): void;
}

/**
 * A controller reconciling objects of `primary`, re-run when they change or when an object of
 * `owned` whose controller is of kind `primary.kind` changes.
 */
export function createController(
  name: string,
  store: ObjectStore,
  primary: ResourceType,
  owned: ResourceType[],
  reconcile: (namespace: string, name: string) => void,
  logger: Logger,
): Controller & { enqueue(namespace: string, name: string): void } {
  const queue: WorkQueue = createWorkQueue(
    name,
    (key) => {
      const { namespace, name: objectName } = splitKey(key);
      reconcile(namespace, objectName);
    },
    logger,
  );
  const unwatch: (() => void)[] = [];
  const ownerKey = (object: StoredObject): string | undefined => {
    const ref = controllerRef(object);
    return ref && ref.kind === primary.kind ? keyOf(object.metadata.namespace, ref.name) : undefined;
  };
  return {
    enqueue: (namespace, objectName) => queue.enqueue(keyOf(namespace, objectName)),
    start() {
      const rv = store.currentResourceVersion();
      for (const item of store.list(primary, undefined).items)
        queue.enqueue(keyOf(item.metadata.namespace, item.metadata.name));
      unwatch.push(
        store.watch(primary, undefined, rv, (event) => {
          if (event.type !== "BOOKMARK")
            queue.enqueue(keyOf(event.object.metadata.namespace, event.object.metadata.name));
        }),
      );
      for (const type of owned) {
        unwatch.push(
          store.watch(type, undefined, rv, (event) => {
            const key = ownerKey(event.object);
            if (key) queue.enqueue(key);
          }),
        );
      }
    },
    stop() {
      for (const u of unwatch) u();
      queue.stop();
    },
  };
}

/**
 * A label selector that every object `owner` creates carries, to narrow the store's list (which
 * copies each object it returns). Undefined when none is certain: the owner check alone then decides.
 */
function narrowingSelector(owner: StoredObject): string | undefined {
  if (owner.kind === "Job") return `batch.kubernetes.io/controller-uid=${owner.metadata.uid}`;
  const matchLabels = field<Record<string, string>>(owner, "spec", "selector", "matchLabels");
  const templateLabels = field<Record<string, string>>(owner, "spec", "template", "metadata", "labels") ?? {};
  if (!matchLabels || Object.keys(matchLabels).length === 0) return undefined;
  // Only when the template really carries the selector's labels (an invalid pair must not hide pods).
  if (!Object.entries(matchLabels).every(([k, v]) => templateLabels[k] === v)) return undefined;
  return matchLabelsSelector(matchLabels);
}

/** Objects of `type` in `namespace` controlled by `owner`. */
export function ownedBy(store: ObjectStore, type: ResourceType, owner: StoredObject): StoredObject[] {
  const labelSelector = narrowingSelector(owner);
  return store
    .list(type, owner.metadata.namespace, labelSelector === undefined ? undefined : { labelSelector })
    .items.filter((o) =>
      o.metadata.ownerReferences?.some((r) => r.controller === true && r.uid === owner.metadata.uid),
    );
}

/** Writes `status` when it differs from the stored one (no event storms from no-op updates). */
export function writeStatus(
  store: ObjectStore,
  type: ResourceType,
  object: StoredObject,
  status: Record<string, unknown>,
): void {
  const current = JSON.stringify(object.status ?? {});
  const merged = { ...((object.status as Record<string, unknown> | undefined) ?? {}), ...status };
  if (JSON.stringify(merged) === current) return;
  try {
    store.mutate(type, object.metadata.namespace, object.metadata.name, (o) => {
      if (o.metadata.uid !== object.metadata.uid) return;
      o.status = { ...((o.status as Record<string, unknown> | undefined) ?? {}), ...status };
    });
  } catch {
    // Deleted meanwhile: nothing to report.
  }
}

/** A condition list with `type` set, keeping transition times of unchanged conditions. */
export function withCondition(
  existing: unknown,
  type: string,
  status: boolean,
  reason: string,
  message: string,
  now: string,
): Record<string, unknown>[] {
  const list = (Array.isArray(existing) ? existing : []) as Record<string, unknown>[];
  const wanted = status ? "True" : "False";
  const previous = list.find((c) => c.type === type);
  const keep = previous?.status === wanted && previous.reason === reason && previous.message === message;
  const next: Record<string, unknown> = keep
    ? previous
    : {
        type,
        status: wanted,
        reason,
        message,
        lastUpdateTime: now,
        lastTransitionTime: previous?.status === wanted ? previous.lastTransitionTime : now,
      };
  return previous ? list.map((c) => (c === previous ? next : c)) : [...list, next];
}
