/**
 * Strategic merge patch, as the API server applies it to built-in types: maps merge, lists of
 * known kinds merge by their merge key (containers by name, volumeMounts by mountPath, …),
 * `$patch: delete | replace` directives, and every other list is replaced.
 */
import { ApiStatusError } from "../api/errors.js";

type Json = unknown;
type Obj = Record<string, Json>;

function isObject(v: Json): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Merge keys of list fields, by field name (the Kubernetes types use the same key wherever a name recurs). */
const MERGE_KEYS: Record<string, string | ((items: Obj[]) => string)> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  volumes: "name",
  env: "name",
  imagePullSecrets: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  ownerReferences: "uid",
  conditions: "type",
  hostAliases: "ip",
  // Container ports merge by containerPort; Service ports by port.
  ports: (items) => (items.some((i) => "containerPort" in i) ? "containerPort" : "port"),
  topologySpreadConstraints: "topologyKey",
  resourceClaims: "name",
};

/** Lists of scalars that merge as sets. */
const PRIMITIVE_MERGE = new Set(["finalizers"]);

function mergeKeyFor(field: string, items: Obj[]): string | undefined {
  const key = MERGE_KEYS[field];
  return typeof key === "function" ? key(items) : key;
}

function mergeList(field: string, original: Json, patch: Json[]): Json[] {
  const base = Array.isArray(original) ? original : [];
  if (PRIMITIVE_MERGE.has(field) && patch.every((v) => !isObject(v))) {
    const out = [...base];
    for (const v of patch) if (!out.includes(v)) out.push(v);
    return out;
  }
  const objects = patch.filter(isObject);
  if (objects.some((o) => o.$patch === "replace")) {
    return objects.filter((o) => o.$patch !== "replace").map((o) => stripDirectives(o));
  }
  const key = mergeKeyFor(field, [...objects, ...base.filter(isObject)]);
  if (key === undefined || objects.length !== patch.length)
    return patch.map((v) => (isObject(v) ? stripDirectives(v) : v));
  const result: Json[] = structuredClone(base);
  for (const item of objects) {
    const id = item[key];
    const index = result.findIndex((r) => isObject(r) && r[key] === id);
    if (item.$patch === "delete") {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) result[index] = mergeObjects(result[index], item);
    else result.push(stripDirectives(item));
  }
  return result;
}

function stripDirectives(value: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith("$")) continue;
    out[k] = isObject(v) ? stripDirectives(v) : v;
  }
  return out;
}

function mergeObjects(original: Json, patch: Obj): Json {
  if (patch.$patch === "replace") return stripDirectives(patch);
  if (patch.$patch === "delete") return undefined;
  const result: Obj = isObject(original) ? { ...original } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === "$patch" || key === "$retainKeys" || key.startsWith("$setElementOrder/")) continue;
    if (key.startsWith("$deleteFromPrimitiveList/")) {
      const field = key.slice("$deleteFromPrimitiveList/".length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value))
        result[field] = current.filter((v) => !value.includes(v));
      continue;
    }
    if (value === null) {
      delete result[key];
    } else if (Array.isArray(value)) {
      result[key] = mergeList(key, result[key], value);
    } else if (isObject(value)) {
      const merged = mergeObjects(result[key], value);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else {
      result[key] = value;
    }
  }
  return result;
}

/**
 * Applies a strategic merge patch to a copy of `target`.
 *
 * @example
 * ```ts
 * applyStrategicMergePatch(
 *   { spec: { containers: [{ name: "app", image: "a:1" }, { name: "side", image: "s:1" }] } },
 *   { spec: { containers: [{ name: "app", image: "a:2" }] } },
 * ); // app's image becomes a:2, side stays
 * ```
 */
export function applyStrategicMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) throw ApiStatusError.badRequest("strategic merge patch must be a JSON object");
  return mergeObjects(structuredClone(target), patch) ?? {};
}
