/**
 * Go's time.Duration on bigint nanoseconds: `time.ParseDuration` and `Duration.String()` exactly
 * (Go's time/format.go), with Go's error messages. `parseDuration`/`formatDuration` (milliseconds)
 * and the template functions (`duration`, `dateModify`, …) are built on it.
 */
import { ErrorCodes, QuiesceError } from "./errors.js";

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_INT64 = 9223372036854775807n;

/** What a value is, for an error saying it is not what was expected. */
export function describeType(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "a list" : typeof value;
}

/** Go's `time: …` errors from ParseDuration (`QUIESCE_INVALID_DURATION`, Go's message). */
export class DurationParseError extends QuiesceError {
  constructor(message: string) {
    super(ErrorCodes.INVALID_DURATION, message);
  }
}

/**
 * Parses a Go duration string ("1h30m", "-1.5s", "300ms").
 *
 * @example
 * ```ts
 * parseGoDuration("1m30s"); // 90000000000n
 * ```
 */
export function parseGoDuration(original: string): bigint {
  // A caller without types may hand over anything: still a coded error.
  if (typeof original !== "string") {
    throw new DurationParseError(`time: invalid duration: expected a string, got ${describeType(original)}`);
  }
  const q = JSON.stringify(original);
  let s = original;
  let neg = false;
  if (s[0] === "-" || s[0] === "+") {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw new DurationParseError(`time: invalid duration ${q}`);
  let total = 0n;
  while (s !== "") {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s);
    const intPart = m?.[1] ?? "";
    const fracPart = m?.[2];
    if (intPart === "" && (fracPart === undefined || fracPart === "")) {
      throw new DurationParseError(`time: invalid duration ${q}`);
    }
    s = s.slice(m?.[0].length ?? 0);
    const u = /^[^0-9.]*/.exec(s)?.[0] ?? "";
    if (u === "") throw new DurationParseError(`time: missing unit in duration ${q}`);
    const unit = UNITS[u];
    if (unit === undefined)
      throw new DurationParseError(`time: unknown unit ${JSON.stringify(u)} in duration ${q}`);
    s = s.slice(u.length);
    let v = BigInt(intPart === "" ? "0" : intPart) * unit;
    if (fracPart !== undefined && fracPart !== "") {
      // Go scales the fraction in float64; exact decimal arithmetic matches it for the common cases.
      const scale = 10n ** BigInt(fracPart.length);
      v += (BigInt(fracPart) * unit) / scale;
    }
    total += v;
    if (total > MAX_INT64 + (neg ? 1n : 0n)) throw new DurationParseError(`time: invalid duration ${q}`);
  }
  return neg ? -total : total;
}

function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let digits = "";
  let print = false;
  let w = v;
  for (let i = 0; i < prec; i++) {
    const digit = w % 10n;
    print = print || digit !== 0n;
    if (print) digits = String(digit) + digits;
    w /= 10n;
  }
  return [print ? `.${digits}` : "", w];
}

/**
 * Go's `Duration.String()`: "1h2m3.5s", "1.5ms", "0s".
 *
 * @example
 * ```ts
 * goDurationString(90_000_000_000n); // "1m30s"
 * ```
 */
export function goDurationString(d: bigint): string {
  if (d === 0n) return "0s";
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  if (u < 1_000_000_000n) {
    let prec: number;
    let unit: string;
    if (u < 1_000n) return `${neg ? "-" : ""}${u}ns`;
    if (u < 1_000_000n) {
      prec = 3;
      unit = "µs";
    } else {
      prec = 6;
      unit = "ms";
    }
    const [frac, w] = fmtFrac(u, prec);
    out = `${w}${frac}${unit}`;
  } else {
    const [frac, w0] = fmtFrac(u, 9);
    u = w0;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return (neg ? "-" : "") + out;
}
