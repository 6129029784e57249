/** Template environments: a host's fixed options (functions, engine, limits) bound once. */
import { compile, type TemplateOptions } from "./api.js";
import type { CompiledTemplate } from "./engine.js";
import { render } from "./render.js";
import { renderArgs } from "./render-args.js";

/** Rendering functions bound to one set of options. */
export interface TemplateEnvironment {
  /** The options every call uses (frozen). */
  readonly options: Readonly<TemplateOptions>;
  compile(source: string, name?: string): CompiledTemplate;
  render(source: string, data: unknown): string;
  renderArgs(args: unknown, data: unknown): unknown;
}

/**
 * Binds options once — typically a host's own functions — so every render sees them and
 * `renderArgs` reuses its compile cache.
 *
 * @example
 * ```ts
 * const env = createTemplateEnvironment({ funcs: { clusterName: () => "prod-eu" } });
 * env.render("{{ clusterName }}/{{ .Namespace.Name }}", { Namespace: { Name: "db" } }); // "prod-eu/db"
 * ```
 */
export function createTemplateEnvironment(options: TemplateOptions = {}): TemplateEnvironment {
  const frozen: Readonly<TemplateOptions> = Object.freeze({ ...options });
  return Object.freeze({
    options: frozen,
    compile: (source: string, name?: string) =>
      compile(source, name === undefined ? frozen : { ...frozen, name }),
    render: (source: string, data: unknown) => render(source, data, frozen),
    renderArgs: (args: unknown, data: unknown) => renderArgs(args, data, frozen),
  });
}
