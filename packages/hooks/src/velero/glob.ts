/**
 * Velero's include/exclude glob patterns, as github.com/gobwas/glob compiles them (Velero's
 * pkg/util/collections/includes_excludes.go): `*` and `?` (no separators, so they match anything),
 * `[abc]`, `[a-z]`, `[!abc]`, `{a,b}` alternatives and `\` escapes. A pattern that does not
 * compile matches nothing, as in Velero.
 */

const cache = new Map<string, RegExp | null>();
const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

// Translates pattern[i..] up to (not including) a `stop` character at depth > 0; null on a syntax error.
function translate(pattern: string, start: number, inBraces: boolean): { re: string; end: number } | null {
  let out = "";
  let i = start;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (inBraces && (c === "," || c === "}")) return { re: out, end: i };
    if (c === "\\") {
      if (i + 1 >= pattern.length) return null;
      out += escapeRe(pattern[i + 1] as string);
      i += 2;
    } else if (c === "*") {
      out += ".*";
      i++;
    } else if (c === "?") {
      out += ".";
      i++;
    } else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end === -1) return null;
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith("!");
      if (negate) body = body.slice(1);
      if (body === "") return null;
      out += `[${negate ? "^" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
      i = end + 1;
    } else if (c === "{") {
      const alternatives: string[] = [];
      let j = i + 1;
      for (;;) {
        const part = translate(pattern, j, true);
        if (part === null || part.end >= pattern.length) return null;
        alternatives.push(part.re);
        j = part.end + 1;
        if (pattern[part.end] === "}") break;
      }
      out += `(?:${alternatives.join("|")})`;
      i = j;
    } else {
      out += escapeRe(c);
      i++;
    }
  }
  return inBraces ? null : { re: out, end: i };
}

function toRegExp(pattern: string): RegExp | null {
  if (cache.has(pattern)) return cache.get(pattern) ?? null;
  const translated = translate(pattern, 0, false);
  const re = translated === null ? null : new RegExp(`^${translated.re}$`, "s");
  if (cache.size > 256) cache.clear();
  cache.set(pattern, re);
  return re;
}

/**
 * True when `name` matches the glob `pattern`.
 *
 * @example
 * ```ts
 * matchesGlob("prod-[ab]*", "prod-a1"); // true
 * ```
 */
export function matchesGlob(pattern: string, name: string): boolean {
  return toRegExp(pattern)?.test(name) ?? false;
}

// Go's sort.Strings order (bytes of UTF-8), which sets.String List() returns.
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * Whether a list of patterns matches `name` as Velero's include/exclude sets match
 * (pkg/util/collections/includes_excludes.go globStringSet.match): the patterns as a set, in
 * sorted order; the first that matches decides, and the first that does not compile ends the
 * search with no match — whatever the patterns sorted after it would say.
 */
export function globSetMatches(patterns: readonly string[], name: string): boolean {
  for (const pattern of [...new Set(patterns)].sort(byBytes)) {
    const re = toRegExp(pattern);
    if (re === null) return false;
    if (re.test(name)) return true;
  }
  return false;
}

/**
 * Velero's include/exclude rule (IncludesExcludes.ShouldInclude): an exclusion wins; then an
 * empty include list, or one with `*`, includes everything.
 */
export function includedBy(
  name: string,
  included: readonly string[] | null | undefined,
  excluded: readonly string[] | null | undefined,
): boolean {
  if (globSetMatches(excluded ?? [], name)) return false;
  const inc = included ?? [];
  return inc.length === 0 || inc.includes("*") || globSetMatches(inc, name);
}

// What Velero's discovery helper resolves to the core "pods" resource (plural, singular, short
// name, any case, an empty group); anything it cannot resolve is kept as written and matched as a glob.
const POD_NAMES = new Set(["pods", "pod", "po", "pods.", "pod.", "po."]);

function resolvedResource(item: string): string {
  return POD_NAMES.has(item.toLowerCase()) ? "pods" : item;
}

/**
 * Velero hooks act on pods only: true when `includedResources`/`excludedResources` let pods
 * through, as collections.GetResourceIncludesExcludes and ShouldInclude decide — an empty include
 * list or `*` includes everything, `*` among the excludes is ignored, an exclusion wins, and
 * names are resolved (`pods`, `pod`, `po`) or matched as globs (`p*`).
 */
export function podsIncluded(
  included: readonly string[] | null | undefined,
  excluded: readonly string[] | null | undefined,
): boolean {
  // generateIncludesExcludes: `*` is kept among the includes and dropped from the excludes.
  const ex = (excluded ?? []).filter((r) => r !== "*").map(resolvedResource);
  if (globSetMatches(ex, "pods")) return false;
  const inc = (included ?? []).map((r) => (r === "*" ? r : resolvedResource(r)));
  return inc.length === 0 || inc.includes("*") || globSetMatches(inc, "pods");
}
