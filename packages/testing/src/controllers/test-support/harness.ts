/** A store + runtime + controllers for white-box controller tests, with watch-driven waits. */
import type { ObjectStore, ResourceType, StoredObject } from "../../api/seams.js";
import { createScriptedRuntime, type ScriptableRuntime } from "../../runtime/scripted.js";
import { createObjectStore } from "../../store/object-store.js";
import { type ControllerOptions, type RunningControllers, startControllers } from "../manager.js";
import { type CoreTypes, coreTypes } from "../util.js";

export interface Harness {
  store: ObjectStore;
  types: CoreTypes;
  runtime: ScriptableRuntime;
  controllers: RunningControllers;
  /** Resolves once `predicate` holds for the object (undefined while absent); watch-driven. */
  waitFor(
    type: ResourceType,
    namespace: string,
    name: string,
    predicate: (o: StoredObject | undefined) => boolean,
    timeoutMs?: number,
  ): Promise<StoredObject | undefined>;
  /** Resolves once `predicate` holds for the list of objects of `type` in `namespace`. */
  waitForList(
    type: ResourceType,
    namespace: string,
    predicate: (items: StoredObject[]) => boolean,
    timeoutMs?: number,
  ): Promise<StoredObject[]>;
  stop(): Promise<void>;
}

export function startHarness(
  options: ControllerOptions = {},
  runtime: ScriptableRuntime = createScriptedRuntime(),
): Harness {
  const store = createObjectStore();
  const types = coreTypes(store);
  const controllers = startControllers(store, runtime, {
    podStartDelayMs: 1,
    readyDelayMs: 1,
    terminationDelayMs: 1,
    ...options,
  });
  const waitForList = (
    type: ResourceType,
    namespace: string,
    predicate: (items: StoredObject[]) => boolean,
    timeoutMs = 5_000,
  ) =>
    new Promise<StoredObject[]>((resolve, reject) => {
      let unwatch = () => {};
      const timer = setTimeout(() => {
        unwatch();
        const items = store.list(type, namespace).items;
        reject(
          new Error(
            `timed out waiting on ${type.resource} in ${namespace}: ${JSON.stringify(items.map((i) => [i.metadata.name, i.status]))}`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        const items = store.list(type, namespace).items;
        if (predicate(items)) {
          clearTimeout(timer);
          unwatch();
          resolve(items);
          return true;
        }
        return false;
      };
      if (check()) return;
      // Checked on a later tick: the store may announce an event before its state reflects it.
      unwatch = store.watch(type, namespace, store.currentResourceVersion(), () => void setImmediate(check));
    });
  return {
    store,
    types,
    runtime,
    controllers,
    waitForList,
    async waitFor(type, namespace, name, predicate, timeoutMs) {
      let found: StoredObject | undefined;
      await waitForList(
        type,
        namespace,
        (items) => {
          found = items.find((i) => i.metadata.name === name);
          return predicate(found);
        },
        timeoutMs,
      );
      return found;
    },
    stop: () => controllers.stop(),
  };
}

/** A minimal container spec. */
export function container(
  name: string,
  image = "busybox:1.36",
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { name, image, ...extra };
}

export function podReady(pod: StoredObject | undefined): boolean {
  const conditions =
    (pod?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === "Ready" && c.status === "True");
}

export function phase(pod: StoredObject | undefined): string | undefined {
  return (pod?.status as { phase?: string } | undefined)?.phase;
}
