/** Kanister's error chains for the data functions: errkit.Wrap's "<message>: <cause>", codes kept. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";

/**
 * errkit.Wrap (kanisterio/errkit errors.go): `<message>: <cause's text>`. A QuiesceError cause keeps
 * its code and details (and `details` are added, as errkit keeps its key/value pairs out of the
 * text); anything else becomes QUIESCE_HOOK_FAILED.
 */
export function wrapError(
  err: unknown,
  message: string,
  details: Record<string, unknown> = {},
): QuiesceError {
  const text = err instanceof Error ? err.message : String(err);
  const code = err instanceof QuiesceError ? err.code : ErrorCodes.HOOK_FAILED;
  return new QuiesceError(code, `${message}: ${text}`, {
    cause: err,
    details: { ...(err instanceof QuiesceError ? err.details : {}), ...details },
  });
}

/**
 * Runs `body`, wrapping what it throws as Kanister wraps it at this step — unless the phase was
 * cancelled or ran out of time, whose errors are passed on as they are.
 */
export async function wrapped<T>(
  signal: AbortSignal,
  message: string,
  body: () => Promise<T>,
  details?: Record<string, unknown>,
): Promise<T> {
  try {
    return await body();
  } catch (err) {
    if (signal.aborted) throw err;
    throw wrapError(err, message, details);
  }
}

/** The same error with `details` added (errkit's key/value pairs, which stay out of the text). */
export function withDetails(err: unknown, details: Record<string, unknown>): unknown {
  if (!(err instanceof QuiesceError)) return err;
  return new QuiesceError(err.code, err.message, { cause: err, details: { ...err.details, ...details } });
}
