/** Velero's namespace glob patterns (`*`, `?`, `[abc]`, `[a-z]`, `[!abc]`) and include/exclude lists. */

const cache = new Map<string, RegExp>();

function toRegExp(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let out = "^";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "*") out += ".*";
    else if (c === "?") out += ".";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end === -1) out += "\\[";
      else {
        let body = pattern.slice(i + 1, end);
        const negate = body.startsWith("!");
        if (negate) body = body.slice(1);
        out += `[${negate ? "^" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  const re = new RegExp(`${out}$`);
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
  return toRegExp(pattern).test(name);
}

/**
 * Velero's include/exclude rule: an empty include list (or one with `*`) includes everything;
 * an exclusion always wins.
 */
export function includedBy(
  name: string,
  included: readonly string[] | null | undefined,
  excluded: readonly string[] | null | undefined,
): boolean {
  if ((excluded ?? []).some((p) => matchesGlob(p, name))) return false;
  const inc = included ?? [];
  return inc.length === 0 || inc.some((p) => matchesGlob(p, name));
}

const POD_NAMES = new Set(["*", "pods", "pod", "po", "pods.", "pods.v1", "v1/pods"]);

/**
 * Velero hooks act on pods only: true when `includedResources`/`excludedResources` let pods through
 * (empty or `*` includes; `pods`, `pod`, `po` name them).
 */
export function podsIncluded(
  included: readonly string[] | null | undefined,
  excluded: readonly string[] | null | undefined,
): boolean {
  const named = (list: readonly string[] | null | undefined) =>
    (list ?? []).some((r) => POD_NAMES.has(r.toLowerCase()));
  if (named(excluded)) return false;
  const inc = included ?? [];
  return inc.length === 0 || named(inc);
}
