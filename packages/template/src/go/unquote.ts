/** Go's strconv.Unquote for template string, raw-string and character literals. */

/** Thrown for a malformed literal; Go reports it as `invalid syntax`. */
export class SyntaxErr extends Error {}

const SIMPLE: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
};

/** Decodes one escape at `s[i]` (just after the backslash); returns [text, next index]. */
function unescapeAt(s: string, i: number, quote: string): [string, number] {
  const c = s[i];
  if (c === undefined) throw new SyntaxErr("invalid syntax");
  const simple = SIMPLE[c];
  if (simple !== undefined && Object.hasOwn(SIMPLE, c)) return [simple, i + 1];
  if (c === quote) return [c, i + 1];
  const hexLen = c === "x" ? 2 : c === "u" ? 4 : c === "U" ? 8 : 0;
  if (hexLen > 0) {
    const h = s.slice(i + 1, i + 1 + hexLen);
    if (h.length !== hexLen || !/^[0-9a-fA-F]+$/.test(h)) throw new SyntaxErr("invalid syntax");
    const v = Number.parseInt(h, 16);
    if (c !== "x" && (v > 0x10ffff || (v >= 0xd800 && v < 0xe000))) throw new SyntaxErr("invalid syntax");
    return [String.fromCodePoint(v), i + 1 + hexLen];
  }
  if (c >= "0" && c <= "7") {
    const o = s.slice(i, i + 3);
    if (!/^[0-7]{3}$/.test(o)) throw new SyntaxErr("invalid syntax");
    const v = Number.parseInt(o, 8);
    if (v > 255) throw new SyntaxErr("invalid syntax");
    return [String.fromCharCode(v), i + 3];
  }
  throw new SyntaxErr("invalid syntax");
}

/** Unquotes a `"…"` or `` `…` `` literal. */
export function unquoteString(q: string): string {
  if (q[0] === "`") {
    if (q.length < 2 || q[q.length - 1] !== "`") throw new SyntaxErr("invalid syntax");
    return q.slice(1, -1).replaceAll("\r", "");
  }
  if (q.length < 2 || q[0] !== '"' || q[q.length - 1] !== '"') throw new SyntaxErr("invalid syntax");
  const body = q.slice(1, -1);
  if (!body.includes("\\")) {
    if (body.includes('"') || body.includes("\n")) throw new SyntaxErr("invalid syntax");
    return body;
  }
  let out = "";
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === "\\") {
      const [t, next] = unescapeAt(body, i + 1, '"');
      out += t;
      i = next;
    } else {
      if (c === '"' || c === "\n") throw new SyntaxErr("invalid syntax");
      out += c;
      i++;
    }
  }
  return out;
}

/** The code point of a `'x'` character literal. */
export function unquoteChar(q: string): number {
  const body = q.slice(1, -1);
  if (body.length === 0) throw new SyntaxErr("invalid syntax");
  if (body[0] === "\\") {
    const [t, next] = unescapeAt(body, 1, "'");
    if (next !== body.length) throw new SyntaxErr(`malformed character constant: ${q}`);
    return t.codePointAt(0)!;
  }
  const cp = body.codePointAt(0)!;
  if (String.fromCodePoint(cp).length !== body.length)
    throw new SyntaxErr(`malformed character constant: ${q}`);
  return cp;
}

/** Go's strconv.ParseInt/ParseFloat for a template number literal; throws for bad syntax. */
export function parseNumber(text: string): { value: number | bigint; isFloat: boolean; overflow?: boolean } {
  if (text.endsWith("i")) throw new SyntaxErr(`complex numbers are not supported: ${text}`);
  let s = text;
  let neg = false;
  if (s[0] === "+" || s[0] === "-") {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  const lower = s.toLowerCase();
  let base = 10;
  let digits = s;
  if (lower.startsWith("0x")) {
    base = 16;
    digits = s.slice(2);
  } else if (lower.startsWith("0o")) {
    base = 8;
    digits = s.slice(2);
  } else if (lower.startsWith("0b")) {
    base = 2;
    digits = s.slice(2);
  }
  const isFloatSyntax = base === 16 ? /[pP]/.test(digits) : base === 10 && /[.eE]/.test(digits);
  if (!isFloatSyntax) {
    const hasPrefix = base !== 10;
    if (digits.includes("_") && !hasPrefix && !(s[0] === "0" && s.length > 1)) {
      if (!/^\d+(_\d+)*$/.test(digits)) throw new SyntaxErr(`illegal number syntax: "${text}"`);
    }
    let clean = digits.replaceAll("_", "");
    if (base === 10 && clean.length > 1 && clean[0] === "0") {
      base = 8;
      clean = clean.slice(1);
    }
    const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^\d+$/;
    if (!valid.test(clean)) throw new SyntaxErr(`illegal number syntax: "${text}"`);
    const big = BigInt(base === 10 ? clean : `0${base === 16 ? "x" : base === 8 ? "o" : "b"}${clean}`);
    const v = neg ? -big : big;
    if (v > 2n ** 64n - 1n || v < -(2n ** 63n)) throw new SyntaxErr(`integer overflow: "${text}"`);
    // Beyond 2^53 a JS number loses digits: keep the exact int64 as a bigint. Above int64 Go's
    // parser accepts it as a uint64 constant, and execution then reports that it overflows int.
    if (v > 2n ** 63n - 1n) return { value: Number(v), isFloat: false, overflow: true };
    const n = Number(v);
    return { value: Number.isSafeInteger(n) ? n : v, isFloat: false };
  }
  let value: number;
  if (base === 16) {
    const m = /^([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[\d_]+)$/.exec(digits);
    if (!m) throw new SyntaxErr(`illegal number syntax: "${text}"`);
    const intPart = (m[1] ?? "").replaceAll("_", "");
    const frac = (m[2] ?? "").replaceAll("_", "");
    const mant = Number.parseInt(intPart + frac || "0", 16);
    value = mant * 2 ** (Number(m[3]!.replaceAll("_", "")) - 4 * frac.length);
  } else {
    const clean = digits.replaceAll("_", "");
    if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(clean))
      throw new SyntaxErr(`illegal number syntax: "${text}"`);
    value = Number(clean);
  }
  return { value: neg ? -value : value, isFloat: true };
}
