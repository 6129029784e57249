/** Kubernetes LabelSelector (matchLabels + matchExpressions) as a schema; matched with `@quiesce/kube`'s selectors. */
import { matchesSelector, selectorObjectRequirements } from "@quiesce/kube";
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
  return matchesSelector(selectorObjectRequirements(selector), labels);
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
