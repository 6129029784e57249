/** The template-engine strategy interface and the registry hosts use to add engines. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { RenderBudget, ResolvedLimits, TemplateLimits } from "./budget.js";
import type { FuncMap } from "./functions.js";

export type { TemplateLimits };

/**
 * The `go` engine's function set. `"kanister"`: sprig v2.22.0 (Masterminds/semver v1.5.0, huandu/xstrings
 * v1.2.0) wrapped by Kanister's pkg/ksprig — what Kanister renders Blueprints with. `"sprig3"`: sprig
 * v3.3.0 with the dependency versions KubeStash pins — what KubeStash renders HookTemplates with.
 * `"builtins"`: text/template's own functions only (`and`, `index`, `printf`, …), no sprig —
 * kubectl's go-template printer adds its two functions to these through `funcs`.
 */
export type TemplateDialect = "kanister" | "sprig3" | "builtins";

/** What an engine receives to compile a source. */
export interface EngineCompileOptions {
  /** The template's name, used in error messages. */
  name: string;
  /** Host functions (Go engine: on top of sprig's). */
  funcs: FuncMap;
  /** Whether `env`/`expandenv` may read the environment. */
  allowEnv: boolean;
  /** The environment `env`/`expandenv` read when allowed. */
  env: Readonly<Record<string, string | undefined>>;
  /** Render limits (the defaults of every render of the compiled template). */
  limits: ResolvedLimits;
  /**
   * What a missing map key does (Go's `missingkey` option): `"error"` (Kanister's choice, the
   * default), `"zero"` (yields nil) or `"default"` (yields "no value"). Engines may ignore it.
   */
  missingKey?: "error" | "zero" | "default";
  /** The function set (`go` engine): `"kanister"` (default), `"sprig3"` or `"builtins"`. Engines may ignore it. */
  dialect?: TemplateDialect;
}

/** What one render of a compiled template may spend, and who may stop it. */
export interface RenderOptions {
  /** Limits of this render, laid over the template's own (from `compile`) and the defaults. */
  limits?: TemplateLimits;
  /**
   * Stops the render at its next checkpoint once aborted (`QUIESCE_ABORTED`). Rendering is
   * synchronous: the signal is read when the render starts and inside its loops, so an abort that
   * a timer raises lands between renders; `limits.timeoutMs` bounds one render's time.
   */
  signal?: AbortSignal;
  /** A budget shared with other renders (its limits and signal win over `limits` and `signal`). */
  budget?: RenderBudget;
}

/** A compiled template: immutable, shareable, renders many times. */
export interface CompiledTemplate {
  /** The template's name. */
  readonly name: string;
  /** The engine that compiled it. */
  readonly engine: string;
  /**
   * Renders against `data`; throws TemplateError (`QUIESCE_TEMPLATE_LIMIT` when a limit is reached,
   * `QUIESCE_ABORTED` when `options.signal` aborted).
   */
  render(data: unknown, options?: RenderOptions): string;
}

/**
 * A template engine strategy (`go`, `mustache`, or a host's own).
 *
 * @example
 * ```ts
 * const upper: TemplateEngine = {
 *   name: "upper",
 *   compile: (source, { name }) => ({ name, engine: "upper", render: () => source.toUpperCase() }),
 * };
 * ```
 */
export interface TemplateEngine {
  readonly name: string;
  compile(source: string, options: EngineCompileOptions): CompiledTemplate;
}

/**
 * A set of named engines. Registering returns an undo function; registering a different engine
 * under a taken name throws `QUIESCE_DUPLICATE_REGISTRATION` (the same object again is a no-op).
 *
 * @example
 * ```ts
 * const registry = new EngineRegistry();
 * const undo = registry.register(myEngine);
 * registry.get("mine");
 * undo();
 * ```
 */
export class EngineRegistry {
  readonly #engines = new Map<string, TemplateEngine>();

  /** Adds an engine; returns a function that removes it again. */
  register(engine: TemplateEngine): () => void {
    const existing = this.#engines.get(engine.name);
    if (existing !== undefined && existing !== engine) {
      throw new QuiesceError(
        ErrorCodes.DUPLICATE_REGISTRATION,
        `a different template engine is already registered as ${JSON.stringify(engine.name)}`,
        { details: { engine: engine.name } },
      );
    }
    if (existing === engine) return () => {};
    this.#engines.set(engine.name, engine);
    return () => {
      if (this.#engines.get(engine.name) === engine) this.#engines.delete(engine.name);
    };
  }

  /** The engine registered under `name`; throws `QUIESCE_NOT_REGISTERED` when absent. */
  get(name: string): TemplateEngine {
    const engine = this.#engines.get(name);
    if (engine === undefined) {
      throw new QuiesceError(ErrorCodes.NOT_REGISTERED, `no template engine named ${JSON.stringify(name)}`, {
        details: { engine: name, known: this.names() },
      });
    }
    return engine;
  }

  /** True when an engine of that name is registered. */
  has(name: string): boolean {
    return this.#engines.has(name);
  }

  /** Registered engine names, sorted. */
  names(): string[] {
    return [...this.#engines.keys()].sort();
  }
}
