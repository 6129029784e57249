/** Go's fmt verb machinery (printArg/printValue, flags, padding) over plain JS template values. */
import { checkValueSize, maxValueBytes } from "../budget.js";
import { formatFloat, formatFloatBinary, sharpFloat } from "./float.js";
import { goSyntaxTyped, printTyped, stringerText } from "./print-typed.js";
import { canBackquote, goQuote, goQuoteASCII, goQuoteRune, isPrint } from "./quote.js";
import { goTypeName, isGoInt, isMap, kindOf, ownKeys } from "./values.js";

/** Formatting state of one verb, as Go's fmt.fmt flags. */
interface Spec {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  prec: number;
}

function newSpec(): Spec {
  return {
    plus: false,
    minus: false,
    sharp: false,
    space: false,
    zero: false,
    plusV: false,
    sharpV: false,
    wid: -1,
    prec: -1,
  };
}

const PLAIN: Spec = Object.freeze(newSpec());

function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c >= 0xdc00 || i + 1 >= s.length) n++;
  }
  return n;
}

function pad(s: string, f: Spec): string {
  if (f.wid <= 0) return s;
  const n = f.wid - runeCount(s);
  if (n <= 0) return s;
  if (f.minus) return s + " ".repeat(n);
  return (f.zero ? "0" : " ").repeat(n) + s;
}

function truncate(s: string, f: Spec): string {
  if (f.prec < 0) return s;
  let n = 0;
  let i = 0;
  for (const ch of s) {
    if (n === f.prec) return s.slice(0, i);
    n++;
    i += ch.length;
  }
  return s;
}

function fmtInteger(v: number | bigint, base: number, verb: string, f: Spec, upper: boolean): string {
  const big = typeof v === "bigint" ? v : Number.isSafeInteger(v) ? null : BigInt(v);
  const negative = big !== null ? big < 0n : (v as number) < 0;
  let digits: string;
  if (big !== null) digits = (negative ? -big : big).toString(base);
  else digits = Math.abs(v as number).toString(base);
  if (upper) digits = digits.toUpperCase();
  let prec = 0;
  if (f.prec >= 0) {
    prec = f.prec;
    if (prec === 0 && digits === "0") return pad("", { ...f, zero: false });
  } else if (f.zero && f.wid > 0) {
    prec = f.wid;
    if (negative || f.plus || f.space) prec--;
  }
  if (digits.length < prec) digits = "0".repeat(prec - digits.length) + digits;
  if (f.sharp) {
    if (base === 2) digits = `0b${digits}`;
    else if (base === 8 && digits[0] !== "0") digits = `0${digits}`;
    else if (base === 16) digits = (upper ? "0X" : "0x") + digits;
  }
  if (verb === "O") digits = `0o${digits}`;
  if (negative) digits = `-${digits}`;
  else if (f.plus) digits = `+${digits}`;
  else if (f.space) digits = ` ${digits}`;
  return pad(digits, { ...f, zero: false });
}

function fmtFloatVerb(v: number, verb: string, f: Spec): string {
  let fmtc: "e" | "E" | "f" | "g" | "G" | "x" | "X" | "b";
  let prec: number;
  switch (verb) {
    case "x":
    case "X":
    case "b":
      fmtc = verb;
      prec = -1;
      break;
    case "v":
      fmtc = "g";
      prec = -1;
      break;
    case "g":
    case "G":
      fmtc = verb;
      prec = -1;
      break;
    case "e":
    case "E":
    case "f":
      fmtc = verb;
      prec = 6;
      break;
    case "F":
      fmtc = "f";
      prec = 6;
      break;
    default:
      return badVerb(v, verb);
  }
  if (f.prec >= 0) prec = f.prec;
  let num =
    (fmtc === "x" || fmtc === "X" || fmtc === "b") && Number.isFinite(v)
      ? formatFloatBinary(v, fmtc, fmtc === "b" ? -1 : prec)
      : formatFloat(v, fmtc === "x" || fmtc === "X" || fmtc === "b" ? "g" : fmtc, prec);
  if (num[0] !== "-" && num[0] !== "+") num = `+${num}`;
  if (f.space && num[0] === "+" && !f.plus) num = ` ${num.slice(1)}`;
  if (num[1] === "I" || num[1] === "N") {
    if (num[1] === "N" && !f.space && !f.plus) num = num.slice(1);
    return pad(num, { ...f, zero: false });
  }
  if (f.sharp) num = sharpFloat(num, verb, prec);
  if (f.plus || num[0] !== "+") {
    if (f.zero && f.wid > num.length) {
      return num[0] + "0".repeat(f.wid - num.length) + num.slice(1);
    }
    return pad(num, f);
  }
  return pad(num.slice(1), f);
}

function fmtSx(bytes: Uint8Array, f: Spec, upper: boolean): string {
  let length = bytes.length;
  if (f.prec >= 0 && f.prec < length) length = f.prec;
  const x = upper ? "X" : "x";
  let width = 2 * length;
  if (width > 0) {
    if (f.space) {
      if (f.sharp) width *= 2;
      width += length - 1;
    } else if (f.sharp) width += 2;
  } else {
    return f.wid > 0 ? (f.zero ? "0" : " ").repeat(f.wid) : "";
  }
  // "% x" of a string triples it: refuse before building what could not be kept.
  checkValueSize("formatting", Math.max(width, f.wid));
  let out = "";
  if (f.sharp) out += `0${x}`;
  for (let i = 0; i < length; i++) {
    if (f.space && i > 0) {
      out += " ";
      if (f.sharp) out += `0${x}`;
    }
    const h = bytes[i]!.toString(16).padStart(2, "0");
    out += upper ? h.toUpperCase() : h;
  }
  if (f.wid > width) {
    const p = (f.zero ? "0" : " ").repeat(f.wid - width);
    return f.minus ? out + p : p + out;
  }
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function fmtQ(s: string, f: Spec): string {
  const t = truncate(s, f);
  if (f.sharp && canBackquote(t)) return pad(`\`${t}\``, f);
  return pad(f.plus ? goQuoteASCII(t) : goQuote(t), f);
}

function fmtString(s: string, verb: string, f: Spec): string {
  switch (verb) {
    case "v":
      return f.sharpV ? goQuote(s) : pad(truncate(s, f), f);
    case "s":
      return f.wid < 0 && f.prec < 0 ? s : pad(truncate(s, f), f);
    case "x":
    case "X":
      return fmtSx(encoder.encode(s), f, verb === "X");
    case "q":
      return fmtQ(s, f);
    default:
      return badVerb(s, verb);
  }
}

function fmtInt(v: number | bigint, verb: string, f: Spec): string {
  if ((verb === "d" || verb === "v") && f.wid < 0 && f.prec < 0 && !f.plus && !f.space && !f.sharp) {
    if (typeof v === "number" && Number.isSafeInteger(v)) return String(v);
  }
  switch (verb) {
    case "v":
    case "d":
      return fmtInteger(v, 10, verb, f, false);
    case "b":
      return fmtInteger(v, 2, verb, f, false);
    case "o":
    case "O":
      return fmtInteger(v, 8, verb, f, false);
    case "x":
      return fmtInteger(v, 16, verb, f, false);
    case "X":
      return fmtInteger(v, 16, verb, f, true);
    case "c":
      return pad(String.fromCodePoint(validRune(v)), f);
    case "q":
      return pad(goQuoteRune(Number(v), f.plus), f);
    case "e":
    case "E":
    case "f":
    case "F":
    case "g":
    case "G":
      // JS has one number type: an integral value (2.0 from JSON/YAML) under a float verb is a float.
      return fmtFloatVerb(Number(v), verb, f);
    case "U": {
      const n = Number(v);
      const u = n < 0 ? BigInt.asUintN(64, BigInt(v)) : v;
      let s = `U+${u.toString(16).toUpperCase().padStart(4, "0")}`;
      if (f.sharp && n >= 0 && n <= 0x10ffff && isPrint(n)) s += ` '${String.fromCodePoint(n)}'`;
      return pad(s, { ...f, zero: false });
    }
    default:
      return badVerb(v, verb);
  }
}

function validRune(v: number | bigint): number {
  const n = Number(v);
  return n < 0 || n > 0x10ffff || (n >= 0xd800 && n < 0xe000) ? 0xfffd : n;
}

function fmtBytes(b: Uint8Array, verb: string, f: Spec, depth: number): string {
  switch (verb) {
    case "v":
    case "d": {
      if (f.sharpV) return `[]byte{${Array.from(b, (c) => `0x${c.toString(16)}`).join(", ")}}`;
      const max = maxValueBytes();
      let out = "[";
      for (let i = 0; i < b.length; i++) {
        if (i > 0) out += " ";
        out += fmtInteger(b[i]!, 10, verb, f, false);
        if (out.length > max) checkValueSize("formatting", out.length);
      }
      return `${out}]`;
    }
    case "s":
      return pad(truncate(decoder.decode(b), f), f);
    case "x":
    case "X":
      return fmtSx(b, f, verb === "X");
    case "q":
      return fmtQ(decoder.decode(b), f);
    default: {
      const max = maxValueBytes();
      let out = "[";
      for (let i = 0; i < b.length; i++) {
        if (i > 0) out += " ";
        out += fmtInt(b[i]!, verb, f);
        if (out.length > max) checkValueSize("formatting", out.length);
      }
      void depth;
      return `${out}]`;
    }
  }
}

function badVerb(v: unknown, verb: string): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${printArg(v, "v", PLAIN, 0)})`;
}

function goSyntax(v: unknown, depth = 0): string {
  if (typeof v === "object" && v !== null) {
    const typed = goSyntaxTyped(v, (e) => goSyntax(e, depth + 1));
    if (typed !== undefined) return typed;
  }
  switch (kindOf(v)) {
    case "nil":
      return depth > 0 ? "interface {}(nil)" : "<nil>";
    case "string":
      return goQuote(v as string);
    case "slice":
      return `[]interface {}{${(v as unknown[]).map((e) => goSyntax(e, depth + 1)).join(", ")}}`;
    case "map": {
      const m = v as Record<string, unknown>;
      return `map[string]interface {}{${ownKeys(m)
        .map((k) => `${goQuote(k)}:${goSyntax(m[k], depth + 1)}`)
        .join(", ")}}`;
    }
    default:
      return printArg(v, "v", PLAIN, 0);
  }
}

/**
 * The Go `String()` of a value produced by a template function: class instances (never plain data)
 * may implement `goString()` — e.g. sprig's time and semver values — and print through it.
 */
function goStringOf(v: object): string | undefined {
  const proto = Object.getPrototypeOf(v) as { goString?: unknown } | null;
  if (proto === null || proto === Object.prototype || Array.isArray(v)) return undefined;
  const fn = proto.goString;
  if (typeof fn !== "function") return undefined;
  const s = (fn as () => unknown).call(v);
  return typeof s === "string" ? s : undefined;
}

/** Go's printArg/printValue: one operand under one verb. `depth > 0` means inside a container. */
function printArg(v: unknown, verb: string, f: Spec, depth: number): string {
  if (v === null || v === undefined) {
    if (depth > 0) return f.sharpV ? "interface {}(nil)" : "<nil>";
    return verb === "v" || verb === "T" ? pad("<nil>", f) : badVerb(v, verb);
  }
  if (verb === "T") return pad(truncate(goTypeName(v), f), f);
  if (f.sharpV && verb === "v" && (Array.isArray(v) || isMap(v))) return goSyntax(v);
  switch (typeof v) {
    case "string":
      return fmtString(v, verb, f);
    case "boolean":
      return verb === "t" || verb === "v" ? pad(v ? "true" : "false", f) : badVerb(v, verb);
    case "number":
      return isGoInt(v) ? fmtInt(v, verb, f) : fmtFloatVerb(v, verb, f);
    case "bigint":
      return fmtInt(v, verb, f);
    default:
      break;
  }
  if (typeof v === "object") {
    // Go's handleMethods: a String() method serves the string verbs, at any depth.
    const text = stringerText(v, verb, f);
    if (text !== undefined) return fmtString(text, verb, f);
    const typed = printTyped(v, verb, f, depth, printNested);
    if (typed !== undefined) return typed;
  }
  if (v instanceof Uint8Array) return fmtBytes(v, verb, f, depth);
  if (Array.isArray(v)) {
    const max = maxValueBytes();
    let out = "[";
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += " ";
      out += printArg(v[i], verb, f, depth + 1);
      // Each element may be padded to a width: a long list could build far more than it holds.
      if (out.length > max) checkValueSize("formatting", out.length);
    }
    return `${out}]`;
  }
  if (isMap(v)) {
    const max = maxValueBytes();
    let out = "map[";
    let first = true;
    for (const k of ownKeys(v)) {
      if (!first) out += " ";
      first = false;
      out += `${printArg(k, verb, f, depth + 1)}:${printArg(v[k], verb, f, depth + 1)}`;
      if (out.length > max) checkValueSize("formatting", out.length);
    }
    return `${out}]`;
  }
  const stringer = goStringOf(v);
  if (stringer !== undefined) {
    // Go calls String() for the string-like verbs (fmt's handleMethods).
    if (verb === "v" || verb === "s" || verb === "q" || verb === "x" || verb === "X")
      return fmtString(stringer, verb, f);
    return badVerb(stringer, verb);
  }
  if (v instanceof Date) return pad(v.toISOString(), f);
  return pad(typeof v === "function" ? "<func>" : "{}", f);
}

function printNested(
  v: unknown,
  verb: string,
  f: { plusV: boolean; sharpV: boolean },
  depth: number,
): string {
  return printArg(v, verb, f as Spec, depth);
}

export type { Spec };
export { newSpec, PLAIN, printArg as printOperand };
