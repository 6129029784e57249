/** KubeStash hook references (`spec.hooks.preBackup[]` & co.) and a loader for the documents that carry them. */
import { parseDuration } from "@quiesce/core";
import { runtimeSettingsSchema } from "@quiesce/executors";
import { z } from "zod";
import type { HookInvoker } from "./hook-invoker.js";
import { parseYamlDocument } from "./hook-template.js";
import { parseWith } from "./validation.js";
import { variableSchema } from "./variables.js";

/** A Go duration string such as `30s`; a unit-less number (`30`) is rejected. */
export const durationStringSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    parseDuration(String(value));
    return String(value);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: (err as Error).message });
    return z.NEVER;
  }
});

/** One hook reference (KubeStash HookInfo). */
export const hookReferenceSchema = z.strictObject({
  name: z.string().min(1),
  hookTemplate: z.strictObject({ name: z.string().min(1), namespace: z.string().min(1).optional() }),
  params: z.record(z.string(), z.unknown()).optional(),
  maxRetry: z.number().int().min(0).optional(),
  timeout: durationStringSchema.optional(),
  executionPolicy: z.enum(["Always", "OnSuccess", "OnFailure"]).optional(),
  variables: z.array(variableSchema).optional(),
  volumes: z.array(z.looseObject({ name: z.string().min(1) })).optional(),
  volumeMounts: z.array(z.looseObject({ name: z.string().min(1), mountPath: z.string().min(1) })).optional(),
  /** Function executor only: the hook Job's runtime settings (offshoot-api RuntimeSettings `pod`/`container`). */
  runtimeSettings: runtimeSettingsSchema.optional(),
});

/** A validated hook reference. */
export type HookReference = z.infer<typeof hookReferenceSchema>;
/** What a host may pass as a reference (before validation: `timeout` may still be any duration string). */
export type HookReferenceInput = z.input<typeof hookReferenceSchema>;
/** When a post hook runs relative to the outcome of the step. */
export type ExecutionPolicy = NonNullable<HookReference["executionPolicy"]>;

/**
 * Validates one hook reference; a `QUIESCE_VALIDATION` error names the path (`timeout`,
 * `hookTemplate.name`, …), prefixed with `path` when given.
 */
export function parseHookReference(input: unknown, path = ""): HookReference {
  return parseWith(hookReferenceSchema, input, "hook reference", path);
}

/** The hooks of one backup session (or of a RestoreSession). */
export interface HookSet {
  /** The session name (BackupConfiguration `spec.sessions[].name`, or the RestoreSession's name). */
  session: string;
  /** preBackup or preRestore references, in order. */
  pre: HookReference[];
  /** postBackup or postRestore references, in order. */
  post: HookReference[];
}

/** What {@link loadHookReferences} found in a document. */
export interface LoadedHookReferences {
  kind: "BackupConfiguration" | "RestoreSession";
  name: string;
  namespace: string | undefined;
  /** The document as KubeStash's `.Invoker` (pass it as runWithHooks' `invoker`). */
  invoker: HookInvoker;
  /** `spec.target` (apiGroup, kind, name, namespace) when the document has one. */
  target: { apiGroup?: string; kind: string; name: string; namespace?: string } | undefined;
  sets: HookSet[];
  /** Suspicious but loadable things, e.g. a hook named `pre-…` declared under `postRestore`. */
  warnings: string[];
}

const targetSchema = z.looseObject({
  apiGroup: z.string().optional(),
  kind: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().optional(),
});

const backupHooksSchema = z.strictObject({
  preBackup: z.array(hookReferenceSchema).optional(),
  postBackup: z.array(hookReferenceSchema).optional(),
});
const restoreHooksSchema = z.strictObject({
  preRestore: z.array(hookReferenceSchema).optional(),
  postRestore: z.array(hookReferenceSchema).optional(),
});

// Only the parts quiesce uses are modelled; the rest of these documents belongs to KubeStash.
const backupConfigurationSchema = z.looseObject({
  apiVersion: z.literal("core.kubestash.com/v1alpha1"),
  kind: z.literal("BackupConfiguration"),
  metadata: z.looseObject({ name: z.string().min(1), namespace: z.string().optional() }),
  spec: z.looseObject({
    target: targetSchema.optional(),
    sessions: z
      .array(z.looseObject({ name: z.string().min(1), hooks: backupHooksSchema.optional() }))
      .optional(),
  }),
});
const restoreSessionSchema = z.looseObject({
  apiVersion: z.literal("core.kubestash.com/v1alpha1"),
  kind: z.literal("RestoreSession"),
  metadata: z.looseObject({ name: z.string().min(1), namespace: z.string().optional() }),
  spec: z.looseObject({ target: targetSchema.optional(), hooks: restoreHooksSchema.optional() }),
});

/**
 * Extracts the hook references of a KubeStash BackupConfiguration (one {@link HookSet} per
 * session) or RestoreSession (one set). Each reference is validated with its path
 * (`spec.sessions[0].hooks.preBackup[1].timeout`). A hook whose name says the opposite phase of
 * the list it sits in (`pre-hook` under `postRestore`) is loaded as declared and reported in
 * `warnings`, because the document, not the name, decides when it runs.
 *
 * @example
 * ```ts
 * const { sets, warnings } = loadHookReferences(readFileSync("backupconfiguration.yaml", "utf8"));
 * for (const set of sets) console.log(set.session, set.pre.map((h) => h.name));
 * ```
 */
export function loadHookReferences(source: string | unknown): LoadedHookReferences {
  const doc = typeof source === "string" ? parseYamlDocument(source, "hook document") : source;
  const kind = (doc as { kind?: unknown } | null)?.kind;
  const warnings: string[] = [];
  if (kind === "RestoreSession") {
    const rs = parseWith(restoreSessionSchema, doc, "RestoreSession");
    const hooks = rs.spec.hooks ?? {};
    const set: HookSet = {
      session: rs.metadata.name,
      pre: hooks.preRestore ?? [],
      post: hooks.postRestore ?? [],
    };
    warnAboutNames(set, "spec.hooks", "preRestore", "postRestore", warnings);
    return {
      kind: "RestoreSession",
      name: rs.metadata.name,
      namespace: rs.metadata.namespace,
      invoker: invokerOf("RestoreSession", rs.metadata),
      target: cleanTarget(rs.spec.target),
      sets: [set],
      warnings,
    };
  }
  const bc = parseWith(backupConfigurationSchema, doc, "BackupConfiguration (or RestoreSession)");
  const sets = (bc.spec.sessions ?? []).map((session, i) => {
    const set: HookSet = {
      session: session.name,
      pre: session.hooks?.preBackup ?? [],
      post: session.hooks?.postBackup ?? [],
    };
    warnAboutNames(set, `spec.sessions[${i}].hooks`, "preBackup", "postBackup", warnings);
    return set;
  });
  return {
    kind: "BackupConfiguration",
    name: bc.metadata.name,
    namespace: bc.metadata.namespace,
    invoker: invokerOf("BackupConfiguration", bc.metadata),
    target: cleanTarget(bc.spec.target),
    sets,
    warnings,
  };
}

function invokerOf(kind: string, metadata: { name: string; namespace?: string | undefined }): HookInvoker {
  const invoker: HookInvoker = { apiGroup: "core.kubestash.com", kind, name: metadata.name };
  if (metadata.namespace !== undefined) invoker.namespace = metadata.namespace;
  return invoker;
}

function cleanTarget(target: z.infer<typeof targetSchema> | undefined): LoadedHookReferences["target"] {
  if (!target) return undefined;
  const out: NonNullable<LoadedHookReferences["target"]> = { kind: target.kind, name: target.name };
  if (target.apiGroup !== undefined) out.apiGroup = target.apiGroup;
  if (target.namespace !== undefined) out.namespace = target.namespace;
  return out;
}

function warnAboutNames(
  set: HookSet,
  base: string,
  preKey: string,
  postKey: string,
  warnings: string[],
): void {
  set.pre.forEach((ref, i) => {
    if (/^post[-_]?/i.test(ref.name)) {
      warnings.push(
        `${base}.${preKey}[${i}] is named "${ref.name}" but is declared under ${preKey}; it runs before the step`,
      );
    }
  });
  set.post.forEach((ref, i) => {
    if (/^pre[-_]?/i.test(ref.name)) {
      warnings.push(
        `${base}.${postKey}[${i}] is named "${ref.name}" but is declared under ${postKey}; it runs after the step`,
      );
    }
  });
}
