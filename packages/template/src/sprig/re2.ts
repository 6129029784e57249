/** Go regexp (RE2 syntax, linear-time matching) through re2js, a JavaScript port of RE2. */

import { type Matcher, RE2JS } from "re2js";

/** Go's `error parsing regexp: …` compile failure. */
export class RegexSyntaxError extends Error {}

/** Lookarounds are an re2js extension; Go rejects them. */
const LOOKAROUND = /\(\?<?[=!]/;

const cache = new Map<string, RE2JS | RegexSyntaxError>();

/**
 * Compiles (and caches) a Go regexp; throws {@link RegexSyntaxError} with Go's message. Matching runs
 * in linear time, as in Go, so no pattern can stall a render by backtracking.
 *
 * @example
 * ```ts
 * compileRe2("a(x*)b").matcher("-axxb-").find(); // true
 * ```
 */
export function compileRe2(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (re === undefined) {
    const look = LOOKAROUND.exec(stripEscapesAndClasses(pattern));
    if (look !== null) {
      re = new RegexSyntaxError(
        `error parsing regexp: invalid or unsupported Perl syntax: \`${look[0].slice(0, 3)}\``,
      );
    } else {
      try {
        re = RE2JS.compile(pattern);
      } catch (e) {
        re = new RegexSyntaxError(e instanceof Error ? e.message : String(e));
      }
    }
    if (cache.size > 512) cache.clear();
    cache.set(pattern, re);
  }
  if (re instanceof RegexSyntaxError) throw re;
  return re;
}

/**
 * The pattern with escapes and bracket classes blanked, so only real group syntax is inspected — a
 * linear scan (a RegExp doing this backtracks quadratically on a pattern of many unclosed `[`).
 */
function stripEscapesAndClasses(p: string): string {
  let out = "";
  let classes = true; // false once a "[" found no closing "]": no later one can.
  for (let i = 0; i < p.length; ) {
    const c = p[i];
    if (c === "\\" && p[i + 1] === "Q") {
      const end = p.indexOf("\\E", i + 2);
      out += "_";
      i = end < 0 ? p.length : end + 2;
    } else if (c === "\\" && i + 1 < p.length) {
      out += "_";
      i += 2;
    } else if (c === "[" && classes) {
      let j = i + 1;
      while (j < p.length && p[j] !== "]") j += p[j] === "\\" && j + 1 < p.length ? 2 : 1;
      if (j < p.length) {
        out += "_";
        i = j + 1;
      } else {
        classes = false;
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** A match found by {@link matchFrom}. */
export interface Re2Match {
  readonly start: number;
  readonly end: number;
  /** Submatch `i` (0 is the whole match); "" when the group did not take part. */
  group(i: number): string;
  /** Submatch by name; undefined when no group has that name. */
  named(name: string): string | undefined;
  readonly groupCount: number;
}

/** The leftmost match in `m`'s input at or after `pos` (UTF-16 index), or null. */
export function matchFrom(m: Matcher, pos: number): Re2Match | null {
  if (!m.find(pos)) return null;
  const start = m.start();
  const end = m.end();
  const groupCount = m.groupCount();
  const groups: string[] = [];
  for (let i = 0; i <= groupCount; i++) groups.push(m.group(i) ?? "");
  const names = groupCount > 0 ? m.getNamedGroups() : undefined;
  return {
    start,
    end,
    groupCount,
    group: (i) => groups[i] ?? "",
    named: (name) => {
      if (names === undefined || !Object.hasOwn(names, name)) return undefined;
      return names[name] ?? "";
    },
  };
}

/** A match of {@link LinearRegExp}: the submatches (undefined for a group that took no part) and where. */
export type LinearMatch = (string | undefined)[] & { index: number };

/**
 * A fixed Go regexp used where JS code would use a RegExp — `exec`, `test`, every match — but matched
 * by RE2 in linear time: a backtracking RegExp over a long template value could take minutes.
 */
export class LinearRegExp {
  readonly #re: RE2JS;

  constructor(pattern: string) {
    this.#re = RE2JS.compile(pattern);
  }

  /** The leftmost match at or after `from`, or null. */
  exec(s: string, from = 0): LinearMatch | null {
    const m = this.#re.matcher(s);
    if (!m.find(from)) return null;
    const out = [] as unknown as LinearMatch;
    for (let i = 0; i <= m.groupCount(); i++) out.push(m.group(i) ?? undefined);
    out.index = m.start();
    return out;
  }

  test(s: string): boolean {
    return this.#re.matcher(s).find();
  }

  /** Every match, left to right, as a global RegExp's matchAll. */
  all(s: string): LinearMatch[] {
    const out: LinearMatch[] = [];
    for (let at = 0; at <= s.length; ) {
      const m = this.exec(s, at);
      if (m === null) break;
      out.push(m);
      const end = m.index + (m[0]?.length ?? 0);
      at = end > m.index ? end : end + 1;
    }
    return out;
  }
}
