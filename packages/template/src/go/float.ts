/** Go's strconv.FormatFloat ('e', 'E', 'f', 'g', 'G'; shortest or fixed precision) for float64. */

interface Digits {
  /** Decimal digits without leading zeros ("" for zero). */
  d: string;
  /** Decimal point position: value = 0.d × 10^dp. */
  dp: number;
}

function fromExponential(s: string): Digits {
  const e = s.indexOf("e");
  const mant = s.slice(0, e).replace(".", "");
  const exp = Number(s.slice(e + 1));
  let d = mant;
  let end = d.length;
  while (end > 0 && d.charCodeAt(end - 1) === 48) end--;
  d = d.slice(0, end);
  if (d === "") return { d: "", dp: 0 };
  return { d, dp: exp + 1 };
}

function shortestDigits(v: number): Digits {
  return v === 0 ? { d: "", dp: 0 } : fromExponential(v.toExponential());
}

/** The exact decimal expansion of a finite positive double (at most ~770 digits). */
function exactDigits(v: number): Digits {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  if (mant === 0n) return { d: "", dp: 0 };
  let digits: string;
  let dp: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-exp)).toString();
    dp = digits.length + exp;
  }
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  return { d: digits.slice(0, end), dp };
}

/** Go's decimal.Round: keep `nd` digits, rounding half to even on the exact value, trimming zeros. */
function roundDigits(x: Digits, nd: number): Digits {
  if (nd < 0 || nd >= x.d.length) return x;
  const c = x.d.charCodeAt(nd);
  let up: boolean;
  if (c === 53 && nd + 1 === x.d.length) up = nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = c >= 53;
  let d = x.d.slice(0, nd);
  let dp = x.dp;
  if (up) {
    let i = nd - 1;
    while (i >= 0 && d[i] === "9") i--;
    if (i < 0) {
      d = "1";
      dp++;
    } else {
      d = d.slice(0, i) + String.fromCharCode(d.charCodeAt(i) + 1);
    }
  }
  let end = d.length;
  while (end > 0 && d.charCodeAt(end - 1) === 48) end--;
  d = d.slice(0, end);
  return d === "" ? { d: "", dp: 0 } : { d, dp };
}

/** Rounds to `n` significant digits (n ≥ 1), like Go's decimal.Round. */
function significantDigits(v: number, n: number): Digits {
  if (v === 0) return { d: "", dp: 0 };
  return roundDigits(exactDigits(v), n);
}

function fmtE(neg: boolean, dg: Digits, prec: number, ch: string): string {
  let out = neg ? "-" : "";
  out += dg.d.length > 0 ? dg.d[0] : "0";
  if (prec > 0) {
    out += ".";
    const frac = dg.d.slice(1, 1 + prec);
    out += frac + "0".repeat(prec - frac.length);
  }
  const exp = dg.d.length === 0 ? 0 : dg.dp - 1;
  const sign = exp < 0 ? "-" : "+";
  const abs = Math.abs(exp);
  return `${out}${ch}${sign}${abs < 10 ? "0" : ""}${abs}`;
}

function fmtF(neg: boolean, dg: Digits, prec: number): string {
  let out = neg ? "-" : "";
  if (dg.dp > 0) {
    const intPart = dg.d.slice(0, dg.dp);
    out += intPart + "0".repeat(dg.dp - intPart.length);
  } else {
    out += "0";
  }
  if (prec > 0) {
    out += ".";
    for (let i = 1; i <= prec; i++) {
      const j = dg.dp + i - 1;
      out += j >= 0 && j < dg.d.length ? dg.d[j] : "0";
    }
  }
  return out;
}

function fixedString(v: number, prec: number): string {
  if (v === 0) return fmtF(false, { d: "", dp: 0 }, prec);
  const x = exactDigits(v);
  return fmtF(false, roundDigits(x, x.dp + prec), prec);
}

/**
 * Go's `strconv.FormatFloat(v, fmt, prec, 64)` for fmt in e, E, f, g, G (prec -1 = shortest).
 *
 * @example
 * ```ts
 * formatFloat(1e-7, "g", -1); // "1e-07"
 * ```
 */
export function formatFloat(v: number, fmt: "e" | "E" | "f" | "g" | "G", prec: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  const shortest = prec < 0;
  switch (fmt) {
    case "e":
    case "E": {
      const dg = shortest ? shortestDigits(a) : significantDigits(a, prec + 1);
      return fmtE(neg, dg, shortest ? Math.max(dg.d.length - 1, 0) : prec, fmt);
    }
    case "f": {
      if (shortest) {
        const dg = shortestDigits(a);
        return fmtF(neg, dg, Math.max(dg.d.length - dg.dp, 0));
      }
      const s = fixedString(a, prec);
      return neg ? `-${s}` : s;
    }
    default: {
      let p = prec;
      let dg: Digits;
      if (shortest) {
        dg = shortestDigits(a);
        p = dg.d.length;
      } else {
        if (p === 0) p = 1;
        dg = significantDigits(a, p);
      }
      let eprec = p;
      if (eprec > dg.d.length && dg.d.length >= dg.dp) eprec = dg.d.length;
      if (shortest) eprec = 6;
      const exp = dg.dp - 1;
      const e = fmt === "g" ? "e" : "E";
      if (dg.d.length > 0 && (exp < -4 || exp >= eprec)) {
        if (p > dg.d.length) p = dg.d.length;
        return fmtE(neg, dg, p - 1, e);
      }
      if (p > dg.dp) p = dg.d.length;
      return fmtF(neg, dg, Math.max(p - dg.dp, 0));
    }
  }
}

function float64Bits(v: number): { neg: boolean; mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const bits = view.getBigUint64(0);
  const neg = bits >> 63n === 1n;
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  return { neg, mant, exp: exp - 1023 };
}

/**
 * Go's `strconv.FormatFloat(v, 'x'|'X'|'b', prec, 64)` for finite v: hexadecimal mantissa and binary
 * exponent (`0x1.cp+01`), or the decimal mantissa and binary exponent (`7881299347898368p-51`).
 */
export function formatFloatBinary(v: number, fmt: "x" | "X" | "b", prec: number): string {
  const { neg, mant: m0, exp: e0 } = float64Bits(v);
  if (fmt === "b") {
    const exp = e0 - 52;
    return `${neg ? "-" : ""}${m0}p${exp >= 0 ? "+" : ""}${exp}`;
  }
  let mant = m0;
  let exp = e0;
  if (mant === 0n) exp = 0;
  mant <<= 8n; // leading 1 at bit 60
  const ONE = 1n << 60n;
  while (mant !== 0n && (mant & ONE) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & (ONE - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const digits = fmt === "X" ? "0123456789ABCDEF" : "0123456789abcdef";
  let out = `${neg ? "-" : ""}0${fmt}${(mant >> 60n) & 1n}`;
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  if (prec < 0 && mant !== 0n) {
    out += ".";
    while (mant !== 0n) {
      out += digits[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  } else if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) {
      out += digits[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  }
  out += fmt === "X" ? "P" : "p";
  const sign = exp < 0 ? "-" : "+";
  const a = Math.abs(exp);
  return `${out}${sign}${a < 10 ? "0" : ""}${a}`;
}

/** The `#` flag: always a decimal point, and %g keeps trailing zeros (Go's fmtFloat, sign at num[0]). */
export function sharpFloat(num: string, verb: string, prec: number): string {
  if (verb === "b") return num;
  let digits = 0;
  if (verb === "v" || verb === "g" || verb === "G" || verb === "x" || verb === "X")
    digits = prec === -1 ? 6 : prec;
  let body = num;
  let tail = "";
  let hasPoint = false;
  let sawNonzero = false;
  for (let i = 1; i < body.length; i++) {
    const c = body[i]!;
    if (c === ".") {
      hasPoint = true;
      continue;
    }
    if (c === "p" || c === "P" || ((c === "e" || c === "E") && verb !== "x" && verb !== "X")) {
      tail = body.slice(i);
      body = body.slice(0, i);
      break;
    }
    if (c !== "0") sawNonzero = true;
    if (sawNonzero) digits--;
  }
  if (!hasPoint) {
    if (body.length === 2 && body[1] === "0") digits--;
    body += ".";
  }
  if (digits > 0) body += "0".repeat(digits);
  return body + tail;
}
