/** Go's fmt.Sprintf format-string interpreter (flags, width, precision, argument indexes, errors). */
import { newSpec, printOperand, type Spec } from "./fmt.js";
import { goTypeName, isGoInt } from "./values.js";

const TOO_LARGE = 1e6;

function intArg(a: unknown): number | undefined {
  if (typeof a === "number" && isGoInt(a)) return a;
  if (typeof a === "bigint") return Number(a);
  return undefined;
}

/**
 * Go's `fmt.Sprintf`: verbs %v %+v %#v %s %q %d %x %X %o %O %b %e %E %f %F %g %G %t %c %U %T %%,
 * flags `+ - # 0 space`, width and precision (also `*`), argument indexes `%[n]d`, and Go's error
 * forms (`%!d(string=x)`, `%!v(MISSING)`, `%!(EXTRA int=1)`, `%!(NOVERB)`).
 *
 * @example
 * ```ts
 * sprintf("%-5s|%03d|%.2f|%q", "ab", 7, 3.14159, "x"); // "ab   |007|3.14|\"x\""
 * ```
 */
export function sprintf(format: string, ...args: unknown[]): string {
  let out = "";
  const end = format.length;
  let argNum = 0;
  let reordered = false;
  let i = 0;
  while (i < end) {
    const pct = format.indexOf("%", i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    if (pct > i) out += format.slice(i, pct);
    i = pct + 1;
    const f: Spec = newSpec();
    let goodArgNum = true;
    flags: for (; i < end; i++) {
      switch (format[i]) {
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
    // Argument index, as Go's argNumber.
    const argNumber = (): boolean => {
      if (i >= end || format[i] !== "[") return false;
      reordered = true;
      const close = format.indexOf("]", i + 1);
      if (close < 0) {
        goodArgNum = false;
        return false;
      }
      const text = format.slice(i + 1, close);
      const n = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isFinite(n) || n < 1 || n > TOO_LARGE) {
        goodArgNum = false;
        i = close + 1;
        return true;
      }
      argNum = n - 1;
      i = close + 1;
      return true;
    };
    const parseNum = (): number | undefined => {
      const start = i;
      let n = 0;
      while (i < end && format.charCodeAt(i) >= 48 && format.charCodeAt(i) <= 57) {
        n = n * 10 + format.charCodeAt(i) - 48;
        if (n > TOO_LARGE) {
          // Go stops here and reports the number as absent.
          while (i < end && format.charCodeAt(i) >= 48 && format.charCodeAt(i) <= 57) i++;
          return undefined;
        }
        i++;
      }
      return i > start ? n : undefined;
    };
    let afterIndex = argNumber();
    if (i < end && format[i] === "*") {
      i++;
      const w = argNum < args.length ? intArg(args[argNum]) : undefined;
      if (argNum < args.length) argNum++;
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
      const w = parseNum();
      if (w !== undefined) {
        f.wid = w;
        if (afterIndex) goodArgNum = false;
      }
    }
    if (i + 1 < end && format[i] === ".") {
      i++;
      if (afterIndex) goodArgNum = false;
      afterIndex = argNumber();
      if (i < end && format[i] === "*") {
        i++;
        const p = argNum < args.length ? intArg(args[argNum]) : undefined;
        if (argNum < args.length) argNum++;
        if (p === undefined || Math.abs(p) > TOO_LARGE) out += "%!(BADPREC)";
        else f.prec = p < 0 ? -1 : p;
        afterIndex = false;
      } else {
        f.prec = parseNum() ?? 0;
      }
    }
    if (!afterIndex) afterIndex = argNumber();
    if (i >= end) {
      out += "%!(NOVERB)";
      break;
    }
    const cp = format.codePointAt(i)!;
    const verb = String.fromCodePoint(cp);
    i += verb.length;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (!goodArgNum) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    if (verb === "v") {
      f.sharpV = f.sharp;
      f.sharp = false;
      f.plusV = f.plus;
      f.plus = false;
    }
    out += printOperand(args[argNum], verb, f, 0);
    argNum++;
  }
  if (!reordered && argNum < args.length) {
    out += "%!(EXTRA ";
    for (let k = argNum; k < args.length; k++) {
      if (k > argNum) out += ", ";
      const a = args[k];
      out +=
        a === null || a === undefined ? "<nil>" : `${goTypeName(a)}=${printOperand(a, "v", newSpec(), 0)}`;
    }
    out += ")";
  }
  return out;
}
