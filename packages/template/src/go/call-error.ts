/** The error a template function throws to report a Go-level error (Go's `(T, error)` return). */

/**
 * Thrown by a template function to fail the way a Go function returning a non-nil `error` fails:
 * the engine reports `error calling NAME: <message>` with the message verbatim.
 *
 * @example
 * ```ts
 * const funcs = { must: (v: unknown) => { if (v === "") throw new GoFuncError("empty"); return v; } };
 * ```
 */
export class GoFuncError extends Error {
  override name = "GoFuncError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Go's name for a parameter kind in literal-argument errors ("expected integer; found x"). */
function literalKind(goType: string): string {
  if (goType === "string") return "string";
  if (goType === "bool") return "bool";
  if (/^u?int(8|16|32|64)?$/.test(goType)) return goType.startsWith("u") ? "unsigned integer" : "integer";
  if (/^float(32|64)$/.test(goType)) return "float";
  return goType;
}

/**
 * Thrown by a template function for an argument Go's reflect-based call would have refused before
 * calling: a wrong argument count (no `argIndex`) or an argument not assignable to its parameter
 * (`argIndex` and `expectedType`, the Go type such as `string`, `int`, `float64`). The engine reports it
 * the way text/template does — at the offending argument, without the "error calling" prefix, e.g.
 * `wrong type for value; expected string; got int` or, for a literal, `expected string; found 3`.
 *
 * @example
 * ```ts
 * const upper = (s: unknown) => {
 *   if (typeof s !== "string") throw new GoArgError("wrong type for value; expected string", 0, "string");
 *   return s.toUpperCase();
 * };
 * ```
 */
export class GoArgError extends GoFuncError {
  override name = "GoArgError";
  constructor(
    message: string,
    readonly argIndex?: number,
    readonly expectedType?: string,
  ) {
    super(message);
  }

  /** Go's message for this argument, given how it was written (a literal, nil, or a computed value). */
  messageFor(
    literal: { kind: "nil" | "literal"; text: string } | null,
    value: unknown,
    typeName: string,
  ): string {
    if (this.expectedType === undefined) return this.message;
    if (literal?.kind === "nil") return `cannot assign nil to ${this.expectedType}`;
    if (literal) return `expected ${literalKind(this.expectedType)}; found ${literal.text}`;
    if (value === null || value === undefined) return `invalid value; expected ${this.expectedType}`;
    return `wrong type for value; expected ${this.expectedType}; got ${typeName}`;
  }
}
