/** The error text Kanister gives a template that fails to render (pkg/param/render.go renderStringArg). */
import { ErrorCodes, QuiesceError } from "@quiesce/core";

const UNDEFINED_KEY = "map has no entry for key ";

/**
 * Kanister's renderStringArg turns an execution error that names a missing map key into
 * `Failed to render template: "<key>" not found` (newUndefinedKeyError: the text after the last
 * "map has no entry for key ", its quotes trimmed) — the message users of Kanister see and grep for.
 * Other errors keep Go's text. The engine's error stays the cause.
 */
export function kanisterRenderError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const at = err.message.lastIndexOf(UNDEFINED_KEY);
  if (at < 0) return err;
  const key = err.message.slice(at + UNDEFINED_KEY.length).replace(/^"+|"+$/g, "");
  const code = QuiesceError.is(err) ? err.code : ErrorCodes.TEMPLATE_MISSING_KEY;
  return new QuiesceError(code, `Failed to render template: "${key}" not found`, {
    cause: err,
    details: { key, template: err.message },
  });
}
