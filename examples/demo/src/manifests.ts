/**
 * The demo's documents, as a user would write them: the workload (Kubernetes YAML), the backup
 * hooks (KubeStash HookTemplates) and the restore (a Kanister Blueprint). The only values filled in
 * at run time are host facts the YAML cannot know: where the Node binary and the database script
 * are (the process runtime runs them as host processes) and the port of the local webhook receiver.
 */
import { resolve } from "node:path";

/** The namespace, workload and labels the scenario works on. */
export const NAMESPACE = "shop";
export const DATABASE = "inventory-db";
export const DATABASE_SELECTOR = "app=inventory-db";
/** Where the database keeps its journal inside its container (a volumeClaimTemplate mount). */
export const DATA_MOUNT = "/var/lib/inventory";
export const CLAIM_TEMPLATE = "data";
/** The kanister-tools image: the database's sidecar (BackupData runs restic in it) and RestoreData's pods. */
export const TOOLS_IMAGE = "ghcr.io/kanisterio/kanister-tools:0.119.0";

/** The host facts the documents refer to. */
export interface HostPaths {
  /** The Node binary that runs the database and its control commands. */
  node: string;
  /** The database script (serve / freeze / thaw / restore). */
  script: string;
}

/** The Node binary running the demo and the database script next to this file. */
export function hostPaths(): HostPaths {
  return { node: process.execPath, script: resolve(import.meta.dirname, "database.mjs") };
}

/** YAML-quotes a string (JSON strings are valid YAML flow scalars). */
const q = (value: string) => JSON.stringify(value);

/**
 * The namespace and the two-replica database StatefulSet whose data lives in per-pod PVCs; each pod
 * has a kanister-tools sidecar mounting the same claim, as Kanister's BackupData expects.
 */
export function workloadYaml(paths: HostPaths): string {
  return `
apiVersion: v1
kind: Namespace
metadata:
  name: ${NAMESPACE}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${DATABASE}
  namespace: ${NAMESPACE}
spec:
  replicas: 2
  serviceName: ${DATABASE}
  selector:
    matchLabels: { app: ${DATABASE} }
  template:
    metadata:
      labels: { app: ${DATABASE} }
    spec:
      containers:
        - name: db
          image: inventory-db:1.0
          command: [${q(paths.node)}, ${q(paths.script)}, serve, --data-dir, ${DATA_MOUNT.slice(1)}]
          env:
            - name: POD_NAME
              valueFrom: { fieldRef: { fieldPath: metadata.name } }
          volumeMounts:
            - { name: ${CLAIM_TEMPLATE}, mountPath: ${DATA_MOUNT} }
        - name: tools
          image: ${TOOLS_IMAGE}
          command: [sh, -c, "tail -f /dev/null"]
          volumeMounts:
            - { name: ${CLAIM_TEMPLATE}, mountPath: ${DATA_MOUNT} }
  volumeClaimTemplates:
    - metadata: { name: ${CLAIM_TEMPLATE} }
      spec:
        accessModes: [ReadWriteOnce]
        resources: { requests: { storage: 1Gi } }
`;
}

/** Where the demo's database processes find Node and their control script (host paths). */
export interface DatabasePaths {
  node: string;
  script: string;
}

/**
 * Pre-backup: freeze every database pod and wait for its acknowledgement. The command is argv (no
 * shell). KubeStash renders templates over its session summary only (no params), so the host paths
 * are written into the template.
 */
export const freezeTemplateYaml = (paths: DatabasePaths) => `
apiVersion: core.kubestash.com/v1alpha1
kind: HookTemplate
metadata:
  name: inventory-freeze
  namespace: ${NAMESPACE}
spec:
  usagePolicy:
    allowedNamespaces: { from: Same }
  action:
    exec:
      command:
        - ${JSON.stringify(paths.node)}
        - ${JSON.stringify(paths.script)}
        - freeze
        - --data-dir=var/lib/inventory
        - --timeout-ms=5000
    containerName: db
  executor:
    type: Pod
    pod:
      selector: ${DATABASE_SELECTOR}
      strategy: ExecuteOnAll
`;

/** Post-backup: lift the freeze on every pod, whatever happened to the backup. */
export const thawTemplateYaml = (paths: DatabasePaths) => `
apiVersion: core.kubestash.com/v1alpha1
kind: HookTemplate
metadata:
  name: inventory-thaw
  namespace: ${NAMESPACE}
spec:
  action:
    exec:
      command: [${JSON.stringify(paths.node)}, ${JSON.stringify(paths.script)}, thaw, --data-dir=var/lib/inventory]
    containerName: db
  executor:
    type: Pod
    pod:
      selector: ${DATABASE_SELECTOR}
      strategy: ExecuteOnAll
`;

/** Post-backup, on failure only: tell the on-call webhook, from the operator (the host itself). */
export function notifyTemplateYaml(webhookPort: number): string {
  return `
apiVersion: core.kubestash.com/v1alpha1
kind: HookTemplate
metadata:
  name: backup-failed-webhook
  namespace: ${NAMESPACE}
spec:
  action:
    httpPost:
      host: 127.0.0.1
      port: ${webhookPort}
      path: /hooks/backup-failed
      scheme: HTTP
      httpHeaders:
        - { name: Content-Type, value: application/json }
      body: |
        {
          "session": {{ toJson .Name }},
          "namespace": {{ toJson .Namespace }},
          "target": {{ printf "%s/%s" .Target.Kind .Target.Name | toJson }},
          "phase": {{ toJson .Status.Phase }},
          "error": {{ toJson .Status.Error }}
        }
  executor:
    type: Operator
`;
}

/**
 * The restore: scale the database to zero, copy the backup into its claims with a one-off pod, and
 * (as the deferPhase, so it happens even if the copy fails) scale it back to what it was.
 */
export const restoreBlueprintYaml = `
apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata:
  name: inventory-db
  namespace: ${NAMESPACE}
actions:
  restore:
    kind: StatefulSet
    phases:
      - func: ScaleWorkload
        name: scaleDown
        args:
          replicas: 0
      - func: PrepareData
        name: restoreData
        args:
          namespace: "{{ .StatefulSet.Namespace }}"
          image: inventory-db:1.0
          failOnError: true
          command:
            - "{{ .Options.node }}"
            - "{{ .Options.script }}"
            - restore
            - "--from={{ .Options.backupDir }}"
            - --into=mnt/prepare_data
    deferPhase:
      func: ScaleWorkload
      name: scaleUp
      args:
        replicas: "{{ .Phases.scaleDown.Output.originalReplicaCount }}"
`;
