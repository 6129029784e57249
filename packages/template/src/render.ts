/** One-off rendering: compile (through the shared cache) and render. */
import type { TemplateOptions } from "./api.js";
import { compileCached } from "./compile-cache.js";

/**
 * Renders one template against `data` (Go's text/template with sprig and `missingkey=error` by default).
 *
 * @example
 * ```ts
 * render('{{ .Namespace.Name }}/{{ .Options.db | default "all" }}', { Namespace: { Name: "prod" }, Options: {} });
 * // "prod/all"
 * ```
 */
export function render(source: string, data: unknown, options: TemplateOptions = {}): string {
  const template = compileCached(source, options);
  if (options.limits === undefined && options.signal === undefined) return template.render(data);
  return template.render(data, {
    ...optional("limits", options.limits),
    ...optional("signal", options.signal),
  });
}

/** `{ [key]: value }`, or nothing for an undefined value (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
