/** Translates Go RE2 syntax to an equivalent JavaScript RegExp (u flag), rejecting what RE2 rejects. */

/** Go's `error parsing regexp: …` compile failure. */
export class RegexSyntaxError extends Error {}

type Range = readonly [number, number];
const POSIX: Readonly<Record<string, readonly Range[]>> = {
  alnum: [
    [48, 57],
    [65, 90],
    [97, 122],
  ],
  alpha: [
    [65, 90],
    [97, 122],
  ],
  ascii: [[0, 127]],
  blank: [
    [9, 9],
    [32, 32],
  ],
  cntrl: [
    [0, 31],
    [127, 127],
  ],
  digit: [[48, 57]],
  graph: [[33, 126]],
  lower: [[97, 122]],
  print: [[32, 126]],
  punct: [
    [33, 47],
    [58, 64],
    [91, 96],
    [123, 126],
  ],
  space: [
    [9, 13],
    [32, 32],
  ],
  upper: [[65, 90]],
  word: [
    [48, 57],
    [65, 90],
    [95, 95],
    [97, 122],
  ],
  xdigit: [
    [48, 57],
    [65, 70],
    [97, 102],
  ],
};

/** Class-body text for code point ranges; `negate` takes their complement ([[:^digit:]]). */
function classRanges(ranges: readonly Range[], negate: boolean): string {
  let rs = ranges;
  if (negate) {
    const out: Range[] = [];
    let next = 0;
    for (const [lo, hi] of ranges) {
      if (lo > next) out.push([next, lo - 1]);
      next = hi + 1;
    }
    if (next <= 0x10ffff) out.push([next, 0x10ffff]);
    rs = out;
  }
  const cp = (n: number) => `\\u{${n.toString(16)}}`;
  return rs.map(([lo, hi]) => (lo === hi ? cp(lo) : `${cp(lo)}-${cp(hi)}`)).join("");
}

const JS_SYNTAX = new Set([..."^$\\.*+?()[]{}|/"]);

function escapeChar(ch: string): string {
  if (JS_SYNTAX.has(ch)) return `\\${ch}`;
  if (/^[\p{L}\p{N}_\s]$/u.test(ch) || ch > "\x7f") return ch;
  return `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
}

function fail(code: string, arg: string): never {
  throw new RegexSyntaxError(`error parsing regexp: ${code}: \`${arg}\``);
}

/** Translates an RE2 pattern into JavaScript source plus flags. */
export function translateRe2(pattern: string): { source: string; flags: string } {
  let flags = "u";
  // (?U) swaps the greediness of every quantifier.
  let ungreedy = false;
  let i = 0;
  // Leading flag groups such as (?i) or (?is) become RegExp flags.
  for (let m = /^\(\?([imsU]+)\)/.exec(pattern); m !== null; m = /^\(\?([imsU]+)\)/.exec(pattern.slice(i))) {
    for (const f of m[1] ?? "") {
      if (f === "U") ungreedy = true;
      else if (!flags.includes(f)) flags += f;
    }
    i += m[0].length;
  }
  let out = "";
  let depth = 0;
  const pending: { depth: number; flags: string }[] = [];
  /** Closes the modifier groups opened at depth `d`; `forget` drops them (false: they are reopened). */
  const closePending = (d: number, forget = true): string => {
    let closes = "";
    for (let i = pending.length - 1; i >= 0 && pending[i]?.depth === d; i--) {
      closes += ")";
      if (forget) pending.pop();
    }
    return closes;
  };
  let inClass = false;
  let classStart = false;
  const chars = [...pattern.slice(i)];
  let k = 0;
  /** Under (?U), a quantifier is lazy unless followed by "?" (which makes it greedy). */
  const swapGreed = (): number => {
    if (chars[k + 1] === "?") return k + 1;
    out += "?";
    return k;
  };
  for (; k < chars.length; k++) {
    const c = chars[k] ?? "";
    const rest = () => chars.slice(k).join("");
    if (c === "\\") {
      const n = chars[k + 1];
      if (n === undefined) fail("trailing backslash at end of expression", "");
      k++;
      classStart = false;
      if (n === "Q") {
        const end = chars.indexOf("\\", k + 1);
        let lit = "";
        let j = k + 1;
        for (; j < chars.length; j++) {
          if (chars[j] === "\\" && chars[j + 1] === "E") break;
          lit += chars[j];
        }
        out += [...lit].map(escapeChar).join("");
        k = j < chars.length ? j + 1 : chars.length;
        void end;
        continue;
      }
      if (n === "z") {
        out += "(?![\\s\\S])";
        continue;
      }
      if (n === "A") {
        out += "(?<![\\s\\S])";
        continue;
      }
      if (n === "s") {
        out += inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]";
        continue;
      }
      if (n === "S" && !inClass) {
        out += "[^\\t\\n\\f\\r ]";
        continue;
      }
      if (n === "p" || n === "P") {
        let name = chars[k + 1] ?? "";
        if (name === "{") {
          const close = chars.indexOf("}", k + 1);
          if (close < 0) fail("invalid character class range", `\\${n}{`);
          name = chars.slice(k + 2, close).join("");
          k = close;
        } else k++;
        const neg = name.startsWith("^");
        const prop = neg ? name.slice(1) : name;
        const js = /^[A-Z][a-z]?$/.test(prop) || prop === "Any" ? prop : `Script=${prop}`;
        out += `\\${(n === "P") !== neg ? "P" : "p"}{${js === "Any" ? "Any" : js}}`;
        continue;
      }
      if (n === "x") {
        if (chars[k + 1] === "{") {
          const close = chars.indexOf("}", k + 1);
          out += `\\u{${chars.slice(k + 2, close).join("")}}`;
          k = close;
        } else {
          out += `\\x${chars.slice(k + 1, k + 3).join("")}`;
          k += 2;
        }
        continue;
      }
      if (/^[1-9]$/.test(n)) fail("invalid escape sequence", `\\${n}`);
      if (/^[dDwWbBSntrfv0]$/.test(n)) {
        out += `\\${n}`;
        continue;
      }
      if (/^[\p{L}\p{N}]$/u.test(n)) fail("invalid escape sequence", `\\${n}`);
      out += escapeChar(n);
      continue;
    }
    if (inClass) {
      if (c === "]" && !classStart) {
        inClass = false;
        out += "]";
        continue;
      }
      if (c === "[" && chars[k + 1] === ":") {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(rest());
        const set = m === null ? undefined : POSIX[m[2] ?? ""];
        if (m !== null && set !== undefined) {
          out += classRanges(set, m[1] === "^");
          k += m[0].length - 1;
          classStart = false;
          continue;
        }
      }
      classStart = false;
      out += c === "]" || c === "[" || c === "/" ? `\\${c}` : c;
      continue;
    }
    switch (c) {
      case "[":
        inClass = true;
        out += "[";
        if (chars[k + 1] === "^") {
          out += "^";
          k++;
        }
        classStart = true;
        break;
      case "(":
        if (chars[k + 1] === "?") {
          const r = rest();
          // (?P<name>…) and, since Go 1.22, (?<name>…).
          const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(r);
          if (named !== null) {
            out += `(?<${named[1]}>`;
            k += named[0].length - 1;
          } else if (/^\(\?[imsU-]*:/.test(r)) {
            const m = /^\(\?([imsU-]*):/.exec(r);
            if (m?.[1]?.includes("U")) fail("invalid or unsupported Perl syntax", "(?U");
            out += m?.[1] === "" ? "(?:" : `(?${m?.[1] ?? ""}:`;
            k += (m?.[0].length ?? 3) - 1;
          } else if (/^\(\?[ims-]+\)/.test(r)) {
            // A flag change mid-pattern lasts to the end of the enclosing group: a modifier group
            // that is closed (and reopened around each alternative) at that group's end.
            const m = /^\(\?([ims-]+)\)/.exec(r);
            const flagText = m?.[1] ?? "";
            pending.push({ depth, flags: flagText });
            out += `(?${flagText}:`;
            k += (m?.[0].length ?? 3) - 1;
            break;
          } else {
            fail("invalid or unsupported Perl syntax", r.slice(0, 3));
          }
        } else out += "(";
        depth++;
        break;
      case ")":
        if (depth === 0) fail("unexpected )", pattern);
        out += closePending(depth);
        depth--;
        out += ")";
        break;
      case "|": {
        const open = pending.filter((p) => p.depth === depth);
        out += `${closePending(depth, false)}|${open.map((p) => `(?${p.flags}:`).join("")}`;
        break;
      }
      case "{": {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(rest());
        if (m === null) {
          out += "\\{";
          break;
        }
        if (Number(m[1]) > 1000 || (m[3] !== undefined && m[3] !== "" && Number(m[3]) > 1000)) {
          fail("invalid repeat count", m[0]);
        }
        out += m[0];
        k += m[0].length - 1;
        if (ungreedy) k = swapGreed();
        break;
      }
      case "}":
        out += "\\}";
        break;
      case "/":
        out += "\\/";
        break;
      case "*":
      case "+":
      case "?":
        out += c;
        if (ungreedy) k = swapGreed();
        break;
      default:
        out += c;
    }
  }
  if (inClass) fail("missing closing ]", pattern.slice(pattern.lastIndexOf("[")));
  if (depth > 0) fail("missing closing )", pattern);
  out += closePending(0);
  return { source: out, flags };
}

const cache = new Map<string, RegExp | RegexSyntaxError>();

/** Compiles (and caches) a Go regexp as a global JavaScript RegExp; throws {@link RegexSyntaxError}. */
export function compileRe2(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re === undefined) {
    try {
      const { source, flags } = translateRe2(pattern);
      try {
        re = new RegExp(source, `${flags}g`);
      } catch (e) {
        re = new RegexSyntaxError(
          `error parsing regexp: ${e instanceof Error ? e.message : String(e)}: \`${pattern}\``,
        );
      }
    } catch (e) {
      if (!(e instanceof RegexSyntaxError)) throw e;
      re = e;
    }
    if (cache.size > 512) cache.clear();
    cache.set(pattern, re);
  }
  if (re instanceof RegexSyntaxError) throw re;
  return new RegExp(re);
}
