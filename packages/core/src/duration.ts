/** Go-style duration strings ("30s", "1m30s", "1.5h", "250ms"), as Kubernetes and the hook formats use them. */
import { ErrorCodes, QuiesceError } from "./errors.js";

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;

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
  const input = text.trim();
  const fail = (why: string): never => {
    throw new QuiesceError(ErrorCodes.INVALID_DURATION, `invalid duration "${text}": ${why}`, {
      details: { value: text },
    });
  };
  if (input === "") fail("empty string");
  let rest = input;
  let sign = 1;
  if (rest[0] === "-" || rest[0] === "+") {
    sign = rest[0] === "-" ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (/^\d+(\.\d*)?$/.test(rest)) fail('missing unit (use e.g. "30s", "5m", "1h30m", "500ms")');
  let total = 0;
  while (rest.length > 0) {
    const m = PART.exec(rest);
    if (!m) fail(`unexpected "${rest}" (units are ns, us, ms, s, m, h)`);
    const [whole, num, unit] = m as RegExpExecArray & [string, string, string];
    total += Number.parseFloat(num) * (UNIT_MS[unit] as number);
    rest = rest.slice(whole.length);
  }
  return sign * total;
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
  if (ms === 0) return "0s";
  const neg = ms < 0;
  let rem = Math.abs(ms);
  let out: string;
  if (rem < 1) {
    const us = rem * 1000;
    out = us < 1 ? `${trimFloat(us * 1000)}ns` : `${trimFloat(us)}µs`;
  } else if (rem < 1000) {
    out = `${trimFloat(rem)}ms`;
  } else {
    const h = Math.floor(rem / 3_600_000);
    rem -= h * 3_600_000;
    const m = Math.floor(rem / 60_000);
    rem -= m * 60_000;
    const s = `${trimFloat(rem / 1000)}s`;
    out = h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s;
  }
  return neg ? `-${out}` : out;
}

function trimFloat(n: number): string {
  return String(Number(n.toFixed(9)));
}
