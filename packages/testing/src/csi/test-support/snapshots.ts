/** Objects and waits shared by the volume snapshot tests. */
import type { KubeObject } from "@quiesce/kube";
import type { LocalCluster } from "../../local-cluster.js";
import { SNAPSHOT_API_VERSION, SNAPSHOT_GROUP } from "../crds.js";
import { LOCAL_CSI_DRIVER } from "../index.js";

export const VS = { group: SNAPSHOT_GROUP, version: "v1", resource: "volumesnapshots" } as const;
export const VSC = { group: SNAPSHOT_GROUP, version: "v1", resource: "volumesnapshotcontents" } as const;
export const VSCLASS = { group: SNAPSHOT_GROUP, version: "v1", resource: "volumesnapshotclasses" } as const;
export const PVC = { version: "v1", resource: "persistentvolumeclaims" } as const;

/** A VolumeSnapshotClass of the local driver. */
export function snapshotClass(
  name: string,
  deletionPolicy: "Delete" | "Retain" = "Delete",
  extra: { driver?: string; annotations?: Record<string, string> } = {},
): KubeObject {
  return {
    apiVersion: SNAPSHOT_API_VERSION,
    kind: "VolumeSnapshotClass",
    metadata: { name, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    driver: extra.driver ?? LOCAL_CSI_DRIVER,
    deletionPolicy,
  };
}

/** A claim, optionally restored from a VolumeSnapshot. */
export function claim(namespace: string, name: string, size = "1Gi", fromSnapshot?: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name, namespace },
    spec: {
      accessModes: ["ReadWriteOnce"],
      storageClassName: "local",
      resources: { requests: { storage: size } },
      ...(fromSnapshot
        ? { dataSource: { apiGroup: SNAPSHOT_GROUP, kind: "VolumeSnapshot", name: fromSnapshot } }
        : {}),
    },
  };
}

/** A dynamically provisioned VolumeSnapshot of `pvc`. */
export function snapshotOf(namespace: string, name: string, pvc: string, className?: string): KubeObject {
  return {
    apiVersion: SNAPSHOT_API_VERSION,
    kind: "VolumeSnapshot",
    metadata: { name, namespace },
    spec: {
      source: { persistentVolumeClaimName: pvc },
      ...(className === undefined ? {} : { volumeSnapshotClassName: className }),
    },
  };
}

export interface SnapshotStatusView {
  boundVolumeSnapshotContentName?: string;
  readyToUse?: boolean;
  creationTime?: string;
  restoreSize?: string;
  error?: { message?: string; time?: string };
}

export const statusOf = (o: KubeObject | undefined) => (o?.status ?? {}) as SnapshotStatusView;

/** Waits until a snapshot is ready to use; returns it. */
export async function waitReady(lc: LocalCluster, namespace: string, name: string): Promise<KubeObject> {
  const ready = await lc.cluster.waitFor({ ...VS, namespace, name }, (o) => statusOf(o).readyToUse === true, {
    timeoutMs: 10_000,
  });
  return ready!;
}

/** Waits until a claim is Bound. */
export async function waitBound(lc: LocalCluster, namespace: string, name: string): Promise<KubeObject> {
  const bound = await lc.cluster.waitFor(
    { ...PVC, namespace, name },
    (o) => (o?.status as { phase?: string } | undefined)?.phase === "Bound",
    { timeoutMs: 10_000 },
  );
  return bound!;
}

/** Reasons and messages of the Events about one object. */
export async function eventsAbout(lc: LocalCluster, namespace: string, name: string): Promise<string[]> {
  const { items } = await lc.cluster.list({ version: "v1", resource: "events", namespace });
  return items
    .filter((e) => (e.involvedObject as { name?: string }).name === name)
    .map((e) => `${e.reason as string}: ${e.message as string}`);
}
