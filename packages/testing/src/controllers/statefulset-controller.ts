/**
 * StatefulSet → ordered pods `<name>-0..n-1` with PVCs from volumeClaimTemplates
 * (`<template>-<name>-<ordinal>`, created once, kept on scale-down). OrderedReady: the next pod is
 * created when the previous one is Ready; scale-down removes the highest ordinal first, one at a time.
 * A template change replaces pods from the highest ordinal down (RollingUpdate).
 */
import type { Logger } from "@quiesce/core";
import type { ObjectStore, StoredObject } from "../api/seams.js";
import { type Controller, createController, ownedBy, writeStatus } from "./controller.js";
import { recordEvent } from "./events.js";
import { type CoreTypes, field, isPodReady, ownerRefTo, stableHash, tolerate } from "./util.js";

export const REVISION_LABEL = "controller-revision-hash";

interface ClaimTemplate {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

function ordinalOf(setName: string, pod: StoredObject): number | undefined {
  const name = pod.metadata.name;
  if (!name.startsWith(`${setName}-`)) return undefined;
  const n = Number(name.slice(setName.length + 1));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

export function createStatefulSetController(
  store: ObjectStore,
  types: CoreTypes,
  logger: Logger,
): Controller {
  const ensureClaims = (set: StoredObject, ordinal: number) => {
    const namespace = set.metadata.namespace ?? "default";
    const selectorLabels = field<Record<string, string>>(set, "spec", "selector", "matchLabels") ?? {};
    for (const template of field<ClaimTemplate[]>(set, "spec", "volumeClaimTemplates") ?? []) {
      const claim = `${template.metadata?.name}-${set.metadata.name}-${ordinal}`;
      if (store.get(types.pvcs, namespace, claim)) continue;
      const metadata: Partial<StoredObject["metadata"]> = {
        name: claim,
        namespace,
        labels: { ...selectorLabels, ...(template.metadata?.labels ?? {}) },
      };
      if (template.metadata?.annotations) metadata.annotations = template.metadata.annotations;
      tolerate(() =>
        store.create(types.pvcs, {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          metadata,
          spec: structuredClone(template.spec ?? {}),
        }),
      );
      recordEvent(
        store,
        types,
        set,
        "Normal",
        "SuccessfulCreate",
        `create Claim ${claim} Pod ${set.metadata.name}-${ordinal} in StatefulSet ${set.metadata.name} success`,
        "statefulset-controller",
      );
    }
  };

  const newPod = (set: StoredObject, ordinal: number, revision: string) => {
    const name = `${set.metadata.name}-${ordinal}`;
    const template = structuredClone(field<Record<string, unknown>>(set, "spec", "template") ?? {}) as {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec?: Record<string, unknown>;
    };
    const spec: Record<string, unknown> = template.spec ?? { containers: [] };
    const claims = (field<ClaimTemplate[]>(set, "spec", "volumeClaimTemplates") ?? []).map(
      (t) => t.metadata?.name ?? "",
    );
    const volumes = ((spec.volumes as { name: string }[] | undefined) ?? []).filter(
      (v) => !claims.includes(v.name),
    );
    for (const claim of claims)
      volumes.push({ name: claim, persistentVolumeClaim: { claimName: `${claim}-${name}` } } as {
        name: string;
      });
    if (volumes.length > 0) spec.volumes = volumes;
    spec.hostname = name;
    const serviceName = field<string>(set, "spec", "serviceName");
    if (serviceName) spec.subdomain = serviceName;
    const metadata: Partial<StoredObject["metadata"]> = {
      name,
      namespace: set.metadata.namespace ?? "default",
      labels: {
        ...(template.metadata?.labels ?? {}),
        [REVISION_LABEL]: revision,
        "statefulset.kubernetes.io/pod-name": name,
        "apps.kubernetes.io/pod-index": String(ordinal),
      },
      ownerReferences: [ownerRefTo(set)],
    };
    if (template.metadata?.annotations) metadata.annotations = template.metadata.annotations;
    return { apiVersion: "v1", kind: "Pod", metadata, spec };
  };

  const reconcile = (namespace: string, name: string) => {
    const set = store.get(types.statefulsets, namespace, name);
    if (!set || set.metadata.deletionTimestamp) return;
    const replicas = field<number>(set, "spec", "replicas") ?? 1;
    const ordered = field<string>(set, "spec", "podManagementPolicy") !== "Parallel";
    const revision = `${name}-${stableHash(field(set, "spec", "template") ?? {})}`;
    const pods = new Map<number, StoredObject>();
    for (const pod of ownedBy(store, types.pods, set)) {
      const ordinal = ordinalOf(name, pod);
      if (ordinal !== undefined) pods.set(ordinal, pod);
    }

    let blocked = false;
    for (let ordinal = 0; ordinal < replicas && !blocked; ordinal++) {
      const pod = pods.get(ordinal);
      if (!pod) {
        ensureClaims(set, ordinal);
        const created = tolerate(() => store.create(types.pods, newPod(set, ordinal, revision)));
        if (created) {
          pods.set(ordinal, created);
          recordEvent(
            store,
            types,
            set,
            "Normal",
            "SuccessfulCreate",
            `create Pod ${created.metadata.name} in StatefulSet ${name} successful`,
            "statefulset-controller",
          );
        }
        blocked = ordered;
        continue;
      }
      const phase = field<string>(pod, "status", "phase");
      if ((phase === "Failed" || phase === "Succeeded") && !pod.metadata.deletionTimestamp) {
        // A terminated pod is replaced under the same name.
        tolerate(() => store.delete(types.pods, namespace, pod.metadata.name));
        blocked = ordered;
        continue;
      }
      if (ordered && !isPodReady(pod)) blocked = true;
    }

    // Scale down: highest ordinal first; with OrderedReady one at a time.
    const surplus = [...pods.entries()].filter(([ordinal]) => ordinal >= replicas).sort(([a], [b]) => b - a);
    if (!blocked || !ordered) {
      for (const [, pod] of surplus) {
        if (pod.metadata.deletionTimestamp) {
          if (ordered) break;
          continue;
        }
        tolerate(() => store.delete(types.pods, namespace, pod.metadata.name));
        recordEvent(
          store,
          types,
          set,
          "Normal",
          "SuccessfulDelete",
          `delete Pod ${pod.metadata.name} in StatefulSet ${name} successful`,
          "statefulset-controller",
        );
        if (ordered) break;
      }
    }

    // Rolling update: once every wanted pod is up and Ready, replace the highest outdated one.
    const wanted = [...pods.entries()].filter(([ordinal]) => ordinal < replicas);
    const settled =
      surplus.length === 0 && wanted.length === replicas && wanted.every(([, p]) => isPodReady(p));
    if (settled && field<string>(set, "spec", "updateStrategy", "type") !== "OnDelete") {
      const outdated = wanted
        .filter(([, p]) => p.metadata.labels?.[REVISION_LABEL] !== revision)
        .sort(([a], [b]) => b - a)[0];
      if (outdated) tolerate(() => store.delete(types.pods, namespace, outdated[1].metadata.name));
    }

    // As in Kubernetes, replicas counts every created pod, terminating ones included.
    const created = ownedBy(store, types.pods, set);
    const live = created.filter((p) => !p.metadata.deletionTimestamp);
    const ready = live.filter(isPodReady).length;
    const updated = live.filter((p) => p.metadata.labels?.[REVISION_LABEL] === revision).length;
    writeStatus(store, types.statefulsets, set, {
      observedGeneration: set.metadata.generation,
      replicas: created.length,
      readyReplicas: ready,
      availableReplicas: ready,
      currentReplicas: updated,
      updatedReplicas: updated,
      currentRevision: revision,
      updateRevision: revision,
      collisionCount: 0,
    });
  };
  return createController("statefulset", store, types.statefulsets, [types.pods], reconcile, logger);
}
