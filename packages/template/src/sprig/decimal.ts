/** Exact decimal arithmetic as shopspring/decimal does it for sprig's addf/subf/mulf/divf. */

import { GoFuncError } from "../go/call-error.js";

/** m × 10^e */
interface Dec {
  readonly m: bigint;
  readonly e: number;
}

/** decimal.NewFromFloat: the shortest decimal that round-trips to the float. */
export function decFromFloat(f: number): Dec {
  if (!Number.isFinite(f)) {
    throw new GoFuncError(
      `Cannot create a Decimal from ${Number.isNaN(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf"}`,
    );
  }
  const [mant = "0", exp = "0"] = String(f).split("e");
  const [int = "0", frac = ""] = mant.split(".");
  return { m: BigInt(int + frac), e: Number(exp) - frac.length };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.m * 10n ** BigInt(a.e - e), b.m * 10n ** BigInt(b.e - e), e];
}

export function decAdd(a: Dec, b: Dec): Dec {
  const [x, y, e] = align(a, b);
  return { m: x + y, e };
}

export function decSub(a: Dec, b: Dec): Dec {
  const [x, y, e] = align(a, b);
  return { m: x - y, e };
}

export function decMul(a: Dec, b: Dec): Dec {
  return { m: a.m * b.m, e: a.e + b.e };
}

/** Decimal.Div: DivRound to 16 fractional digits, halves away from zero. */
export function decDiv(a: Dec, b: Dec): Dec {
  if (b.m === 0n) throw new GoFuncError("decimal division by 0");
  const k = a.e - b.e + 16;
  let num = a.m;
  let den = b.m;
  if (k >= 0) num *= 10n ** BigInt(k);
  else den *= 10n ** BigInt(-k);
  let q = num / den;
  const r = num % den;
  const abs = (x: bigint) => (x < 0n ? -x : x);
  if (2n * abs(r) >= abs(den)) q += num < 0n !== den < 0n ? -1n : 1n;
  return { m: q, e: -16 };
}

/** Decimal.Float64: the nearest float. */
export function decToFloat(d: Dec): number {
  return Number(`${d.m}e${d.e}`);
}
