/** Go's fmt.Sprintf format-string interpreter (flags, width, precision, argument indexes, errors). */
import { checkValueSize, maxValueBytes } from "../budget.js";
import { newSpec, printOperand, type Spec } from "./print.js";
import { goTypeName, isGoInt } from "./values.js";

const TOO_LARGE = 1e6;

/** Scanner state of one Sprintf call (a plain object: no closures are created per verb). */
interface Scan {
  format: string;
  i: number;
  argNum: number;
  reordered: boolean;
  goodArgNum: boolean;
  numArgs: number;
}

function intArg(a: unknown): number | undefined {
  if (typeof a === "number" && isGoInt(a)) return a;
  if (typeof a === "bigint") return Number(a);
  return undefined;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Go's argNumber: an optional `[n]` index; returns true when one was present. */
function argNumber(p: Scan): boolean {
  const { format } = p;
  if (p.i >= format.length || format[p.i] !== "[") return false;
  p.reordered = true;
  const close = format.indexOf("]", p.i + 1);
  if (close < 0) {
    p.goodArgNum = false;
    return false;
  }
  const text = format.slice(p.i + 1, close);
  const n = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  p.i = close + 1;
  if (!Number.isFinite(n) || n < 1 || n > p.numArgs) {
    p.goodArgNum = false;
    return true;
  }
  p.argNum = n - 1;
  return true;
}

/** Go's parsenum: a decimal number, or undefined when absent or too large. */
function parseNum(p: Scan): number | undefined {
  const { format } = p;
  const start = p.i;
  let n = 0;
  let tooLarge = false;
  while (p.i < format.length && isDigit(format.charCodeAt(p.i))) {
    n = n * 10 + format.charCodeAt(p.i) - 48;
    if (n > TOO_LARGE) tooLarge = true;
    p.i++;
  }
  return p.i > start && !tooLarge ? n : undefined;
}

/**
 * Go's `fmt.Sprintf`: verbs %v %+v %#v %s %q %d %x %X %o %O %b %e %E %f %F %g %G %t %c %U %T %%,
 * flags `+ - # 0 space`, width and precision (also `*`), argument indexes `%[n]d`, and Go's error
 * forms (`%!d(string=x)`, `%!v(MISSING)`, `%!(EXTRA int=1)`, `%!(NOVERB)`).
 *
 * @example
 * ```ts
 * sprintf("%-5s|%03d|%.2f|%q", "ab", 7, 1.23456, "x"); // "ab   |007|1.23|\"x\""
 * ```
 */
export function sprintf(format: string, ...args: unknown[]): string {
  const end = format.length;
  // Each verb is bounded (widths and precisions up to 1e6, as Go's); many of them are not.
  const max = maxValueBytes();
  const p: Scan = { format, i: 0, argNum: 0, reordered: false, goodArgNum: true, numArgs: args.length };
  let out = "";
  while (p.i < end) {
    const pct = format.indexOf("%", p.i);
    if (pct < 0) {
      out += format.slice(p.i);
      break;
    }
    if (pct > p.i) out += format.slice(p.i, pct);
    p.i = pct + 1;
    // Fast path: a plain verb letter with no flags, width or precision.
    const c = format.charCodeAt(p.i);
    if (c >= 97 && c <= 122 && p.argNum < args.length) {
      p.i++;
      out += printOperand(args[p.argNum++], format[p.i - 1]!, PLAIN_SPEC, 0);
      if (out.length > max) checkValueSize("printf", out.length);
      continue;
    }
    const f: Spec = newSpec();
    p.goodArgNum = true;
    flags: for (; p.i < end; p.i++) {
      switch (format[p.i]) {
        case "#":
          f.sharp = true;
          break;
        case "0":
          f.zero = !f.minus;
          break;
        case "+":
          f.plus = true;
          break;
        case "-":
          f.minus = true;
          f.zero = false;
          break;
        case " ":
          f.space = true;
          break;
        default:
          break flags;
      }
    }
    let afterIndex = argNumber(p);
    if (p.i < end && format[p.i] === "*") {
      p.i++;
      const w = p.argNum < args.length ? intArg(args[p.argNum]) : undefined;
      if (p.argNum < args.length) p.argNum++;
      if (w === undefined || Math.abs(w) > TOO_LARGE) out += "%!(BADWIDTH)";
      else {
        f.wid = Math.abs(w);
        if (w < 0) {
          f.minus = true;
          f.zero = false;
        }
      }
      afterIndex = false;
    } else {
      const w = parseNum(p);
      if (w !== undefined) {
        f.wid = w;
        if (afterIndex) p.goodArgNum = false;
      }
    }
    if (p.i + 1 < end && format[p.i] === ".") {
      p.i++;
      if (afterIndex) p.goodArgNum = false;
      afterIndex = argNumber(p);
      if (p.i < end && format[p.i] === "*") {
        p.i++;
        const prec = p.argNum < args.length ? intArg(args[p.argNum]) : undefined;
        if (p.argNum < args.length) p.argNum++;
        if (prec === undefined || Math.abs(prec) > TOO_LARGE) out += "%!(BADPREC)";
        else f.prec = prec < 0 ? -1 : prec;
        afterIndex = false;
      } else {
        f.prec = parseNum(p) ?? 0;
      }
    }
    if (!afterIndex) afterIndex = argNumber(p);
    if (p.i >= end) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(p.i)!);
    p.i += verb.length;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (!p.goodArgNum) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    if (p.argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    if (verb === "v") {
      f.sharpV = f.sharp;
      f.sharp = false;
      f.plusV = f.plus;
      f.plus = false;
    }
    out += printOperand(args[p.argNum], verb, f, 0);
    p.argNum++;
    if (out.length > max) checkValueSize("printf", out.length);
  }
  if (!p.reordered && p.argNum < args.length) {
    out += "%!(EXTRA ";
    for (let k = p.argNum; k < args.length; k++) {
      if (k > p.argNum) out += ", ";
      const a = args[k];
      out +=
        a === null || a === undefined ? "<nil>" : `${goTypeName(a)}=${printOperand(a, "v", newSpec(), 0)}`;
    }
    out += ")";
  }
  return out;
}

const PLAIN_SPEC: Spec = Object.freeze(newSpec());
