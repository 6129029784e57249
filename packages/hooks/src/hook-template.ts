/** The KubeStash HookTemplate document (core.kubestash.com/v1alpha1): schema and loader. */
import { codedLoad, yamlDocumentToValue } from "@quiesce/core";
import { actionSchema, executorSchema } from "@quiesce/executors";
import { parseDocument } from "yaml";
import { z } from "zod";
import { labelSelectorSchema } from "./label-selector.js";
import { parseWith } from "./validation.js";

/** `spec.usagePolicy.allowedNamespaces`: which namespaces may refer to the template. */
export const allowedNamespacesSchema = z
  .strictObject({
    from: z.enum(["Same", "All", "Selector"]).optional(),
    selector: labelSelectorSchema.optional(),
  })
  .superRefine((allowed, ctx) => {
    if (allowed.from === "Selector" && allowed.selector === undefined) {
      ctx.addIssue({ code: "custom", path: ["selector"], message: "from: Selector needs a selector" });
    }
  });

/** `spec.usagePolicy`. Absent means `from: Same`. */
export const usagePolicySchema = z.strictObject({ allowedNamespaces: allowedNamespacesSchema.optional() });

/** One `spec.params[]` entry: a parameter a reference gives (checked: required, default, unknown names); a Function executor reads it as `${NAME}`. */
export const paramDefinitionSchema = z.strictObject({
  name: z.string().min(1),
  usage: z.string().optional(),
  required: z.boolean().optional(),
  default: z.string().optional(),
});

/** The HookTemplate document. Metadata keeps any extra fields a CR read from a cluster carries. */
export const hookTemplateSchema = z.strictObject({
  apiVersion: z.literal("core.kubestash.com/v1alpha1"),
  kind: z.literal("HookTemplate"),
  metadata: z.looseObject({
    name: z.string().min(1),
    namespace: z.string().min(1).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z
    .strictObject({
      usagePolicy: usagePolicySchema.optional(),
      params: z.array(paramDefinitionSchema).optional(),
      /** Optional for the Function executor (KubeStash's webhook requires it for the others). */
      action: actionSchema.optional(),
      executor: executorSchema,
    })
    .superRefine((spec, ctx) => {
      // webhooks/core/v1alpha1/hooktemplate.go validateActionForNonFunctionExecutor.
      if (spec.action === undefined && spec.executor.type !== "Function") {
        ctx.addIssue({
          code: "custom",
          path: ["action"],
          message: `action can not be empty for a ${spec.executor.type} executor (only a Function executor runs without one)`,
        });
      }
      const seen = new Set<string>();
      (spec.params ?? []).forEach((p, i) => {
        if (seen.has(p.name))
          ctx.addIssue({
            code: "custom",
            path: ["params", i, "name"],
            message: `duplicate param "${p.name}"`,
          });
        seen.add(p.name);
      });
    }),
});

/** A validated HookTemplate. */
export type HookTemplate = z.infer<typeof hookTemplateSchema>;
/** A `spec.params[]` entry. */
export type ParamDefinition = z.infer<typeof paramDefinitionSchema>;
/** A `spec.usagePolicy`. */
export type UsagePolicy = z.infer<typeof usagePolicySchema>;

/**
 * Loads and validates a HookTemplate from YAML text or an object. Unknown keys are rejected; a
 * `QUIESCE_VALIDATION` error names every offending path (`spec.executor.pod.selector`).
 *
 * @example
 * ```ts
 * const template = loadHookTemplate(`
 * apiVersion: core.kubestash.com/v1alpha1
 * kind: HookTemplate
 * metadata: { name: freeze, namespace: demo }
 * spec:
 *   action: { exec: { command: [fsfreeze, --freeze, /data] } }
 *   executor: { type: Pod, pod: { selector: app=db } }
 * `);
 * ```
 */
export function loadHookTemplate(source: string | unknown): HookTemplate {
  const doc = typeof source === "string" ? parseYamlDocument(source, "HookTemplate") : source;
  return parseWith(hookTemplateSchema, doc, "HookTemplate");
}

/**
 * Parses one YAML document, turning syntax errors, alias errors (undefined aliases, alias bombs)
 * and cyclic, too deep or too large documents into coded validation errors.
 */
export function parseYamlDocument(text: string, what: string): unknown {
  return codedLoad(what, () => yamlDocumentToValue(parseDocument(text), what));
}
