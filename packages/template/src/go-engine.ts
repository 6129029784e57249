/** The `go` engine: Go text/template with sprig's functions, Kanister's `missingkey=error` dialect. */

import type { CompiledTemplate, EngineCompileOptions, TemplateEngine } from "./engine.js";
import { envFunctions } from "./env-funcs.js";
import type { FuncMap, TemplateFunction } from "./functions.js";
import { checkFuncNames, GoTemplate } from "./go/engine.js";
import { sprigFunctions } from "./sprig/index.js";

const HOST_ENV_FUNCS = new Set(["env", "expandenv"]);

let baseFuncs: Readonly<Record<string, TemplateFunction>> | undefined;

/** sprig's functions without those that read the host environment. */
function sandboxedSprig(): Readonly<Record<string, TemplateFunction>> {
  if (baseFuncs === undefined) {
    const out: Record<string, TemplateFunction> = Object.create(null) as Record<string, TemplateFunction>;
    for (const [name, fn] of Object.entries(sprigFunctions)) if (!HOST_ENV_FUNCS.has(name)) out[name] = fn;
    baseFuncs = Object.freeze(out);
  }
  return baseFuncs;
}

const merged = new WeakMap<FuncMap, Readonly<Record<string, TemplateFunction>>>();

function funcsFor(options: EngineCompileOptions): Readonly<Record<string, TemplateFunction>> {
  const base = sandboxedSprig();
  const host = options.funcs;
  const hostEmpty = Object.keys(host).length === 0;
  if (!options.allowEnv && hostEmpty) return base;
  if (!options.allowEnv) {
    let m = merged.get(host);
    if (m === undefined) {
      checkFuncNames(host);
      m = Object.freeze(Object.assign(Object.create(null) as Record<string, TemplateFunction>, base, host));
      merged.set(host, m);
    }
    return m;
  }
  checkFuncNames(host);
  return Object.assign(
    Object.create(null) as Record<string, TemplateFunction>,
    base,
    envFunctions(options.env),
    host,
  );
}

/**
 * The `go` template engine (the default).
 *
 * @example
 * ```ts
 * import { compile } from "@quiesce/template";
 * const t = compile('{{ .Namespace.Name | upper }}', { engine: "go" });
 * t.render({ Namespace: { Name: "prod" } }); // "PROD"
 * ```
 */
export const goEngine: TemplateEngine = Object.freeze({
  name: "go",
  compile(source: string, options: EngineCompileOptions): CompiledTemplate {
    return new GoTemplate(
      options.name,
      source,
      funcsFor(options),
      options.limits,
      options.missingKey ?? "error",
    );
  },
});
