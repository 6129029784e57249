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

/** The pattern with escapes and bracket classes blanked, so only real group syntax is inspected. */
function stripEscapesAndClasses(p: string): string {
  return p.replace(/\\Q[\s\S]*?(\\E|$)|\\[\s\S]|\[(?:\\[\s\S]|[^\]])*\]/g, "_");
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
