/** DaemonSet → one pod on the local cluster's single node, replaced when its template changes. */
import type { Logger } from "@quiesce/core";
import type { ObjectStore } from "../api/seams.js";
import { type Controller, createController, ownedBy, writeStatus } from "./controller.js";
import { recordEvent } from "./events.js";
import { podFromTemplate } from "./replicaset-controller.js";
import { type CoreTypes, isPodActive, isPodReady, randomSuffix, stableHash, tolerate } from "./util.js";

const REVISION_LABEL = "controller-revision-hash";

export function createDaemonSetController(
  store: ObjectStore,
  types: CoreTypes,
  logger: Logger,
): Controller | undefined {
  const daemonsets = store.typeFor("apps", "v1", "daemonsets");
  if (!daemonsets) return undefined;
  const reconcile = (namespace: string, name: string) => {
    const set = store.get(daemonsets, namespace, name);
    if (!set || set.metadata.deletionTimestamp) return;
    const revision = stableHash((set.spec as { template?: unknown } | undefined)?.template ?? {});
    const pods = ownedBy(store, types.pods, set);
    const active = pods.filter(isPodActive);
    for (const stale of active.filter((p) => p.metadata.labels?.[REVISION_LABEL] !== revision)) {
      tolerate(() => store.delete(types.pods, namespace, stale.metadata.name));
    }
    // Terminated pods are replaced, like the node's daemon would be restarted.
    for (const ended of pods.filter((p) => !isPodActive(p) && !p.metadata.deletionTimestamp)) {
      tolerate(() => store.delete(types.pods, namespace, ended.metadata.name));
    }
    const current = active.filter((p) => p.metadata.labels?.[REVISION_LABEL] === revision);
    const stillTerminating = pods.some((p) => p.metadata.deletionTimestamp);
    if (current.length === 0 && !stillTerminating) {
      const pod = tolerate(() =>
        store.create(
          types.pods,
          podFromTemplate(set, `${name}-${randomSuffix()}`, { [REVISION_LABEL]: revision }),
        ),
      );
      if (pod)
        recordEvent(
          store,
          types,
          set,
          "Normal",
          "SuccessfulCreate",
          `Created pod: ${pod.metadata.name}`,
          "daemonset-controller",
        );
    }
    const live = ownedBy(store, types.pods, set).filter(isPodActive);
    const ready = live.filter(isPodReady).length;
    const updated = live.filter((p) => p.metadata.labels?.[REVISION_LABEL] === revision).length;
    writeStatus(store, daemonsets, set, {
      desiredNumberScheduled: 1,
      currentNumberScheduled: Math.min(1, live.length),
      numberMisscheduled: 0,
      numberReady: ready,
      numberAvailable: ready,
      numberUnavailable: Math.max(0, 1 - ready),
      updatedNumberScheduled: updated,
      observedGeneration: set.metadata.generation,
    });
  };
  return createController("daemonset", store, daemonsets, [types.pods], reconcile, logger);
}
