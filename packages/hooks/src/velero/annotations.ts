/** Velero's hook annotations on pods (and pod templates): parsed into the same exec hooks the specs declare. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { z } from "zod";
import { formatPath } from "../validation.js";
import {
  type VeleroBackupExec,
  type VeleroRestoreExec,
  veleroBackupExecSchema,
  veleroRestoreExecSchema,
} from "./schema.js";

/** The annotation prefixes Velero reads. */
export const VELERO_ANNOTATION_PREFIXES = {
  pre: "pre.hook.backup.velero.io/",
  post: "post.hook.backup.velero.io/",
  restore: "post.hook.restore.velero.io/",
  init: "init.hook.restore.velero.io/",
} as const;

/** The hooks a pod's annotations declare. */
export interface VeleroAnnotationHooks {
  pre?: VeleroBackupExec;
  post?: VeleroBackupExec;
  restore?: VeleroRestoreExec;
  /** `init.hook.restore.velero.io/*`: validated, but quiesce does not restore pods (see the README). */
  init?: { containerName?: string; containerImage?: string; command: string[] };
}

/** One problem found in a set of annotations. */
export interface AnnotationIssue {
  path: string;
  message: string;
}

const annotationPath = (base: string, key: string) => `${base}[${JSON.stringify(key)}]`;

/**
 * Velero's command annotation: a JSON array (`["/sbin/fsfreeze", "--freeze", "/var/log"]`) or one
 * plain command taken as a single argv element, exactly as Velero does (no shell splitting).
 */
export function parseVeleroCommand(value: string): string[] {
  const text = value.trim();
  if (!text.startsWith("[")) return [text];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `not a JSON array of strings: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  if (!Array.isArray(parsed) || parsed.some((a) => typeof a !== "string")) {
    throw new QuiesceError(ErrorCodes.VALIDATION, "expected a JSON array of strings");
  }
  return parsed as string[];
}

const KEYS = {
  pre: ["container", "command", "on-error", "timeout"],
  post: ["container", "command", "on-error", "timeout"],
  restore: ["container", "command", "on-error", "exec-timeout", "wait-timeout", "wait-for-ready"],
  init: ["container-image", "container-name", "command"],
} as const;

const FIELD: Record<string, string> = {
  container: "container",
  command: "command",
  "on-error": "onError",
  timeout: "timeout",
  "exec-timeout": "execTimeout",
  "wait-timeout": "waitTimeout",
  "wait-for-ready": "waitForReady",
};

/**
 * Reads Velero's hook annotations. `base` is the path of the annotations map in its document
 * (`spec.template.metadata.annotations`), so every issue names the exact annotation.
 *
 * @example
 * ```ts
 * const { hooks } = parseVeleroAnnotations({
 *   "pre.hook.backup.velero.io/container": "fsfreeze",
 *   "pre.hook.backup.velero.io/command": '["/sbin/fsfreeze", "--freeze", "/var/log/nginx"]',
 * });
 * hooks.pre; // { container: "fsfreeze", command: ["/sbin/fsfreeze", "--freeze", "/var/log/nginx"] }
 * ```
 */
export function parseVeleroAnnotations(
  annotations: Readonly<Record<string, string>> | undefined,
  base = "metadata.annotations",
): { hooks: VeleroAnnotationHooks; errors: AnnotationIssue[]; warnings: AnnotationIssue[] } {
  const hooks: VeleroAnnotationHooks = {};
  const errors: AnnotationIssue[] = [];
  const warnings: AnnotationIssue[] = [];
  const all = annotations ?? {};
  for (const set of ["pre", "post", "restore", "init"] as const) {
    const prefix = VELERO_ANNOTATION_PREFIXES[set];
    const present = Object.keys(all).filter((k) => k.startsWith(prefix));
    if (present.length === 0) continue;
    for (const key of present) {
      const suffix = key.slice(prefix.length);
      if (!(KEYS[set] as readonly string[]).includes(suffix)) {
        warnings.push({
          path: annotationPath(base, key),
          message: `unknown Velero annotation (known: ${KEYS[set].map((k) => prefix + k).join(", ")}); ignored`,
        });
      }
    }
    const commandKey = `${prefix}command`;
    const rawCommand = all[commandKey];
    if (rawCommand === undefined) {
      // Velero declares no hook without a command: the other annotations do nothing.
      warnings.push({
        path: annotationPath(base, present[0] as string),
        message: `${commandKey} is missing: Velero runs no ${set} hook for these annotations`,
      });
      continue;
    }
    let command: string[];
    try {
      command = parseVeleroCommand(rawCommand);
    } catch (err) {
      errors.push({ path: annotationPath(base, commandKey), message: (err as Error).message });
      continue;
    }
    if (set === "init") {
      const init: NonNullable<VeleroAnnotationHooks["init"]> = { command };
      const name = all[`${prefix}container-name`];
      const image = all[`${prefix}container-image`];
      if (name !== undefined) init.containerName = name;
      if (image !== undefined) init.containerImage = image;
      hooks.init = init;
      continue;
    }
    const raw: Record<string, unknown> = { command };
    for (const suffix of KEYS[set]) {
      const value = all[prefix + suffix];
      if (value === undefined || suffix === "command") continue;
      const field = FIELD[suffix] as string;
      if (suffix === "wait-for-ready") {
        raw[field] = value === "true" ? true : value === "false" ? false : value;
      } else raw[field] = value;
    }
    const schema: z.ZodType = set === "restore" ? veleroRestoreExecSchema : veleroBackupExecSchema;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? "command");
        const suffix = Object.entries(FIELD).find(([, f]) => f === field)?.[0] ?? field;
        const where = annotationPath(base, prefix + suffix);
        const more = issue.path.length > 1 ? formatPath(issue.path.slice(1)) : "";
        errors.push({ path: where, message: more ? `${more}: ${issue.message}` : issue.message });
      }
      continue;
    }
    if (set === "restore") hooks.restore = parsed.data as VeleroRestoreExec;
    else hooks[set] = parsed.data as VeleroBackupExec;
  }
  return { hooks, errors, warnings };
}
