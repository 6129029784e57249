/**
 * Wait's and WaitV2's arguments as Kanister decodes them: `conditions` with mapstructure into
 * `WaitConditions` (pkg/function/wait.go) — field names match case-insensitively, other keys are
 * ignored, a missing field is empty — and `timeout` into a string.
 */
import { z } from "zod";
import { looseString } from "../args.js";

/** A field of a decoded map, matched as mapstructure matches a struct field (case-insensitively). */
function field(raw: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(raw, name)) return raw[name];
  const key = Object.keys(raw).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : raw[key];
}

const text = (v: unknown) => (v === undefined || v === null ? "" : v);

const ObjectReferenceSchema = z.record(z.string(), z.unknown()).transform((raw, ctx) => {
  const out: Record<string, string> = {};
  for (const name of ["apiVersion", "group", "resource", "kind", "name", "namespace"]) {
    const parsed = looseString().safeParse(text(field(raw, name)));
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: `${name}: expected a string`, path: [name] });
      return z.NEVER;
    }
    out[name] = parsed.data;
  }
  return out as { [K in "apiVersion" | "group" | "resource" | "kind" | "name" | "namespace"]: string };
});

const ConditionSchema = z.record(z.string(), z.unknown()).transform((raw, ctx) => {
  const condition = looseString().safeParse(text(field(raw, "condition")));
  const reference = ObjectReferenceSchema.safeParse(field(raw, "objectReference") ?? {});
  if (!condition.success)
    ctx.addIssue({ code: "custom", message: "condition: expected a string", path: ["condition"] });
  if (!reference.success)
    for (const issue of reference.error.issues)
      ctx.addIssue({ code: "custom", message: issue.message, path: ["objectReference", ...issue.path] });
  if (!condition.success || !reference.success) return z.NEVER;
  return { condition: condition.data, objectReference: reference.data };
});

const ConditionList = z.preprocess((v) => (v === null ? undefined : v), z.array(ConditionSchema).optional());

const ConditionsSchema = z.record(z.string(), z.unknown()).transform((raw, ctx) => {
  const anyOf = ConditionList.safeParse(field(raw, "anyOf"));
  const allOf = ConditionList.safeParse(field(raw, "allOf"));
  for (const [name, parsed] of [
    ["anyOf", anyOf],
    ["allOf", allOf],
  ] as const) {
    if (!parsed.success)
      for (const issue of parsed.error.issues)
        ctx.addIssue({ ...issue, path: [name, ...issue.path] } as never);
  }
  if (!anyOf.success || !allOf.success) return z.NEVER;
  return { anyOf: anyOf.data ?? [], allOf: allOf.data ?? [] };
});

/** The arguments of Wait and WaitV2. */
export const WaitArgs = z.object({
  timeout: looseString(),
  conditions: ConditionsSchema,
});

/** One decoded condition. */
export type Condition = { condition: string; objectReference: z.output<typeof ObjectReferenceSchema> };
