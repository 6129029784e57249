/** Kanister's argument rendering: every string in a tree (keys included) is a template. */

import { compile, type TemplateOptions } from "./api.js";
import type { CompiledTemplate } from "./engine.js";
import { isMap } from "./go/values.js";

const MAX_CACHE = 2048;
const DEFAULT_OPTIONS: TemplateOptions = Object.freeze({});
const caches = new WeakMap<TemplateOptions, Map<string, CompiledTemplate>>();

function compiled(source: string, options: TemplateOptions): CompiledTemplate {
  let cache = caches.get(options);
  if (cache === undefined) {
    cache = new Map();
    caches.set(options, cache);
  }
  let t = cache.get(source);
  if (t === undefined) {
    t = compile(source, options);
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(source, t);
  }
  return t;
}

function isBuiltinEngine(options: TemplateOptions): boolean {
  return options.engine === undefined || options.engine === "go" || options.engine === "mustache";
}

function renderValue(value: unknown, data: unknown, options: TemplateOptions): unknown {
  if (typeof value === "string") {
    // A string without an action renders to itself; skip the engine.
    if (!value.includes("{{") && isBuiltinEngine(options)) return value;
    return compiled(value, options).render(data);
  }
  if (Array.isArray(value)) return value.map((v) => renderValue(v, data, options));
  if (isMap(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const renderedKey = renderValue(key, data, options) as string;
      Object.defineProperty(out, renderedKey, {
        value: renderValue(value[key], data, options),
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
 * templates are cached per options object, so reuse one options object for repeated calls.
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
  return renderValue(args, data, options);
}
