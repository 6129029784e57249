/** Kanister's `podOverride`: a strategic-merge-like overlay on a generated pod spec. */

type Json = Record<string, unknown>;

function isPlainObject(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

// Lists of named entries are merged entry by entry, as a strategic merge patch does.
const MERGE_BY_NAME = new Set([
  "containers",
  "initContainers",
  "volumes",
  "volumeMounts",
  "env",
  "ports",
  "ephemeralContainers",
]);

function mergeNamedLists(base: unknown[], overlay: unknown[]): unknown[] {
  const out = base.map((item) => (isPlainObject(item) ? { ...item } : item));
  for (const item of overlay) {
    const name = isPlainObject(item) ? item.name : undefined;
    const at = name === undefined ? -1 : out.findIndex((b) => isPlainObject(b) && b.name === name);
    if (at >= 0) out[at] = deepMerge(out[at], item);
    else out.push(item);
  }
  return out;
}

/**
 * Merges `overlay` into `base` without mutating either: objects are merged key by key, lists of
 * named entries (containers, volumes, env, volumeMounts, ports) are merged by `name`, other lists and
 * scalars are replaced, and `null` removes a key.
 *
 * @example
 * ```ts
 * mergePodOverride({ containers: [{ name: "container", image: "a" }] },
 *   { containers: [{ name: "container", resources: { limits: { cpu: "1" } } }], nodeName: "n1" });
 * // { containers: [{ name: "container", image: "a", resources: {...} }], nodeName: "n1" }
 * ```
 */
export function mergePodOverride<T extends Json>(base: T, overlay: Json | undefined): T {
  return (overlay ? deepMerge(base, overlay) : base) as T;
}

function deepMerge(base: unknown, overlay: unknown, key?: string): unknown {
  if (Array.isArray(base) && Array.isArray(overlay) && key !== undefined && MERGE_BY_NAME.has(key)) {
    return mergeNamedLists(base, overlay);
  }
  if (!isPlainObject(base) || !isPlainObject(overlay)) return overlay;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(overlay)) {
    if (k === "__proto__" || k === "constructor" || k === "prototype") continue;
    if (v === null) delete out[k];
    else out[k] = k in out ? deepMerge(out[k], v, k) : v;
  }
  return out;
}
