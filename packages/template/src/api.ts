/** The public rendering API: render, compile, renderArgs, engine registration, environments. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { DEFAULT_LIMITS, resolveLimits } from "./budget.js";
import type {
  CompiledTemplate,
  EngineCompileOptions,
  TemplateDialect,
  TemplateEngine,
  TemplateLimits,
} from "./engine.js";
import { EngineRegistry } from "./engine.js";
import type { FuncMap } from "./functions.js";
import { goEngine } from "./go-engine.js";
import { mustacheEngine } from "./mustache-engine.js";

/** Options of {@link render}, {@link compile} and {@link renderArgs}. */
export interface TemplateOptions {
  /** `"go"` (default), `"mustache"`, or a registered engine's name. */
  engine?: "go" | "mustache" | (string & {});
  /** The template's name in error messages (default `"template"`). */
  name?: string;
  /**
   * The `go` engine's function set: `"kanister"` (the default) is sprig v2.22.0 wrapped by Kanister's
   * ksprig, as Kanister renders Blueprint arguments; `"sprig3"` is sprig v3, as KubeStash renders
   * HookTemplates; `"builtins"` has text/template's builtins only. See {@link TemplateDialect}.
   */
  dialect?: TemplateDialect;
  /** Extra template functions (they override sprig's of the same name). */
  funcs?: FuncMap;
  /** Let templates read the environment with `env`/`expandenv` (off by default). */
  allowEnv?: boolean;
  /** The environment `env`/`expandenv` read when allowed (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Render limits (see {@link TemplateLimits}; {@link DEFAULT_LIMITS} fills what is left out). */
  limits?: TemplateLimits;
  /**
   * Stops rendering (`render`, `renderArgs`) at its next checkpoint once aborted, with
   * `QUIESCE_ABORTED`. Rendering is synchronous, so the signal is read when a render starts and
   * inside its loops; `limits.timeoutMs` bounds the time of one render.
   */
  signal?: AbortSignal;
  /**
   * Go's `missingkey` option: `"error"` (default, as Kanister renders arguments), `"zero"` or
   * `"default"` — e.g. for Wait conditions, which Kanister renders with `missingkey=zero`.
   */
  missingKey?: "error" | "zero" | "default";
  /** The engine registry to use (default: the global one). */
  registry?: EngineRegistry;
}

/**
 * A registry holding the built-in `go` and `mustache` engines.
 *
 * @example
 * ```ts
 * const registry = createEngineRegistry();
 * render("{{ A }}", { A: 1 }, { engine: "mustache", registry });
 * ```
 */
export function createEngineRegistry(): EngineRegistry {
  const registry = new EngineRegistry();
  registry.register(goEngine);
  registry.register(mustacheEngine);
  return registry;
}

const GLOBAL_KEY = Symbol.for("quiesce.template.engines.v1");

/**
 * The process-wide default engine registry (shared by every copy of this package), used when
 * `options.registry` is not given.
 *
 * @example
 * ```ts
 * globalEngineRegistry().names(); // ["go", "mustache", ...engines hosts registered]
 * ```
 */
export function globalEngineRegistry(): EngineRegistry {
  const g = globalThis as { [GLOBAL_KEY]?: EngineRegistry };
  let registry = g[GLOBAL_KEY];
  if (!(registry instanceof EngineRegistry)) {
    registry = createEngineRegistry();
    Object.defineProperty(globalThis, GLOBAL_KEY, { value: registry, configurable: true });
  }
  return registry;
}

/**
 * Adds an engine to the global registry; returns an undo function.
 *
 * @example
 * ```ts
 * const undo = registerEngine({ name: "upper", compile: (src, { name }) => ({ name, engine: "upper", render: () => src.toUpperCase() }) });
 * render("abc", {}, { engine: "upper" }); // "ABC"
 * undo();
 * ```
 */
export function registerEngine(engine: TemplateEngine): () => void {
  return globalEngineRegistry().register(engine);
}

const EMPTY_FUNCS: FuncMap = Object.freeze({});

function engineOptions(options: TemplateOptions): EngineCompileOptions {
  return {
    name: options.name ?? "template",
    funcs: options.funcs ?? EMPTY_FUNCS,
    allowEnv: options.allowEnv === true,
    env: options.env ?? process.env,
    limits: resolveLimits(options.limits),
    missingKey: options.missingKey ?? "error",
    dialect: options.dialect ?? "kanister",
  };
}

/**
 * Compiles a template once; the result is immutable and can be rendered many times, concurrently.
 * Throws a `TemplateError` (`QUIESCE_TEMPLATE_PARSE`) for a malformed template.
 *
 * @example
 * ```ts
 * const t = compile("{{ .StatefulSet.Name }}-{{ index .StatefulSet.Pods 0 }}");
 * t.render({ StatefulSet: { Name: "mysql", Pods: ["mysql-0"] } }); // "mysql-mysql-0"
 * ```
 */
export function compile(source: string, options: TemplateOptions = {}): CompiledTemplate {
  if (typeof source !== "string") {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `a template must be a string, got ${source === null ? "null" : typeof source}`,
    );
  }
  const registry = options.registry ?? globalEngineRegistry();
  return registry.get(options.engine ?? "go").compile(source, engineOptions(options));
}

export { DEFAULT_LIMITS };

/** The render-time bounds a host passes down: template limits and an abort signal. */
export interface RenderBounds {
  /** Limits laid over {@link DEFAULT_LIMITS}; undefined: the defaults. */
  readonly limits?: TemplateLimits | undefined;
  /** Stops rendering with `QUIESCE_ABORTED` once aborted. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * `options` with `bounds` laid over them (the same object when there are none, so the compile
 * cache keyed by options identity still hits).
 *
 * @example
 * ```ts
 * render(source, data, withBounds({ dialect: "sprig3" }, { limits: { maxSteps: 10_000 }, signal }));
 * ```
 */
export function withBounds(options: TemplateOptions, bounds: RenderBounds | undefined): TemplateOptions {
  if (bounds === undefined || (bounds.limits === undefined && bounds.signal === undefined)) return options;
  return {
    ...options,
    ...(bounds.limits !== undefined ? { limits: bounds.limits } : {}),
    ...(bounds.signal !== undefined ? { signal: bounds.signal } : {}),
  };
}
