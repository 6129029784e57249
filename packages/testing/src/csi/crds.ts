/**
 * The CustomResourceDefinitions of the Kubernetes volume snapshot API (`snapshot.storage.k8s.io/v1`:
 * VolumeSnapshot, VolumeSnapshotContent, VolumeSnapshotClass), with the names, scopes, short names,
 * status subresources and printer columns of external-snapshotter's client/config/crd manifests.
 * The schemas keep unknown fields; the rules those manifests state in CEL are checked by
 * `snapshotSpecCauses` (validation.ts) on writes from clients.
 */
import type { Manifest } from "../apply.js";

/** The API group of volume snapshots. */
export const SNAPSHOT_GROUP = "snapshot.storage.k8s.io";
/** The one version the local cluster serves (Kanister's snapshotter speaks only v1). */
export const SNAPSHOT_VERSION = "v1";
export const SNAPSHOT_API_VERSION = `${SNAPSHOT_GROUP}/${SNAPSHOT_VERSION}`;

interface Column {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
}

function crd(
  plural: string,
  kind: string,
  scope: "Namespaced" | "Cluster",
  shortNames: string[],
  columns: Column[],
  status: boolean,
): Manifest {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: `${plural}.${SNAPSHOT_GROUP}`,
      annotations: {
        "api-approved.kubernetes.io": "https://github.com/kubernetes-csi/external-snapshotter/pull/814",
      },
    },
    spec: {
      group: SNAPSHOT_GROUP,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), shortNames },
      scope,
      versions: [
        {
          name: SNAPSHOT_VERSION,
          served: true,
          storage: true,
          additionalPrinterColumns: [
            ...columns,
            { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
          ],
          schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
          ...(status ? { subresources: { status: {} } } : {}),
        },
      ],
    },
  };
}

/** The three snapshot CRDs, as `kubectl apply` of external-snapshotter's manifests would create them. */
export function snapshotCrds(): Manifest[] {
  return [
    crd(
      "volumesnapshotclasses",
      "VolumeSnapshotClass",
      "Cluster",
      ["vsclass", "vsclasses"],
      [
        { name: "Driver", type: "string", jsonPath: ".driver" },
        { name: "DeletionPolicy", type: "string", jsonPath: ".deletionPolicy" },
      ],
      false,
    ),
    crd(
      "volumesnapshotcontents",
      "VolumeSnapshotContent",
      "Cluster",
      ["vsc", "vscs"],
      [
        { name: "ReadyToUse", type: "boolean", jsonPath: ".status.readyToUse" },
        { name: "RestoreSize", type: "integer", jsonPath: ".status.restoreSize" },
        { name: "DeletionPolicy", type: "string", jsonPath: ".spec.deletionPolicy" },
        { name: "Driver", type: "string", jsonPath: ".spec.driver" },
        { name: "VolumeSnapshotClass", type: "string", jsonPath: ".spec.volumeSnapshotClassName" },
        { name: "VolumeSnapshot", type: "string", jsonPath: ".spec.volumeSnapshotRef.name" },
        { name: "VolumeSnapshotNamespace", type: "string", jsonPath: ".spec.volumeSnapshotRef.namespace" },
      ],
      true,
    ),
    crd(
      "volumesnapshots",
      "VolumeSnapshot",
      "Namespaced",
      ["vs"],
      [
        { name: "ReadyToUse", type: "boolean", jsonPath: ".status.readyToUse" },
        { name: "SourcePVC", type: "string", jsonPath: ".spec.source.persistentVolumeClaimName" },
        { name: "SourceSnapshotContent", type: "string", jsonPath: ".spec.source.volumeSnapshotContentName" },
        { name: "RestoreSize", type: "string", jsonPath: ".status.restoreSize" },
        { name: "SnapshotClass", type: "string", jsonPath: ".spec.volumeSnapshotClassName" },
        { name: "SnapshotContent", type: "string", jsonPath: ".status.boundVolumeSnapshotContentName" },
        { name: "CreationTime", type: "date", jsonPath: ".status.creationTime" },
      ],
      true,
    ),
  ];
}
