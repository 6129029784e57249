/** TemplateError: the one error type every template engine throws (parse, missing key, exec, limit). */
import { type ErrorCode, ErrorCodes, QuiesceError } from "@quiesce/core";

/** Where and how a template failed. */
export interface TemplateErrorInfo {
  /** The template's name (`define`d templates carry their own name). */
  template: string;
  /** 1-based line, when known. */
  line?: number;
  /** 0-based byte column within the line (as Go reports it), when known. */
  column?: number;
  /** The failing expression, in Go's `String()` form, e.g. `.Foo.Bar` or `index . "a"`. */
  expression?: string;
  /** The bare reason, e.g. `map has no entry for key "Foo"`. */
  reason: string;
}

/**
 * A template failed to parse or render. `message` is Go's error text, e.g.
 * `template: args:1:3: executing "args" at <.Foo>: map has no entry for key "Foo"`.
 *
 * @example
 * ```ts
 * import { render, TemplateError } from "@quiesce/template";
 * try {
 *   render("{{ .Foo }}", {});
 * } catch (err) {
 *   if (err instanceof TemplateError) console.log(err.code, err.line, err.expression);
 * }
 * ```
 */
export class TemplateError extends QuiesceError {
  override name = "TemplateError";
  readonly template: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly expression: string | undefined;
  readonly reason: string;

  constructor(code: ErrorCode, message: string, info: TemplateErrorInfo, options: { cause?: unknown } = {}) {
    const details: Record<string, unknown> = { template: info.template, reason: info.reason };
    if (info.line !== undefined) details.line = info.line;
    if (info.column !== undefined) details.column = info.column;
    if (info.expression !== undefined) details.expression = info.expression;
    super(code, message, { cause: options.cause, details });
    this.template = info.template;
    this.line = info.line;
    this.column = info.column;
    this.expression = info.expression;
    this.reason = info.reason;
  }
}

export { ErrorCodes };
