/** HookTemplate parameters: defaults applied, required ones enforced, unknown ones rejected. */
import { QuiesceError } from "@quiesce/core";
import type { ParamDefinition } from "./hook-template.js";

/** Code of a parameter error (missing required, unknown name). */
export const INVALID_PARAMS = "QUIESCE_INVALID_PARAMS";

/**
 * Merges the params a reference passes with the template's definitions. Every problem is
 * reported at once, each naming its param; `hook` names the reference in the message.
 *
 * @example
 * ```ts
 * resolveParams([{ name: "DB", required: true }, { name: "MODE", default: "fast" }], { DB: "orders" }, "freeze");
 * // { DB: "orders", MODE: "fast" }
 * ```
 */
export function resolveParams(
  definitions: readonly ParamDefinition[] | undefined,
  given: Readonly<Record<string, unknown>> | undefined,
  hook: string,
): Record<string, unknown> {
  const defs = definitions ?? [];
  const known = new Set(defs.map((d) => d.name));
  const problems: string[] = [];
  const unknown = Object.keys(given ?? {}).filter((k) => !known.has(k));
  for (const name of unknown) {
    problems.push(
      `unknown param "${name}" (the template declares ${defs.length === 0 ? "no params" : defs.map((d) => `"${d.name}"`).join(", ")})`,
    );
  }
  const out: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const def of defs) {
    const value = given !== undefined && Object.hasOwn(given, def.name) ? given[def.name] : undefined;
    if (value !== undefined && value !== null) out[def.name] = value;
    else if (def.default !== undefined) out[def.name] = def.default;
    else if (def.required) {
      missing.push(def.name);
      problems.push(`required param "${def.name}" is missing${def.usage ? ` (${def.usage})` : ""}`);
    }
  }
  if (problems.length > 0) {
    throw new QuiesceError(INVALID_PARAMS, `hook "${hook}": ${problems.join("; ")}`, {
      details: { hook, unknown, missing },
    });
  }
  return out;
}
