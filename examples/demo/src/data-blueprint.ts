/**
 * The data step's documents: a Kanister Blueprint that backs the database's journals up with
 * BackupData and restores them with RestoreData, and where its backups go. Paths of the Node binary
 * and the database script come in as `.Options` (the process runtime runs them as host processes).
 */
import { NAMESPACE, TOOLS_IMAGE } from "./manifests.js";
/** The bucket of the local S3 server the backups go to. */
export const BUCKET = "inventory-backups";
/** The Kanister Profile (and its credential Secret) pointing at that bucket. */
export const PROFILE = { namespace: NAMESPACE, name: "inventory-backups" } as const;
/** The Blueprint's name. */
export const DATA_BLUEPRINT = "inventory-db-data";

const freezeCommand = (verb: "freeze" | "thaw") => `
          - "{{ .Options.node }}"
          - "{{ .Options.script }}"
          - ${verb}
          - --data-dir=var/lib/inventory
          - --timeout-ms=5000`;

const backupPhase = (i: number) => `
      - func: BackupData
        name: backupPod${i}
        args:
          namespace: "{{ .StatefulSet.Namespace }}"
          pod: "{{ index .StatefulSet.Pods ${i} }}"
          container: tools
          includePath: /var/lib/inventory/journal.log
          backupArtifactPrefix: "{{ .Profile.Location.Bucket }}/inventory-db/{{ index .StatefulSet.Pods ${i} }}"`;

const restorePhase = (i: number) => `
      - func: RestoreData
        name: restorePod${i}
        args:
          namespace: "{{ .StatefulSet.Namespace }}"
          image: ${TOOLS_IMAGE}
          volumes:
            "data-{{ .ArtifactsIn.journals.KeyValue.pod${i} }}": /var/lib/inventory
          backupArtifactPrefix: "{{ .ArtifactsIn.journals.KeyValue.prefix }}/{{ .ArtifactsIn.journals.KeyValue.pod${i} }}"
          backupIdentifier: "{{ .ArtifactsIn.journals.KeyValue.id${i} }}"`;

/**
 * `backup`: freeze both pods (KubeExecAll on the `db` containers), back each pod's journal up with
 * BackupData in its `tools` sidecar into `<bucket>/inventory-db/<pod>`, thaw them as the
 * deferPhase (so a failed backup never leaves the database frozen); the pods and snapshot IDs go
 * out as the `journals` artifact. `restore`: scale to zero, RestoreData each pod's claim in a
 * one-off pod from its snapshot, scale back up as the deferPhase.
 */
export const dataBlueprintYaml = `
apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata:
  name: ${DATA_BLUEPRINT}
  namespace: ${NAMESPACE}
actions:
  backup:
    kind: StatefulSet
    outputArtifacts:
      journals:
        keyValue:
          prefix: "{{ .Profile.Location.Bucket }}/inventory-db"
          pod0: "{{ index .StatefulSet.Pods 0 }}"
          id0: "{{ .Phases.backupPod0.Output.backupID }}"
          pod1: "{{ index .StatefulSet.Pods 1 }}"
          id1: "{{ .Phases.backupPod1.Output.backupID }}"
    phases:
      - func: KubeExecAll
        name: freeze
        args:
          namespace: "{{ .StatefulSet.Namespace }}"
          pods: "{{ range .StatefulSet.Pods }}{{ . }} {{ end }}"
          containers: db
          command:${freezeCommand("freeze")}
${backupPhase(0)}
${backupPhase(1)}
    deferPhase:
      func: KubeExecAll
      name: thaw
      args:
        namespace: "{{ .StatefulSet.Namespace }}"
        pods: "{{ range .StatefulSet.Pods }}{{ . }} {{ end }}"
        containers: db
        command:${freezeCommand("thaw")}
  restore:
    kind: StatefulSet
    inputArtifactNames: [journals]
    phases:
      - func: ScaleWorkload
        name: scaleDown
        args:
          replicas: 0
${restorePhase(0)}
${restorePhase(1)}
    deferPhase:
      func: ScaleWorkload
      name: scaleUp
      args:
        replicas: "{{ .Phases.scaleDown.Output.originalReplicaCount }}"
`;
