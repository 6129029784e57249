/** ReplicaSet → Pods: keeps `spec.replicas` active pods from the template, deleting the newest first on scale-down. */
import type { Logger } from "@quiesce/core";
import type { ObjectStore, StoredObject } from "../api/seams.js";
import { type Controller, createController, ownedBy, writeStatus } from "./controller.js";
import { recordEvent } from "./events.js";
import {
  type CoreTypes,
  field,
  isPodActive,
  isPodReady,
  newestFirst,
  ownerRefTo,
  randomSuffix,
  tolerate,
} from "./util.js";

interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

/** A pod for `owner` built from its template (shared with the Job controller). */
export function podFromTemplate(
  owner: StoredObject,
  name: string,
  extraLabels: Record<string, string> = {},
): Omit<StoredObject, "metadata"> & { metadata: Partial<StoredObject["metadata"]> } {
  const template = structuredClone(field<PodTemplate>(owner, "spec", "template") ?? {});
  const metadata: Partial<StoredObject["metadata"]> = {
    name,
    namespace: owner.metadata.namespace ?? "default",
    labels: { ...(template.metadata?.labels ?? {}), ...extraLabels },
    ownerReferences: [ownerRefTo(owner)],
  };
  if (template.metadata?.annotations) metadata.annotations = template.metadata.annotations;
  return { apiVersion: "v1", kind: "Pod", metadata, spec: template.spec ?? { containers: [] } };
}

export function createReplicaSetController(store: ObjectStore, types: CoreTypes, logger: Logger): Controller {
  const reconcile = (namespace: string, name: string) => {
    const rs = store.get(types.replicasets, namespace, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const pods = ownedBy(store, types.pods, rs);
    const active = pods.filter(isPodActive);
    const wanted = field<number>(rs, "spec", "replicas") ?? 1;
    if (active.length < wanted) {
      for (let i = active.length; i < wanted; i++) {
        const pod = tolerate(() =>
          store.create(types.pods, podFromTemplate(rs, `${name}-${randomSuffix()}`)),
        );
        if (pod)
          recordEvent(
            store,
            types,
            rs,
            "Normal",
            "SuccessfulCreate",
            `Created pod: ${pod.metadata.name}`,
            "replicaset-controller",
          );
      }
    } else if (active.length > wanted) {
      // Not-ready pods go first, then the newest (what users expect from a scale-down).
      const victims = [...active]
        .sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b)) || newestFirst(a, b))
        .slice(0, active.length - wanted);
      for (const pod of victims) {
        tolerate(() => store.delete(types.pods, namespace, pod.metadata.name));
        recordEvent(
          store,
          types,
          rs,
          "Normal",
          "SuccessfulDelete",
          `Deleted pod: ${pod.metadata.name}`,
          "replicaset-controller",
        );
      }
    }
    const live = ownedBy(store, types.pods, rs).filter(isPodActive);
    const ready = live.filter(isPodReady).length;
    writeStatus(store, types.replicasets, rs, {
      replicas: live.length,
      fullyLabeledReplicas: live.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation,
    });
  };
  return createController("replicaset", store, types.replicasets, [types.pods], reconcile, logger);
}
