/**
 * Kanister's functions as its validating webhook knows them: every function its `pkg/function`
 * package registers, with the argument names of its `Arguments()` and `RequiredArgs()` and whether
 * its `Validate()` checks `podLabels`/`podAnnotations` (ValidatePodLabelsAndAnnotations). These
 * decide Kanister's verdict on a Blueprint even for functions quiesce does not run.
 */

/** One Kanister function's signature, as pkg/function/<file>.go declares it. */
export interface KanisterSignature {
  /** `RequiredArgs()`: each must be present (any value). */
  readonly required: readonly string[];
  /** `Arguments()`: no other argument is accepted. */
  readonly args: readonly string[];
  /** `Validate()` runs ValidatePodLabelsAndAnnotations first. */
  readonly podMetadata?: boolean;
}

/** Kanister's registered functions, by name (all at version v0.0.0). */
export const KANISTER_FUNCTIONS: Readonly<Record<string, KanisterSignature>> = Object.freeze({
  // backup_data.go
  BackupData: {
    required: ["namespace", "pod", "container", "includePath", "backupArtifactPrefix"],
    args: [
      "namespace",
      "pod",
      "container",
      "includePath",
      "backupArtifactPrefix",
      "encryptionKey",
      "insecureTLS",
    ],
  },
  // backup_data_all.go
  BackupDataAll: {
    required: ["namespace", "container", "includePath", "backupArtifactPrefix"],
    args: [
      "namespace",
      "container",
      "includePath",
      "backupArtifactPrefix",
      "pods",
      "encryptionKey",
      "insecureTLS",
    ],
  },
  // backup_data_stats.go
  BackupDataStats: {
    required: ["namespace", "backupArtifactPrefix", "backupID"],
    args: [
      "namespace",
      "image",
      "backupArtifactPrefix",
      "backupID",
      "statsMode",
      "encryptionKey",
      "podOverride",
      "podAnnotations",
      "podLabels",
    ],
    podMetadata: true,
  },
  // checkRepository.go
  CheckRepository: {
    required: ["backupArtifactPrefix"],
    args: [
      "image",
      "backupArtifactPrefix",
      "encryptionKey",
      "insecureTLS",
      "podOverride",
      "podAnnotations",
      "podLabels",
    ],
    podMetadata: true,
  },
  // copy_volume_data.go
  CopyVolumeData: {
    required: ["namespace", "volume", "dataArtifactPrefix"],
    args: [
      "namespace",
      "image",
      "volume",
      "dataArtifactPrefix",
      "encryptionKey",
      "mountPath",
      "insecureTLS",
      "podOverride",
      "podAnnotations",
      "podLabels",
    ],
    podMetadata: true,
  },
  // create_csi_snapshot.go
  CreateCSISnapshot: {
    required: ["pvc", "namespace", "snapshotClass"],
    args: ["pvc", "namespace", "snapshotClass", "name", "labels"],
  },
  // create_csi_snapshot_static.go
  CreateCSISnapshotStatic: {
    required: ["name", "namespace", "driver", "snapshotHandle", "snapshotClass"],
    args: ["name", "namespace", "driver", "snapshotHandle", "snapshotClass"],
  },
  // create_rds_snapshot.go
  CreateRDSSnapshot: {
    required: ["instanceID"],
    args: ["instanceID", "dbEngine", "credentialsSource", "credentialsSecret", "region"],
  },
  // delete_csi_snapshot.go
  DeleteCSISnapshot: { required: ["name", "namespace"], args: ["name", "namespace"] },
  // delete_csi_snapshot_content.go
  DeleteCSISnapshotContent: { required: ["name"], args: ["name"] },
  // delete_data.go
  DeleteData: {
    required: ["namespace", "backupArtifactPrefix"],
    args: [
      "namespace",
      "image",
      "backupArtifactPrefix",
      "backupID",
      "backupTag",
      "encryptionKey",
      "reclaimSpace",
      "insecureTLS",
      "podOverride",
      "podAnnotations",
      "podLabels",
    ],
    podMetadata: true,
  },
  // delete_data_all.go
  DeleteDataAll: {
    required: ["namespace", "backupArtifactPrefix", "backupInfo"],
    args: [
      "namespace",
      "image",
      "backupArtifactPrefix",
      "backupInfo",
      "encryptionKey",
      "reclaimSpace",
      "insecureTLS",
      "podOverride",
      "podAnnotations",
      "podLabels",
    ],
    podMetadata: true,
  },
  // delete_rds_snapshot.go
  DeleteRDSSnapshot: {
    required: ["snapshotID"],
    args: ["snapshotID", "dbEngine", "credentialsSource", "credentialsSecret", "region"],
  },
  // export_rds_snapshot_location.go
  ExportRDSSnapshotToLocation: {
    required: ["namespace", "instanceID", "snapshotID", "dbEngine"],
    args: [
      "namespace",
      "instanceID",
      "snapshotID",
      "dbEngine",
      "username",
      "password",
      "backupArtifactPrefix",
      "databases",
      "securityGroupID",
      "dbSubnetGroup",
      "podAnnotations",
      "podLabels",
      "credentialsSource",
      "credentialsSecret",
      "region",
    ],
    podMetadata: true,
  },
  // kube_exec.go
  KubeExec: { required: ["namespace", "pod", "command"], args: ["namespace", "pod", "command", "container"] },
  // kube_exec_all.go
  KubeExecAll: {
    required: ["namespace", "pods", "containers", "command"],
    args: ["namespace", "pods", "containers", "command"],
  },
  // kubeops.go
  KubeOps: { required: ["operation"], args: ["spec", "operation", "namespace", "objectReference"] },
  // kube_task.go
  KubeTask: {
    required: ["image", "command"],
    args: ["image", "command", "namespace", "podOverride", "podAnnotations", "podLabels"],
    podMetadata: true,
  },
  // location_delete.go
  LocationDelete: { required: ["artifact"], args: ["artifact"] },
  // multi_container_run.go
  MultiContainerRun: {
    required: ["backgroundImage", "backgroundCommand", "outputImage", "outputCommand"],
    args: [
      "namespace",
      "initImage",
      "initCommand",
      "backgroundImage",
      "backgroundCommand",
      "outputImage",
      "outputCommand",
      "sharedVolumeMedium",
      "sharedVolumeSizeLimit",
      "sharedVolumeDir",
      "podOverride",
      "podLabels",
      "podAnnotations",
    ],
    podMetadata: true,
  },
  // prepare_data.go
  PrepareData: {
    required: ["namespace", "image", "command"],
    args: [
      "namespace",
      "image",
      "command",
      "volumes",
      "serviceaccount",
      "podOverride",
      "podAnnotations",
      "podLabels",
      "failOnError",
    ],
    podMetadata: true,
  },
  // restore_csi_snapshot.go
  RestoreCSISnapshot: {
    required: ["name", "pvc", "namespace", "storageClass", "restoreSize"],
    args: ["name", "pvc", "namespace", "storageClass", "restoreSize", "accessModes", "volumeMode", "labels"],
  },
  // restore_data.go
  RestoreData: {
    required: ["namespace", "image", "backupArtifactPrefix"],
    args: [
      "namespace",
      "image",
      "backupArtifactPrefix",
      "restorePath",
      "encryptionKey",
      "pod",
      "volumes",
      "backupTag",
      "backupIdentifier",
      "backupPath",
      "podOverride",
      "insecureTLS",
      "podAnnotations",
      "podLabels",
    ],
    podMetadata: true,
  },
  // restore_data_all.go
  RestoreDataAll: {
    required: ["namespace", "image", "backupArtifactPrefix", "backupInfo"],
    args: [
      "namespace",
      "image",
      "backupArtifactPrefix",
      "backupInfo",
      "restorePath",
      "encryptionKey",
      "pods",
      "podOverride",
      "insecureTLS",
      "podAnnotations",
      "podLabels",
    ],
    podMetadata: true,
  },
  // restore_rds_snapshot.go
  RestoreRDSSnapshot: {
    required: ["instanceID"],
    args: [
      "instanceID",
      "snapshotID",
      "dbEngine",
      "backupArtifactPrefix",
      "backupID",
      "username",
      "password",
      "namespace",
      "securityGroupID",
      "dbSubnetGroup",
      "podAnnotations",
      "podLabels",
      "credentialsSource",
      "credentialsSecret",
      "region",
    ],
    podMetadata: true,
  },
  // scale_workload.go
  ScaleWorkload: { required: ["replicas"], args: ["replicas", "namespace", "name", "kind", "waitForReady"] },
  // wait.go
  Wait: { required: ["timeout", "conditions"], args: ["timeout", "conditions"] },
  // waitv2.go
  WaitV2: { required: ["timeout", "conditions"], args: ["timeout", "conditions"] },
});
