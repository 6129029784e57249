/**
 * A bounded cache of compiled templates shared by render() and renderArgs(): hooks and Blueprint
 * phases render the same strings over and over, and compiling dominates a one-off render.
 */
import { compile, type TemplateOptions } from "./api.js";
import type { CompiledTemplate } from "./engine.js";

/** Entries per cache before it is emptied (a simple bound; templates are small and cheap to redo). */
const MAX_ENTRIES = 2048;

type Cache = Map<string, CompiledTemplate>;

// Options carrying objects (funcs, env, a registry) are cached by the options object's identity;
// options made only of strings share one cache per engine/name/missingKey/dialect signature, so a
// fresh `{ name: "x" }` literal on every call still hits. Limits and the signal are render-time
// options: they never split the cache (cached templates are compiled without them).
const byIdentity = new WeakMap<TemplateOptions, Cache>();
const bySignature = new Map<string, Cache>();

function signatureOf(options: TemplateOptions): string | undefined {
  if (
    options.funcs !== undefined ||
    options.env !== undefined ||
    options.registry !== undefined ||
    options.allowEnv === true
  ) {
    return undefined;
  }
  const engine = options.engine ?? "go";
  // Only the built-in engines: a host engine registered under a name may later be replaced.
  if (engine !== "go" && engine !== "mustache") return undefined;
  return `${engine}\u0000${options.name ?? ""}\u0000${options.missingKey ?? "error"}\u0000${options.dialect ?? "kanister"}`;
}

function cacheFor(options: TemplateOptions): Cache {
  const signature = signatureOf(options);
  if (signature !== undefined) {
    let cache = bySignature.get(signature);
    if (cache === undefined) {
      if (bySignature.size >= MAX_ENTRIES) bySignature.clear();
      cache = new Map();
      bySignature.set(signature, cache);
    }
    return cache;
  }
  let cache = byIdentity.get(options);
  if (cache === undefined) {
    cache = new Map();
    byIdentity.set(options, cache);
  }
  return cache;
}

/** The options without the render-time ones (limits, signal). */
function compileTimeOptions(options: TemplateOptions): TemplateOptions {
  if (options.limits === undefined && options.signal === undefined) return options;
  const { limits: _limits, signal: _signal, ...rest } = options;
  return rest;
}

/** `compile(source, options)`, answered from the cache when the same template was compiled before. */
export function compileCached(source: string, options: TemplateOptions): CompiledTemplate {
  const cache = cacheFor(options);
  let template = cache.get(source);
  if (template === undefined) {
    template = compile(source, compileTimeOptions(options));
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(source, template);
  }
  return template;
}
