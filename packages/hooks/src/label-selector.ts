/** Kubernetes LabelSelector (matchLabels + matchExpressions) as a schema and a matcher. */
import { z } from "zod";

/** One `matchExpressions` entry. `In`/`NotIn` need values; `Exists`/`DoesNotExist` must have none. */
export const labelSelectorRequirementSchema = z
  .strictObject({
    key: z.string().min(1),
    operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
    values: z.array(z.string()).optional(),
  })
  .superRefine((req, ctx) => {
    const n = req.values?.length ?? 0;
    if ((req.operator === "In" || req.operator === "NotIn") && n === 0) {
      ctx.addIssue({ code: "custom", path: ["values"], message: `operator ${req.operator} needs values` });
    }
    if ((req.operator === "Exists" || req.operator === "DoesNotExist") && n > 0) {
      ctx.addIssue({ code: "custom", path: ["values"], message: `operator ${req.operator} takes no values` });
    }
  });

/** A Kubernetes LabelSelector; an empty selector matches everything, as in Kubernetes. */
export const labelSelectorSchema = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z.array(labelSelectorRequirementSchema).optional(),
});

/** A Kubernetes LabelSelector. */
export type LabelSelector = z.infer<typeof labelSelectorSchema>;

/**
 * True when `labels` satisfy `selector` (all matchLabels and all matchExpressions).
 *
 * @example
 * ```ts
 * matchesLabelSelector({ matchLabels: { env: "prod" } }, { env: "prod", team: "db" }); // true
 * ```
 */
export function matchesLabelSelector(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>>,
): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, req.key);
    const value = labels[req.key];
    const values = req.values ?? [];
    switch (req.operator) {
      case "In":
        if (!has || !values.includes(value as string)) return false;
        break;
      case "NotIn":
        if (has && values.includes(value as string)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
    }
  }
  return true;
}

/** Renders a selector for messages: `env=prod, tier in (a,b)`. */
export function describeLabelSelector(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const req of selector.matchExpressions ?? []) {
    const values = (req.values ?? []).join(",");
    if (req.operator === "In") parts.push(`${req.key} in (${values})`);
    else if (req.operator === "NotIn") parts.push(`${req.key} notin (${values})`);
    else if (req.operator === "Exists") parts.push(req.key);
    else parts.push(`!${req.key}`);
  }
  return parts.length === 0 ? "(everything)" : parts.join(", ");
}
