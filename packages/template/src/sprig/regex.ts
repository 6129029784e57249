/** sprig's regex functions with Go's regexp semantics (all-match rules, Split, $-expansion). */

import type { RE2JS } from "re2js";
import { chargeWork } from "../budget.js";
import type { FuncMap } from "../functions.js";
import { GoFuncError } from "../go/call-error.js";
import { argInt, argString, checkSize } from "./args.js";
import { compileRe2, matchFrom, type Re2Match, RegexSyntaxError } from "./re2.js";

/** Width in UTF-16 units of the rune at `i` (Go advances one rune past an empty match). */
function runeWidth(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
}

/** Go's allMatches: successive non-overlapping matches, dropping an empty match that abuts the previous one. */
function allMatches(re: RE2JS, s: string, n: number): Re2Match[] {
  const out: Re2Match[] = [];
  const m = re.matcher(s);
  let pos = 0;
  let prevEnd = -1;
  while ((n < 0 || out.length < n) && pos <= s.length) {
    const found = matchFrom(m, pos);
    if (found === null) break;
    let accept = true;
    if (found.end === found.start) {
      if (found.start === prevEnd) accept = false;
      pos = found.start + (found.start < s.length ? runeWidth(s, found.start) : 1);
    } else pos = found.end;
    prevEnd = found.end;
    if (accept) out.push(found);
  }
  return out;
}

/** Go's Regexp.Expand template syntax: $1, ${1}, $name, ${name}, $$. */
function expand(template: string, m: Re2Match): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== "$") {
      out += c;
      continue;
    }
    const rest = template.slice(i + 1);
    if (rest.startsWith("$")) {
      out += "$";
      i++;
      continue;
    }
    const braced = /^\{([A-Za-z0-9_]+)\}/.exec(rest);
    const bare = /^[A-Za-z0-9_]+/.exec(rest);
    const name = braced?.[1] ?? bare?.[0];
    if (name === undefined) {
      // Malformed: Go copies the "$" literally.
      out += "$";
      continue;
    }
    i += (braced ?? bare)?.[0].length ?? 0;
    if (/^\d+$/.test(name)) {
      const idx = Number(name);
      out += idx <= m.groupCount ? m.group(idx) : "";
    } else out += m.named(name) ?? "";
  }
  return out;
}

function replaceAll(re: RE2JS, src: string, repl: (m: Re2Match) => string): string {
  let out = "";
  let lastEnd = 0;
  let search = 0;
  const m = re.matcher(src);
  while (search <= src.length) {
    const found = matchFrom(m, search);
    if (found === null) break;
    out += src.slice(lastEnd, found.start);
    if (found.end > lastEnd || found.start === 0) out += repl(found);
    lastEnd = found.end;
    const width = search < src.length ? runeWidth(src, search) : 1;
    if (search + width > found.end) search += width;
    else if (search + 1 > found.end) search++;
    else search = found.end;
  }
  return out + src.slice(lastEnd);
}

function split(re: RE2JS, s: string, n: number, pattern: string): string[] {
  if (n === 0) return [];
  if (pattern.length > 0 && s.length === 0) return [""];
  const matches = allMatches(re, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && out.length === n - 1) break;
    end = m.start;
    if (m.end !== 0) out.push(s.slice(beg, end));
    beg = m.end;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** Compiles for a must* function: a syntax error is the function's error. */
function mustCompile(pattern: unknown): RE2JS {
  const p = argString(pattern);
  try {
    return compileRe2(p);
  } catch (e) {
    if (e instanceof RegexSyntaxError) throw new GoFuncError(e.message, { cause: e });
    throw e;
  }
}

/** Compiles as regexp.MustCompile: a syntax error panics with Go's wording. */
function panicCompile(pattern: unknown): RE2JS {
  const p = argString(pattern);
  try {
    return compileRe2(p);
  } catch (e) {
    if (e instanceof RegexSyntaxError)
      throw new GoFuncError(`regexp: Compile(\`${p}\`): ${e.message}`, { cause: e });
    throw e;
  }
}

function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

/**
 * What matching costs, per byte of input, in work bytes: RE2's linear-time matcher, in JS, spends
 * tens of times longer on a byte than a copy does. Charged before matching, so a string too large
 * for the budget is never scanned.
 */
const MATCH_COST = 32;

/** The subject string of a match, its matching charged to the render first. */
function subject(s: unknown): string {
  const str = argString(s);
  chargeWork(MATCH_COST * str.length);
  return str;
}

type Compile = (p: unknown) => RE2JS;
const findAll = (compile: Compile) => (regex: unknown, s: unknown, n: unknown) => {
  const str = subject(s);
  const count = argInt(n);
  const ms = allMatches(compile(regex), str, count);
  // Go returns a nil []string, which prints as [].
  return ms.map((m) => m.group(0));
};
const find = (compile: Compile) => (regex: unknown, s: unknown) => {
  const str = subject(s);
  const ms = allMatches(compile(regex), str, 1);
  return ms[0]?.group(0) ?? "";
};
const replace = (compile: Compile, literal: boolean) => (regex: unknown, s: unknown, repl: unknown) => {
  const str = subject(s);
  const r = argString(repl);
  // Every position may match; bound the result before building it.
  checkSize("regexReplaceAll", str.length + (str.length + 1) * r.length);
  return replaceAll(compile(regex), str, literal ? () => r : (m) => expand(r, m));
};
const splitFn = (compile: Compile) => (regex: unknown, s: unknown, n: unknown) => {
  const str = subject(s);
  const count = argInt(n);
  return split(compile(regex), str, count, argString(regex));
};
const match = (compile: Compile) => (regex: unknown, s: unknown) => {
  const str = subject(s);
  return allMatches(compile(regex), str, 1).length > 0;
};

/** The regex family of sprig's function map. */
export const regexFunctions: FuncMap = {
  regexMatch: (regex, s) => {
    const str = subject(s);
    try {
      return allMatches(compileRe2(argString(regex)), str, 1).length > 0;
    } catch (e) {
      if (e instanceof RegexSyntaxError) return false;
      throw e;
    }
  },
  mustRegexMatch: match(mustCompile),
  regexFindAll: findAll(panicCompile),
  mustRegexFindAll: findAll(mustCompile),
  regexFind: find(panicCompile),
  mustRegexFind: find(mustCompile),
  regexReplaceAll: replace(panicCompile, false),
  mustRegexReplaceAll: replace(mustCompile, false),
  regexReplaceAllLiteral: replace(panicCompile, true),
  mustRegexReplaceAllLiteral: replace(mustCompile, true),
  regexSplit: splitFn(panicCompile),
  mustRegexSplit: splitFn(mustCompile),
  regexQuoteMeta: (s) => quoteMeta(argString(s)),
};
