/** Velero hook declarations: schemas, the loader, and resolution into lifecycle-runner hook specs. */
export type { AnnotationIssue, VeleroAnnotationHooks, VeleroAnnotationInit } from "./annotations.js";
export { parseVeleroAnnotations, parseVeleroCommand, VELERO_ANNOTATION_PREFIXES } from "./annotations.js";
export { globSetMatches, includedBy, matchesGlob, podsIncluded } from "./glob.js";
export type { AddVeleroInitContainersOptions } from "./init-containers.js";
export { addVeleroInitContainers, VELERO_RESTORE_WAIT_CONTAINER } from "./init-containers.js";
export type {
  LoadedVeleroHooks,
  VeleroAnnotated,
  VeleroBackupRule,
  VeleroHookSet,
  VeleroRestoreRule,
  VeleroScope,
  VeleroWarning,
} from "./load.js";
export { loadVeleroHooks } from "./load.js";
export type {
  ResolvedVeleroBackupHooks,
  ResolveVeleroBackupOptions,
  VeleroPlannedHook,
  VeleroPodWarning,
  VeleroSkippedPod,
} from "./resolve-backup.js";
export { resolveVeleroBackupHooks } from "./resolve-backup.js";
export type {
  ResolvedVeleroRestoreHooks,
  ResolveVeleroRestoreOptions,
  VeleroPlannedRestoreHook,
} from "./resolve-restore.js";
export { resolveVeleroRestoreHooks } from "./resolve-restore.js";
export type {
  VeleroBackupExec,
  VeleroBackupResourceHook,
  VeleroRestoreExec,
  VeleroRestoreInit,
  VeleroRestoreResourceHook,
} from "./schema.js";
export {
  VELERO_DEFAULTS,
  veleroBackupExecSchema,
  veleroBackupHookSchema,
  veleroBackupHooksSchema,
  veleroBackupResourceHookSchema,
  veleroBackupSchema,
  veleroDurationSchema,
  veleroOnErrorSchema,
  veleroRestoreExecSchema,
  veleroRestoreHookSchema,
  veleroRestoreHooksSchema,
  veleroRestoreInitSchema,
  veleroRestoreResourceHookSchema,
  veleroRestoreSchema,
} from "./schema.js";
export { selectorString } from "./selection.js";
export { VeleroErrorCodes } from "./velero-hook.js";
export type { VeleroExecHook, VeleroHookSpec } from "./velero-hook-spec.js";
