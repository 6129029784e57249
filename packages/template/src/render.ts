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
  return compileCached(source, options).render(data);
}
