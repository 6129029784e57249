/** The `scale` subresource: an autoscaling/v1 Scale view of a workload's replicas. */
import type { StoredObject } from "../api/seams.js";
import { formatSelectorObject } from "../selectors/label-selector.js";

/** Builds the Scale object for a workload. */
export function scaleOf(object: StoredObject): Record<string, unknown> {
  const spec = (object.spec ?? {}) as {
    replicas?: number;
    selector?: Parameters<typeof formatSelectorObject>[0];
  };
  const status = (object.status ?? {}) as { replicas?: number };
  const m = object.metadata;
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: m.name,
      ...(m.namespace === undefined ? {} : { namespace: m.namespace }),
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 1 },
    status: {
      replicas: status.replicas ?? 0,
      selector: spec.selector ? formatSelectorObject(spec.selector) : "",
    },
  };
}

/** Reads `spec.replicas` from a Scale document. */
export function replicasFromScale(scale: unknown): number | undefined {
  const replicas = (scale as { spec?: { replicas?: unknown } } | undefined)?.spec?.replicas;
  return typeof replicas === "number" && Number.isInteger(replicas) ? replicas : undefined;
}
