/** Kanister's argument rendering: every string in a tree (keys included) is a template. */

import { assertDocumentShape } from "@quiesce/core";
import type { TemplateOptions } from "./api.js";
import { RenderBudget, resolveLimits } from "./budget.js";
import { compileCached } from "./compile-cache.js";
import { isMap } from "./go/values.js";

const DEFAULT_OPTIONS: TemplateOptions = Object.freeze({});

function isBuiltinEngine(options: TemplateOptions): boolean {
  return options.engine === undefined || options.engine === "go" || options.engine === "mustache";
}

function renderValue(value: unknown, data: unknown, options: TemplateOptions, budget: RenderBudget): unknown {
  if (typeof value === "string") {
    // A string without an action renders to itself; skip the engine.
    if (!value.includes("{{") && isBuiltinEngine(options)) return value;
    return compileCached(value, options).render(data, { budget });
  }
  if (Array.isArray(value)) return value.map((v) => renderValue(v, data, options, budget));
  if (isMap(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const renderedKey = renderValue(key, data, options, budget) as string;
      Object.defineProperty(out, renderedKey, {
        value: renderValue(value[key], data, options, budget),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/**
 * Renders every string of an argument tree as a template, as Kanister does for phase args:
 * map keys are rendered too; numbers, booleans and null pass through untouched. Compiled
 * templates come from a bounded cache shared with `render` (options holding functions or an
 * environment are cached per options object, so reuse such an options object). The strings of the
 * tree share one budget: `options.limits` bound the whole tree's steps, work and time (the output
 * and value limits apply to each string).
 *
 * @example
 * ```ts
 * renderArgs(
 *   { namespace: "{{ .Namespace.Name }}", command: ["sh", "-c", "echo {{ .Object.metadata.name }}"], retries: 3 },
 *   { Namespace: { Name: "prod" }, Object: { metadata: { name: "db" } } },
 * );
 * // { namespace: "prod", command: ["sh", "-c", "echo db"], retries: 3 }
 * ```
 */
export function renderArgs(
  args: unknown,
  data: unknown,
  options: TemplateOptions = DEFAULT_OPTIONS,
): unknown {
  // A cyclic (or pathologically deep or shared) argument tree is refused with its path instead of
  // overflowing the stack after seconds of work.
  assertDocumentShape(args, "template arguments");
  // One budget for the whole tree: its strings together stay within the limits.
  const budget = new RenderBudget(resolveLimits(options.limits), options.signal);
  return renderValue(args, data, options, budget);
}
