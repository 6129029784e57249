/** The shape of template functions that hosts and sprig register in a func map. */

/**
 * A function callable from a template. Arguments are plain template values (see `go/values.ts`);
 * throw a `GoFuncError` to report a Go-level error.
 */
export type TemplateFunction = (...args: unknown[]) => unknown;

/**
 * Named template functions, as Go's `template.FuncMap`.
 *
 * @example
 * ```ts
 * const funcs: FuncMap = { shout: (s) => `${String(s)}!` };
 * ```
 */
export type FuncMap = Readonly<Record<string, TemplateFunction>>;
