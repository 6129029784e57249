/** sprig's conversions: atoi, int, int64, float64, toDecimal, toString, toStrings. */

import type { FuncMap } from "../functions.js";
import { argString, CAST, type Converters } from "./args.js";
import { printV } from "./text.js";

/** strconv.ParseInt(s, base, 64) for an explicit base (no prefixes, no underscores). */
function parseIntBase(s: string, base: 8 | 10): number | undefined {
  const re = base === 8 ? /^[+-]?[0-7]+$/ : /^[+-]?\d+$/;
  if (!re.test(s)) return undefined;
  const neg = s.startsWith("-");
  const digits = s.replace(/^[+-]/, "");
  const n = BigInt(base === 8 ? `0o${digits}` : digits) * (neg ? -1n : 1n);
  if (n > 9223372036854775807n || n < -9223372036854775808n) return undefined;
  return Number(n);
}

/** The conversion family of sprig's function map over its number conversions (toString and toStrings live with the strings). */
export function conversionFunctionsWith({ toInt64, toFloat64 }: Converters): FuncMap {
  return {
    atoi: (a) => parseIntBase(argString(a), 10) ?? 0,
    int64: (v) => toInt64(v),
    int: (v) => toInt64(v),
    float64: (v) => toFloat64(v),
    toDecimal: (v) => parseIntBase(printV(v), 8) ?? 0,
  };
}

/** The conversion family of sprig v3 (spf13/cast). */
export const conversionFunctions: FuncMap = conversionFunctionsWith(CAST);
