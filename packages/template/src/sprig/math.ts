/** sprig's integer and float math: add/sub/mul/div/mod/max/min, the *f decimal forms, floor/ceil/round. */

import type { FuncMap } from "../functions.js";
import { GoFuncError } from "../go/call-error.js";
import { argInt, CAST, type Converters } from "./args.js";
import { decAdd, decDiv, decFromFloat, decMul, decSub, decToFloat } from "./decimal.js";

type DecOp = typeof decAdd;

/** sprig's execDecimalOp: fold the operands as exact decimals, then back to float64. */
function decimalFold(
  first: unknown,
  rest: readonly unknown[],
  op: DecOp,
  toFloat64 = CAST.toFloat64,
): number {
  let acc = decFromFloat(toFloat64(first));
  for (const x of rest) acc = op(acc, decFromFloat(toFloat64(x)));
  return decToFloat(acc);
}

/** Go's int64 arithmetic wraps; JavaScript numbers are exact to 2^53, which template data stays within. */
function int64(n: number): number {
  return n + 0;
}

function divide(
  a: unknown,
  b: unknown,
  op: (x: number, y: number) => number,
  toInt64: Converters["toInt64"],
): number {
  const x = toInt64(a);
  const y = toInt64(b);
  if (y === 0) throw new GoFuncError("runtime error: integer divide by zero");
  return int64(op(x, y));
}

/**
 * The math family of sprig's function map, over sprig's number conversions (spf13/cast in v3,
 * sprig's own reflect-based ones in v2.22).
 */
export function mathFunctionsWith({ toInt64, toFloat64 }: Converters): FuncMap {
  return {
    add1: (i) => int64(toInt64(i) + 1),
    add: (...xs) => int64(xs.reduce<number>((a, b) => a + toInt64(b), 0)),
    sub: (a, b) => int64(toInt64(a) - toInt64(b)),
    div: (a, b) => divide(a, b, (x, y) => Math.trunc(x / y), toInt64),
    mod: (a, b) => divide(a, b, (x, y) => x % y, toInt64),
    mul: (a, ...xs) => int64(xs.reduce<number>((acc, b) => acc * toInt64(b), toInt64(a))),
    randInt: (min, max) => {
      const lo = argInt(min);
      const hi = argInt(max);
      if (hi - lo <= 0) throw new GoFuncError("invalid argument to Intn");
      return lo + Math.floor(Math.random() * (hi - lo));
    },
    add1f: (i) => decimalFold(i, [1], decAdd, toFloat64),
    addf: (...xs) => decimalFold(0, xs, decAdd, toFloat64),
    subf: (a, ...xs) => decimalFold(a, xs, decSub, toFloat64),
    divf: (a, ...xs) => decimalFold(a, xs, decDiv, toFloat64),
    mulf: (a, ...xs) => decimalFold(a, xs, decMul, toFloat64),
    biggest: (a, ...xs) => xs.reduce<number>((m, b) => Math.max(m, toInt64(b)), toInt64(a)),
    max: (a, ...xs) => xs.reduce<number>((m, b) => Math.max(m, toInt64(b)), toInt64(a)),
    min: (a, ...xs) => xs.reduce<number>((m, b) => Math.min(m, toInt64(b)), toInt64(a)),
    maxf: (a, ...xs) => xs.reduce<number>((m, b) => Math.max(m, toFloat64(b)), toFloat64(a)),
    minf: (a, ...xs) => xs.reduce<number>((m, b) => Math.min(m, toFloat64(b)), toFloat64(a)),
    ceil: (a) => Math.ceil(toFloat64(a)),
    floor: (a) => Math.floor(toFloat64(a)),
    round: (a, p, ...rOpt) => {
      const places = argInt(p);
      const roundOn = rOpt.length > 0 ? toFloat64(rOpt[0]) : 0.5;
      const pow = 10 ** places;
      const digit = pow * toFloat64(a);
      const frac = digit - Math.trunc(digit);
      return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
    },
  };
}

/** The math family of sprig v3's function map (spf13/cast conversions). */
export const mathFunctions: FuncMap = mathFunctionsWith(CAST);
