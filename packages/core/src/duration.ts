/** Go-style duration strings ("30s", "1m30s", "1.5h", "250ms"), as Kubernetes and the hook formats use them. */
import { ErrorCodes, QuiesceError } from "./errors.js";
import { describeType, goDurationString, parseGoDuration } from "./go-duration.js";

/**
 * Parses a Go duration string (as `time.ParseDuration` does) into milliseconds.
 *
 * A unit-less number other than `"0"` is rejected: `timeout: 30` is ambiguous (seconds? ms?) and
 * the field's bug trackers show it silently misread; quiesce asks for `30s`.
 *
 * @example
 * ```ts
 * parseDuration("1m30s"); // 90000
 * parseDuration("250ms"); // 250
 * ```
 */
export function parseDuration(text: string): number {
  if (typeof text !== "string") {
    throw new QuiesceError(
      ErrorCodes.INVALID_DURATION,
      `invalid duration: expected a string, got ${describeType(text)}`,
      {
        details: { value: describeType(text) },
      },
    );
  }
  const input = text.trim();
  const fail = (why: string): never => {
    throw new QuiesceError(ErrorCodes.INVALID_DURATION, `invalid duration "${text}": ${why}`, {
      details: { value: text },
    });
  };
  if (input === "") fail("empty string");
  if (/^[-+]?\d+(\.\d*)?$/.test(input) && !/^[-+]?0$/.test(input))
    fail('missing unit (use e.g. "30s", "5m", "1h30m", "500ms")');
  try {
    return Number(parseGoDuration(input)) / 1e6;
  } catch (err) {
    // Go's reasons ("time: unknown unit "d" in duration "5d"") without what the message already says.
    const why = (err as Error).message.replace(/^time: /, "").replace(/ in duration ".*"$/, "");
    return fail(
      why.startsWith("invalid duration")
        ? "expected numbers with units (ns, us, ms, s, m, h)"
        : `${why} (units are ns, us, ms, s, m, h)`,
    );
  }
}

/** Accepts a duration as milliseconds or a Go duration string; returns milliseconds. */
export function toMilliseconds(value: number | string): number {
  return typeof value === "number" ? value : parseDuration(value);
}

/**
 * Formats milliseconds the way Go's `time.Duration.String()` does ("1m30s", "250ms", "1.5s").
 *
 * @example
 * ```ts
 * formatDuration(90_000); // "1m30s"
 * ```
 */
export function formatDuration(ms: number): string {
  return goDurationString(BigInt(Math.round(ms * 1e6)));
}
