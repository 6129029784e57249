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
