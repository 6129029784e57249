/** The `go` engine: Go text/template with a sprig function set (Kanister's by default) and `missingkey=error`. */

import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { CompiledTemplate, EngineCompileOptions, TemplateDialect, TemplateEngine } from "./engine.js";
import { envFunctions } from "./env-funcs.js";
import type { FuncMap, TemplateFunction } from "./functions.js";
import { checkFuncNames, GoTemplate } from "./go/engine.js";
import { kanisterFunctions, sprigFunctions } from "./sprig/index.js";

const HOST_ENV_FUNCS = new Set(["env", "expandenv"]);

const baseFuncs = new Map<TemplateDialect, Readonly<Record<string, TemplateFunction>>>();

const DIALECTS: Readonly<Record<TemplateDialect, FuncMap>> = Object.freeze({
  kanister: kanisterFunctions,
  sprig3: sprigFunctions,
  // text/template's builtins only (they are the engine's own): what kubectl's go-template printer
  // starts from (k8s.io/cli-runtime pkg/printers/template.go), before its two functions.
  builtins: Object.freeze({}),
});

/** A dialect's sprig functions without those that read the host environment. */
function sandboxedSprig(dialect: TemplateDialect): Readonly<Record<string, TemplateFunction>> {
  let base = baseFuncs.get(dialect);
  if (base === undefined) {
    const out: Record<string, TemplateFunction> = Object.create(null) as Record<string, TemplateFunction>;
    for (const [name, fn] of Object.entries(DIALECTS[dialect])) if (!HOST_ENV_FUNCS.has(name)) out[name] = fn;
    base = Object.freeze(out);
    baseFuncs.set(dialect, base);
  }
  return base;
}

const merged: Record<TemplateDialect, WeakMap<FuncMap, Readonly<Record<string, TemplateFunction>>>> = {
  kanister: new WeakMap(),
  sprig3: new WeakMap(),
  builtins: new WeakMap(),
};

function funcsFor(options: EngineCompileOptions): Readonly<Record<string, TemplateFunction>> {
  const dialect = options.dialect ?? "kanister";
  if (!Object.hasOwn(DIALECTS, dialect)) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `unknown template dialect ${JSON.stringify(dialect)} (kanister, sprig3 or builtins)`,
    );
  }
  const base = sandboxedSprig(dialect);
  const host = options.funcs;
  const hostEmpty = Object.keys(host).length === 0;
  if (!options.allowEnv && hostEmpty) return base;
  if (!options.allowEnv) {
    let m = merged[dialect].get(host);
    if (m === undefined) {
      checkFuncNames(host);
      m = Object.freeze(Object.assign(Object.create(null) as Record<string, TemplateFunction>, base, host));
      merged[dialect].set(host, m);
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
 * The `go` template engine (the default); `options.dialect` picks its function set.
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
