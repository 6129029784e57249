/**
 * Deployment → ReplicaSets: one ReplicaSet per pod template (named by the template's hash), the
 * current one scaled to `spec.replicas` and older ones to 0 — at once for `Recreate`, once the new
 * pods are available for `RollingUpdate` — with the revision annotation and Available/Progressing
 * conditions.
 */
import type { Logger } from "@quiesce/core";
import type { ObjectStore, StoredObject } from "../api/seams.js";
import { type Controller, createController, ownedBy, withCondition, writeStatus } from "./controller.js";
import { recordEvent } from "./events.js";
import { type CoreTypes, field, ownerRefTo, stableHash, timestamp, tolerate } from "./util.js";

export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
export const TEMPLATE_HASH_LABEL = "pod-template-hash";

function revisionOf(rs: StoredObject): number {
  return Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0) || 0;
}

export function createDeploymentController(store: ObjectStore, types: CoreTypes, logger: Logger): Controller {
  const reconcile = (namespace: string, name: string) => {
    const deployment = store.get(types.deployments, namespace, name);
    if (!deployment || deployment.metadata.deletionTimestamp) return;
    const template = structuredClone(field<Record<string, unknown>>(deployment, "spec", "template") ?? {});
    const hash = stableHash(template);
    const replicas = field<number>(deployment, "spec", "replicas") ?? 1;
    const owned = ownedBy(store, types.replicasets, deployment);
    const maxRevision = owned.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
    let current = owned.find((rs) => rs.metadata.labels?.[TEMPLATE_HASH_LABEL] === hash);

    if (!current) {
      const meta = (template.metadata ?? {}) as { labels?: Record<string, string> };
      const labels = { ...(meta.labels ?? {}), [TEMPLATE_HASH_LABEL]: hash };
      const selector = field<{ matchLabels?: Record<string, string> }>(deployment, "spec", "selector") ?? {};
      current = tolerate(() =>
        store.create(types.replicasets, {
          apiVersion: "apps/v1",
          kind: "ReplicaSet",
          metadata: {
            name: `${name}-${hash}`,
            namespace,
            labels,
            annotations: {
              [REVISION_ANNOTATION]: String(maxRevision + 1),
              "deployment.kubernetes.io/desired-replicas": String(replicas),
            },
            ownerReferences: [ownerRefTo(deployment)],
          },
          spec: {
            replicas,
            selector: {
              ...selector,
              matchLabels: { ...(selector.matchLabels ?? {}), [TEMPLATE_HASH_LABEL]: hash },
            },
            template: { ...template, metadata: { ...meta, labels } },
          },
        }),
      );
      if (!current) return;
      recordEvent(
        store,
        types,
        deployment,
        "Normal",
        "ScalingReplicaSet",
        `Scaled up replica set ${current.metadata.name} to ${replicas}`,
        "deployment-controller",
      );
    } else {
      const rsName = current.metadata.name;
      const bump = revisionOf(current) < maxRevision; // rolled back to an older template
      if (field<number>(current, "spec", "replicas") !== replicas || bump) {
        current =
          tolerate(() =>
            store.mutate(types.replicasets, namespace, rsName, (rs) => {
              (rs.spec as Record<string, unknown>).replicas = replicas;
              if (bump)
                rs.metadata.annotations = {
                  ...(rs.metadata.annotations ?? {}),
                  [REVISION_ANNOTATION]: String(maxRevision + 1),
                };
            }),
          ) ?? current;
      }
    }
    // RollingUpdate (the default) keeps old pods serving until the new ReplicaSet is fully available;
    // Recreate retires them at once.
    const strategy = field<string>(deployment, "spec", "strategy", "type") ?? "RollingUpdate";
    const newAvailable = field<number>(current, "status", "availableReplicas") ?? 0;
    const retireOld = strategy === "Recreate" || newAvailable >= replicas;
    for (const old of owned) {
      if (!retireOld) break;
      if (old.metadata.uid === current.metadata.uid || field<number>(old, "spec", "replicas") === 0) continue;
      tolerate(() =>
        store.mutate(types.replicasets, namespace, old.metadata.name, (rs) => {
          (rs.spec as Record<string, unknown>).replicas = 0;
        }),
      );
      recordEvent(
        store,
        types,
        deployment,
        "Normal",
        "ScalingReplicaSet",
        `Scaled down replica set ${old.metadata.name} to 0`,
        "deployment-controller",
      );
    }

    const revision = String(revisionOf(current));
    if (deployment.metadata.annotations?.[REVISION_ANNOTATION] !== revision) {
      tolerate(() =>
        store.mutate(types.deployments, namespace, name, (d) => {
          d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [REVISION_ANNOTATION]: revision };
        }),
      );
    }
    const fresh = store.get(types.deployments, namespace, name);
    if (!fresh) return;
    const all = ownedBy(store, types.replicasets, fresh);
    const sum = (key: string, list = all) =>
      list.reduce((n, rs) => n + (field<number>(rs, "status", key) ?? 0), 0);
    const currentRs = all.find((rs) => rs.metadata.uid === current?.metadata.uid);
    const total = sum("replicas");
    const available = sum("availableReplicas");
    const updated = currentRs ? (field<number>(currentRs, "status", "replicas") ?? 0) : 0;
    const complete = updated === replicas && total === replicas && available === replicas;
    const now = timestamp();
    let conditions = withCondition(
      field<unknown>(fresh, "status", "conditions"),
      "Available",
      available >= replicas,
      available >= replicas ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
      available >= replicas
        ? "Deployment has minimum availability."
        : "Deployment does not have minimum availability.",
      now,
    );
    conditions = withCondition(
      conditions,
      "Progressing",
      true,
      complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
      complete
        ? `ReplicaSet "${current.metadata.name}" has successfully progressed.`
        : `ReplicaSet "${current.metadata.name}" is progressing.`,
      now,
    );
    writeStatus(store, types.deployments, fresh, {
      observedGeneration: fresh.metadata.generation,
      replicas: total,
      updatedReplicas: updated,
      readyReplicas: sum("readyReplicas"),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, total - available),
      conditions,
    });
  };
  return createController("deployment", store, types.deployments, [types.replicasets], reconcile, logger);
}
