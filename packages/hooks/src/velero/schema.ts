/**
 * Velero's hook declarations as zod schemas: `Backup.spec.hooks`, `Restore.spec.hooks`, and the
 * Backup/Restore documents around them (only the hook part is strict; the rest passes through).
 */
import { parseDuration } from "@quiesce/core";
import { z } from "zod";
import { labelSelectorSchema } from "../label-selector.js";

/**
 * A Go duration as Velero's `metav1.Duration` fields take it (`30s`, `1m30s`, `-1s`): what Go's
 * time.ParseDuration accepts, so a unit-less number (other than `0`) is an error. A negative one is
 * valid (the CRD's `type: string` takes it): Velero's exec then runs without a time limit
 * (pkg/podexec: a timer only for a positive timeout).
 */
export const veleroDurationSchema = z.string().superRefine((value, ctx) => {
  try {
    parseDuration(value);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: (err as Error).message });
  }
});

/**
 * `Fail` stops the pod's remaining hooks of the phase; `Continue` records the failure and goes on.
 * Unset behaves like Continue (Velero's code stops only on an explicit Fail, whatever its docs say).
 */
export const veleroOnErrorSchema = z.enum(["Fail", "Continue"]);

// YAML turns a key with only comments under it into null: Velero treats that as "none".
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish();
const names = list(z.string());

/** `spec.hooks.resources[].pre[].exec` / `post[].exec` of a Backup (ExecHook). */
export const veleroBackupExecSchema = z.strictObject({
  /** Default: the pod's first container. */
  container: z.string().min(1).optional(),
  command: z.array(z.string()).min(1, "exec.command needs at least one element (argv[0])"),
  onError: veleroOnErrorSchema.optional(),
  /** Default 30s. */
  timeout: veleroDurationSchema.optional(),
});

/** A Backup resource hook: only `exec` exists. */
export const veleroBackupHookSchema = z.strictObject({ exec: veleroBackupExecSchema });

const selectionShape = {
  name: z.string().min(1, "a resource hook needs a name"),
  includedNamespaces: names,
  excludedNamespaces: names,
  includedResources: names,
  excludedResources: names,
  labelSelector: labelSelectorSchema.nullish(),
};

/** `Backup.spec.hooks.resources[]` (BackupResourceHookSpec). */
export const veleroBackupResourceHookSchema = z.strictObject({
  ...selectionShape,
  pre: list(veleroBackupHookSchema),
  post: list(veleroBackupHookSchema),
});

/** `Backup.spec.hooks`. */
export const veleroBackupHooksSchema = z.strictObject({ resources: list(veleroBackupResourceHookSchema) });

/** `Restore.spec.hooks.resources[].postHooks[].exec` (ExecRestoreHook). */
export const veleroRestoreExecSchema = z.strictObject({
  container: z.string().min(1).optional(),
  command: z.array(z.string()).min(1, "exec.command needs at least one element (argv[0])"),
  onError: veleroOnErrorSchema.optional(),
  /** Default 30s. */
  execTimeout: veleroDurationSchema.optional(),
  /** Velero's default is to wait forever; quiesce bounds it (see VELERO_DEFAULTS.restoreWaitTimeout). */
  waitTimeout: veleroDurationSchema.optional(),
  waitForReady: z.boolean().optional(),
});

/**
 * `postHooks[].init` (InitRestoreHook): init containers added to restored pods. Each must have a
 * name, an image and a command (internal/hook/item_hook_handler.go ValidateContainer, which the
 * Restore controller runs before a restore starts); other Container fields pass through.
 */
export const veleroRestoreInitSchema = z.strictObject({
  initContainers: z.array(
    z.looseObject({
      name: z.string().min(1, "an init container needs a name"),
      image: z.string().min(1, "an init container needs an image"),
      command: z.array(z.string()).min(1, "an init container needs a command"),
    }),
  ),
  // No minimum: the CRD and the Restore controller's validation take an empty list (nothing added).
  timeout: veleroDurationSchema.optional(),
});

/**
 * One restore post hook (RestoreResourceHook): `exec`, `init`, or both — the CRD requires neither,
 * and Velero applies each that is there (the init containers when the pod is restored, the exec
 * hook once it runs); one with neither declares nothing (the loader warns).
 */
export const veleroRestoreHookSchema = z.strictObject({
  exec: veleroRestoreExecSchema.optional(),
  init: veleroRestoreInitSchema.optional(),
});

/** `Restore.spec.hooks.resources[]` (RestoreResourceHookSpec). */
export const veleroRestoreResourceHookSchema = z.strictObject({
  ...selectionShape,
  postHooks: list(veleroRestoreHookSchema),
});

/** `Restore.spec.hooks`. */
export const veleroRestoreHooksSchema = z.strictObject({ resources: list(veleroRestoreResourceHookSchema) });

const metadataSchema = z.looseObject({ name: z.string().optional(), namespace: z.string().optional() });

/** A `velero.io/v1` Backup: `spec.hooks` checked, every other field passed through untouched. */
export const veleroBackupSchema = z.looseObject({
  apiVersion: z.literal("velero.io/v1"),
  kind: z.literal("Backup"),
  metadata: metadataSchema.optional(),
  spec: z.looseObject({ hooks: veleroBackupHooksSchema.nullish() }).nullish(),
});

/** A `velero.io/v1` Restore: `spec.hooks` checked, every other field passed through untouched. */
export const veleroRestoreSchema = z.looseObject({
  apiVersion: z.literal("velero.io/v1"),
  kind: z.literal("Restore"),
  metadata: metadataSchema.optional(),
  spec: z.looseObject({ hooks: veleroRestoreHooksSchema.nullish() }).nullish(),
});

export type VeleroBackupExec = z.infer<typeof veleroBackupExecSchema>;
export type VeleroBackupResourceHook = z.infer<typeof veleroBackupResourceHookSchema>;
export type VeleroRestoreExec = z.infer<typeof veleroRestoreExecSchema>;
export type VeleroRestoreInit = z.infer<typeof veleroRestoreInitSchema>;
export type VeleroRestoreResourceHook = z.infer<typeof veleroRestoreResourceHookSchema>;

/** Velero's defaults, and the bound quiesce puts on Velero's unbounded wait. */
export const VELERO_DEFAULTS = {
  /** Backup exec hook `timeout` (Velero: 30s). */
  backupTimeout: "30s",
  /** Restore exec hook `execTimeout` (Velero: 30s). */
  restoreExecTimeout: "30s",
  /** Restore exec hook `waitTimeout`: Velero waits forever; quiesce waits at most this long. */
  restoreWaitTimeout: "10m",
} as const;
