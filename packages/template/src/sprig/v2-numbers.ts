/**
 * sprig v2.22's number conversions (numeric.go before spf13/cast): a string parses in base 10 only
 * (`"010"` is 10, `"0x10"` and `"12.00"` are 0), other values by their reflect kind after one
 * pointer dereference.
 */
import { GoNamed, GoPointer } from "../go/typed.js";
import { type Converters, floatOfKind, parseGoFloat } from "./args.js";

const INT64_MIN = -(2 ** 63);

/** The value reflect.Indirect(reflect.ValueOf(v)) sees, or undefined for kinds that count as 0. */
function reflected(value: unknown): unknown {
  const v = value instanceof GoPointer ? value.value : value;
  // A defined type is seen through its kind (time.Month is an int); its strings were not `string`.
  if (v instanceof GoNamed) return typeof v.value === "string" ? undefined : v.value;
  return v;
}

/** strconv.ParseInt(s, 10, 64): digits with an optional sign; undefined when invalid or out of range. */
function parseBase10(s: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) return undefined;
  return Number(n);
}

function toInt64(value: unknown): number {
  if (typeof value === "string") return parseBase10(value) ?? 0;
  const v = reflected(value);
  switch (typeof v) {
    case "number":
      // int64(f) of a NaN or out-of-range float is the minimum int64 on amd64.
      if (!Number.isFinite(v) || Math.abs(v) >= 2 ** 63) return INT64_MIN;
      return Math.trunc(v) + 0;
    case "bigint":
      return Number(v);
    case "boolean":
      return v ? 1 : 0;
    default:
      return 0;
  }
}

function toFloat64(value: unknown): number {
  return typeof value === "string" ? (parseGoFloat(value) ?? 0) : floatOfKind(reflected(value));
}

/** sprig v2.22's toInt64/toFloat64 (int is int(toInt64(v))). */
export const SPRIG_V2_NUMBERS: Converters = Object.freeze({ toInt64, toFloat64 });
