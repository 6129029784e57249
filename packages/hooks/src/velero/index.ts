/** Velero hook declarations: schemas, the loader, and resolution into lifecycle-runner hook specs. */
export type { AnnotationIssue, VeleroAnnotationHooks } from "./annotations.js";
export { parseVeleroAnnotations, parseVeleroCommand, VELERO_ANNOTATION_PREFIXES } from "./annotations.js";
export type { PodChain, VeleroExecTarget } from "./exec-hook.js";
export { VeleroErrorCodes, veleroExecHookSpec } from "./exec-hook.js";
export { includedBy, matchesGlob, podsIncluded } from "./glob.js";
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
