/**
 * The example's documents, as a user would write them: the database (Kubernetes YAML), its freeze
 * and thaw hooks (KubeStash HookTemplates) and the snapshot Blueprint (Kanister). The only values
 * filled in at run time are host facts: where the Node binary and the database script are (the
 * local cluster's process runtime runs them as host processes) and the local CSI driver's name.
 */
import { resolve } from "node:path";

export const NAMESPACE = "shop";
export const DATABASE = "inventory-db";
export const CLAIM = "inventory-data";
export const SNAPSHOT_CLASS = "csi-local";
/** Where the database keeps its journal (the claim) and its control files (not on the claim). */
export const DATA_DIR = "var/lib/inventory";
export const CONTROL_DIR = "run/inventory";

/** The Node binary and the database script, as the documents refer to them. */
export interface HostPaths {
  node: string;
  script: string;
}

export function hostPaths(): HostPaths {
  return { node: process.execPath, script: resolve(import.meta.dirname, "database.mjs") };
}

const q = (value: string) => JSON.stringify(value);

/** The namespace, the claim, the database Deployment and the VolumeSnapshotClass of the CSI driver. */
export function workloadYaml(paths: HostPaths, csiDriver: string): string {
  return `
apiVersion: v1
kind: Namespace
metadata: { name: ${NAMESPACE} }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: ${CLAIM}, namespace: ${NAMESPACE} }
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 1Gi } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${DATABASE}, namespace: ${NAMESPACE} }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${DATABASE} } }
  template:
    metadata: { labels: { app: ${DATABASE} } }
    spec:
      volumes:
        - { name: data, persistentVolumeClaim: { claimName: ${CLAIM} } }
      containers:
        - name: db
          image: inventory-db:1.0
          command: [${q(paths.node)}, ${q(paths.script)}, serve, --data-dir=${DATA_DIR}, --control-dir=${CONTROL_DIR}]
          volumeMounts: [{ name: data, mountPath: /${DATA_DIR} }]
---
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshotClass
metadata: { name: ${SNAPSHOT_CLASS} }
driver: ${csiDriver}
deletionPolicy: Delete
`;
}

/** Where the database processes find Node and their control script (host paths). */
export interface ControlPaths {
  node: string;
  script: string;
}

/**
 * Pre-backup: freeze the database and wait until it acknowledges (it then holds new orders in
 * memory). KubeStash renders hook templates over its session summary only (no params), so the host
 * paths are written into the template.
 */
export const freezeTemplateYaml = (paths: ControlPaths) => `
apiVersion: core.kubestash.com/v1alpha1
kind: HookTemplate
metadata: { name: inventory-freeze, namespace: ${NAMESPACE} }
spec:
  usagePolicy:
    allowedNamespaces: { from: Same }
  action:
    exec:
      command: [${JSON.stringify(paths.node)}, ${JSON.stringify(paths.script)}, freeze, --control-dir=${CONTROL_DIR}]
    containerName: db
  executor:
    type: Pod
    pod:
      selector: app=${DATABASE}
      strategy: ExecuteOnAll
`;

/** Post-backup, whatever happened: lift the freeze; the held orders are written. */
export const thawTemplateYaml = (paths: ControlPaths) => `
apiVersion: core.kubestash.com/v1alpha1
kind: HookTemplate
metadata: { name: inventory-thaw, namespace: ${NAMESPACE} }
spec:
  action:
    exec:
      command: [${JSON.stringify(paths.node)}, ${JSON.stringify(paths.script)}, thaw, --control-dir=${CONTROL_DIR}]
    containerName: db
  executor:
    type: Pod
    pod:
      selector: app=${DATABASE}
      strategy: ExecuteOnAll
`;

/**
 * The snapshot Blueprint. \`snapshot\` runs while the database is frozen: a CSI VolumeSnapshot of
 * the Deployment's claim, its facts as an output artifact. \`restore-copy\` makes a new claim from
 * it and \`inspect-copy\` reads that claim in a one-off pod; \`delete\` removes the snapshot.
 */
export const blueprintYaml = `
apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata: { name: inventory-snapshots, namespace: ${NAMESPACE} }
actions:
  snapshot:
    kind: Deployment
    outputArtifacts:
      snapshotInfo:
        keyValue:
          name: "{{ .Phases.createSnapshot.Output.name }}"
          pvc: "{{ .Phases.createSnapshot.Output.pvc }}"
          namespace: "{{ .Phases.createSnapshot.Output.namespace }}"
          restoreSize: "{{ .Phases.createSnapshot.Output.restoreSize }}"
    phases:
      - func: CreateCSISnapshot
        name: createSnapshot
        args:
          pvc: "{{ (index .Object.spec.template.spec.volumes 0).persistentVolumeClaim.claimName }}"
          namespace: "{{ .Deployment.Namespace }}"
          snapshotClass: "{{ .Options.snapshotClass }}"
          labels:
            app: "{{ .Deployment.Name }}"
  restore-copy:
    inputArtifactNames: [snapshotInfo]
    phases:
      - func: RestoreCSISnapshot
        name: restoreCopy
        args:
          name: "{{ .ArtifactsIn.snapshotInfo.KeyValue.name }}"
          pvc: "{{ .Options.copyClaim }}"
          namespace: "{{ .ArtifactsIn.snapshotInfo.KeyValue.namespace }}"
          storageClass: standard
          restoreSize: "{{ .ArtifactsIn.snapshotInfo.KeyValue.restoreSize }}"
  inspect-copy:
    phases:
      - func: PrepareData
        name: inspect
        args:
          namespace: "{{ .Deployment.Namespace }}"
          image: inventory-db:1.0
          failOnError: true
          volumes:
            "{{ .Options.copyClaim }}": /mnt/copy
          command: ["{{ .Options.node }}", "{{ .Options.script }}", inspect, --data-dir=mnt/copy]
  delete:
    inputArtifactNames: [snapshotInfo]
    phases:
      - func: DeleteCSISnapshot
        name: deleteSnapshot
        args:
          name: "{{ .ArtifactsIn.snapshotInfo.KeyValue.name }}"
          namespace: "{{ .ArtifactsIn.snapshotInfo.KeyValue.namespace }}"
`;
