/**
 * Kubernetes resource quantities ("1Gi", "500m", "1e3") as apimachinery's `resource.Quantity`
 * parses and prints them: exact decimal arithmetic, values rounded up to nano precision, and the
 * canonical string (`String()`) that Go clients write back (k8s.io/apimachinery
 * pkg/api/resource/quantity.go: ParseQuantity, CanonicalizeBytes; amount.go: AsCanonicalBytes).
 */
import { ErrorCodes, QuiesceError } from "@quiesce/core";

/** How a quantity prints: `1Ki` (BinarySI), `1k` (DecimalSI) or `1e3` (DecimalExponent). */
export type QuantityFormat = "BinarySI" | "DecimalSI" | "DecimalExponent";

/** A parsed quantity: exactly `digits × 10^scale`, in a print format. */
export interface Quantity {
  readonly digits: bigint;
  readonly scale: number;
  readonly format: QuantityFormat;
  /** The input text when Go keeps it as the printed form (it already is canonical). */
  readonly text?: string;
}

const SPLIT_RE = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX = new Map(Object.entries(DECIMAL).map(([suffix, exp]) => [exp, suffix]));
const BINARY_SUFFIX = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
const NANO = -9;
const MAX_INT64 = 2n ** 63n - 1n;

function formatError(text: string, message: string): QuiesceError {
  return new QuiesceError(ErrorCodes.VALIDATION, message, { details: { quantity: text } });
}

/** Splits a quantity as Go's parseQuantityString does: sign, numerator, denominator, suffix. */
function split(str: string): { positive: boolean; num: string; denom: string; suffix: string } {
  let pos = 0;
  let positive = true;
  if (str[0] === "-" || str[0] === "+") {
    positive = str[0] === "+";
    pos++;
  }
  while (str[pos] === "0") pos++;
  const digitsFrom = (from: number) => {
    let i = from;
    while (i < str.length && str[i]! >= "0" && str[i]! <= "9") i++;
    return i;
  };
  let end = digitsFrom(pos);
  const num = str.slice(pos, end) || "0";
  pos = end;
  let denom = "";
  if (str[pos] === ".") {
    end = digitsFrom(pos + 1);
    denom = str.slice(pos + 1, end);
    pos = end;
  }
  const suffixStart = pos;
  while (pos < str.length && "eEinumkKMGTP".includes(str[pos]!)) pos++;
  if (str[pos] === "-" || str[pos] === "+") pos++;
  pos = digitsFrom(pos);
  if (pos < str.length) throw formatError(str, `quantities must match the regular expression '${SPLIT_RE}'`);
  return { positive, num, denom, suffix: str.slice(suffixStart) };
}

function interpret(suffix: string): { base: 2 | 10; exponent: number; format: QuantityFormat } | undefined {
  if (suffix in DECIMAL) return { base: 10, exponent: DECIMAL[suffix]!, format: "DecimalSI" };
  if (suffix in BINARY) return { base: 2, exponent: BINARY[suffix]!, format: "BinarySI" };
  if (/^[eE][-+]?\d+$/.test(suffix)) {
    return { base: 10, exponent: Number.parseInt(suffix.slice(1), 10), format: "DecimalExponent" };
  }
  return undefined;
}

/** Go's fast path keeps the input string when it is already canonical (quantity.go ParseQuantity). */
function keepsText(
  num: string,
  denom: string,
  exponent: number,
  format: QuantityFormat,
  mantissaBits: number,
): boolean {
  let precision: number;
  let scale: number;
  if (format === "BinarySI") {
    if (exponent < 0 || denom.length > 0) return false;
    precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
    scale = 0;
  } else {
    precision = 18 - (num.length + denom.length);
    scale = exponent;
  }
  if (precision < 0) return false;
  scale -= denom.length;
  if (scale < NANO) return false;
  const shifted = num + denom;
  const value = BigInt(shifted);
  if (value > MAX_INT64 || value * (1n << BigInt(mantissaBits)) > MAX_INT64) return false;
  if (format === "BinarySI") return exponent % 10 === 0 && (value & 7n) !== 0n;
  return scale % 3 === 0 && !shifted.endsWith("000") && shifted[0] !== "0";
}

/**
 * Parses a quantity as `resource.ParseQuantity` does; throws `QUIESCE_VALIDATION` with Go's
 * message ("quantities must match the regular expression …", "unable to parse quantity's suffix").
 *
 * @example
 * ```ts
 * formatQuantity(parseQuantity("1024Mi")); // "1Gi"
 * ```
 */
export function parseQuantity(str: string): Quantity {
  if (typeof str !== "string") {
    const got = str === null ? "null" : Array.isArray(str) ? "a list" : typeof str;
    throw new QuiesceError(ErrorCodes.VALIDATION, `quantities must be strings, got ${got}`, {
      details: { quantity: got },
    });
  }
  if (str.length === 0) throw formatError(str, `quantities must match the regular expression '${SPLIT_RE}'`);
  if (str === "0") return { digits: 0n, scale: 0, format: "DecimalSI", text: str };
  const { positive, num, denom, suffix } = split(str);
  const unit = interpret(suffix);
  if (!unit) throw formatError(str, "unable to parse quantity's suffix");
  const sign = positive ? 1n : -1n;
  let digits = BigInt(num + denom) * sign;
  let scale = -denom.length;
  if (unit.base === 10) scale += unit.exponent;
  else digits *= 1n << BigInt(unit.exponent);
  // Non-zero values are rounded away from zero to nano precision (inf.RoundUp).
  if (scale < NANO && digits !== 0n) {
    const factor = 10n ** BigInt(NANO - scale);
    const magnitude = digits < 0n ? -digits : digits;
    const rounded = (magnitude + factor - 1n) / factor;
    digits = digits < 0n ? -rounded : rounded;
    scale = NANO;
  }
  let format = unit.format;
  if (format === "BinarySI") {
    const limit = MAX_INT64;
    if (compare({ digits, scale }, limit) > 0) {
      digits = limit;
      scale = 0;
    }
    if (compare({ digits, scale }, 1n) < 0 && digits > 0n) format = "DecimalSI";
  }
  const keep = keepsText(num, denom, unit.exponent, unit.format, unit.base === 2 ? unit.exponent : 0);
  return keep ? { digits, scale, format, text: str } : { digits, scale, format };
}

/** A quantity of `value` units (Go's `resource.NewQuantity(value, format)`). */
export function quantityOf(value: bigint | number, format: QuantityFormat = "BinarySI"): Quantity {
  return { digits: BigInt(value), scale: 0, format };
}

function compare(q: { digits: bigint; scale: number }, n: bigint): number {
  const [a, b] =
    q.scale >= 0 ? [q.digits * 10n ** BigInt(q.scale), n] : [q.digits, n * 10n ** BigInt(-q.scale)];
  return a === b ? 0 : a < b ? -1 : 1;
}

/** True for a zero quantity. */
export function isZeroQuantity(q: Quantity): boolean {
  return q.digits === 0n;
}

/** The value rounded up to a whole number (Go's `Quantity.Value()`): bytes for storage. */
export function quantityValue(q: Quantity): bigint {
  if (q.scale >= 0) return q.digits * 10n ** BigInt(q.scale);
  const factor = 10n ** BigInt(-q.scale);
  const quotient = q.digits / factor;
  return q.digits > 0n && quotient * factor !== q.digits ? quotient + 1n : quotient;
}

/** The canonical string Go prints for a quantity (`Quantity.String()`). */
export function formatQuantity(q: Quantity): string {
  if (q.text !== undefined) return q.text;
  if (q.digits === 0n) return "0";
  let format = q.format;
  if (format === "BinarySI") {
    const small = compare(q, -1024n) > 0 && compare(q, 1024n) < 0;
    const integral = q.scale >= 0 || q.digits % 10n ** BigInt(-q.scale) === 0n;
    if (small || !integral) format = "DecimalSI";
  }
  if (format === "BinarySI") {
    let amount = quantityValue(q);
    let exponent = 0;
    while (exponent < BINARY_SUFFIX.length - 1 && amount % 1024n === 0n) {
      amount /= 1024n;
      exponent++;
    }
    return `${amount}${BINARY_SUFFIX[exponent]}`;
  }
  // AsCanonicalBytes: strip trailing zeros into the exponent, then lower it to a multiple of 3.
  let amount = q.digits;
  let exponent = q.scale;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exponent++;
  }
  const down = ((exponent % 3) + 3) % 3;
  amount *= 10n ** BigInt(down);
  exponent -= down;
  if (format === "DecimalExponent") return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
  const suffix = DECIMAL_SUFFIX.get(exponent);
  return suffix === undefined ? `${amount}e${exponent}` : `${amount}${suffix}`;
}

/**
 * Parses and prints a quantity the way a Go client reads a field and writes it back.
 *
 * @example
 * ```ts
 * canonicalQuantity("2048Ki"); // "2Mi"
 * canonicalQuantity("1.5Gi"); // "1536Mi"
 * ```
 */
export function canonicalQuantity(text: string): string {
  return formatQuantity(parseQuantity(text));
}
