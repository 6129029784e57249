/** sprig's dict functions: dict, get/set/unset, hasKey, pluck, keys, pick/omit, values, merge, dig, deepCopy. */

import { chargeWork } from "../budget.js";
import type { FuncMap } from "../functions.js";
import { GoFuncError } from "../go/call-error.js";
import { taggedType } from "../go/typed.js";
import { goTypeName, hasOwnKey, isMap, lookupKey, ownKeys } from "../go/values.js";
import { argMap, argString, NIL_MAP } from "./args.js";
import { isEmpty } from "./equality.js";
import { strval } from "./text.js";

/** A fresh map that cannot inherit anything: template keys like "__proto__" stay plain data. */
function newMap(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

function put(m: Record<string, unknown>, key: string, value: unknown): void {
  chargeWork(16 + key.length);
  Object.defineProperty(m, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Which mergo merges: sprig v3.3.0 (KubeStash) has dario.cat/mergo v1.0.1, Kanister's v2.22 v0.3.12. */
export type MergoVersion = "v1.0" | "v0.3";

/** mergo's map merge as sprig calls it: fill missing or empty keys, or with `overwrite` replace them. */
function mergeInto(
  dst: Record<string, unknown>,
  src: Record<string, unknown>,
  overwrite: boolean,
  mergo: MergoVersion,
): void {
  for (const k of ownKeys(src)) {
    chargeWork(16);
    const s = src[k];
    const has = hasOwnKey(dst, k);
    const d = has ? dst[k] : undefined;
    if (s === null || s === undefined) {
      if (overwrite) put(dst, k, null);
      continue;
    }
    if (isMap(s)) {
      if (has && isMap(d)) mergeInto(d, s, overwrite, mergo);
      // merge.go deepMerge: v0.3 keeps any non-empty value against a map; v1.0 only a map, so
      // with overwrite a map replaces a non-empty value of another kind.
      if (has && !isEmpty(d) && (mergo === "v0.3" || isMap(d) || !overwrite)) continue;
      put(dst, k, s);
      continue;
    }
    if (Array.isArray(s)) {
      if (has && !isEmpty(d) && !overwrite) continue;
      put(dst, k, s);
      continue;
    }
    if (overwrite || !has || isEmpty(d)) put(dst, k, s);
  }
}

function argMaps(values: unknown[]): Record<string, unknown>[] {
  return values.map(argMap);
}

/** Copies a template value deeply (maps, lists, bytes); immutable values are shared. */
export function deepCopy(v: unknown): unknown {
  chargeWork(8);
  // Go-typed maps, slices and structs are immutable here: a copy could not be told apart.
  if (typeof v === "object" && v !== null && taggedType(v) !== undefined) return v;
  if (Array.isArray(v)) return v.map(deepCopy);
  if (v instanceof Uint8Array) {
    chargeWork(v.length);
    return v.slice();
  }
  if (isMap(v)) {
    const out = newMap();
    for (const k of ownKeys(v)) put(out, k, deepCopy(v[k]));
    return out;
  }
  return v;
}

function dig(...ps: unknown[]): unknown {
  if (ps.length < 3) throw new GoFuncError("dig needs at least three arguments");
  let dict = ps[ps.length - 1];
  const def = ps[ps.length - 2];
  const keys = ps.slice(0, -2).map((k) => {
    if (typeof k !== "string")
      throw new GoFuncError(`interface conversion: interface {} is ${goTypeName(k)}, not string`);
    return k;
  });
  for (let i = 0; i < keys.length; i++) {
    // A type assertion to map[string]interface{}: a typed map (map[string]string) panics too.
    if (
      !isMap(dict) ||
      (taggedType(dict) !== undefined && taggedType(dict)?.name !== "map[string]interface {}")
    ) {
      throw new GoFuncError(
        `interface conversion: interface {} is ${goTypeName(dict)}, not map[string]interface {}`,
      );
    }
    const k = keys[i] ?? "";
    if (!hasOwnKey(dict, k)) return def;
    dict = dict[k];
  }
  return dict;
}

/** sprig's merge (`overwrite` false) or mergeOverwrite with the given mergo. */
export function mergeWith(overwrite: boolean, mergo: MergoVersion) {
  return (dst: unknown, ...srcs: unknown[]) => {
    let d = argMap(dst);
    const sources = argMaps(srcs);
    for (const s of sources) {
      // mergo allocates a map for a nil destination before filling it.
      if (d === NIL_MAP) d = newMap();
      mergeInto(d, s, overwrite, mergo);
    }
    return d;
  };
}

/** The dict family of sprig's function map. */
export const dictFunctions: FuncMap = {
  dict: (...v) => {
    const out = newMap();
    for (let i = 0; i < v.length; i += 2) put(out, strval(v[i]), i + 1 < v.length ? v[i + 1] : "");
    return out;
  },
  get: (d, key) => {
    const m = argMap(d);
    const k = argString(key);
    return hasOwnKey(m, k) ? m[k] : "";
  },
  set: (d, key, value) => {
    const m = argMap(d);
    if (m === NIL_MAP) throw new GoFuncError("assignment to entry in nil map");
    put(m, argString(key), value);
    return m;
  },
  unset: (d, key) => {
    const m = argMap(d);
    const k = argString(key);
    if (m !== NIL_MAP && hasOwnKey(m, k)) delete m[k];
    return m;
  },
  hasKey: (d, key) => hasOwnKey(argMap(d), argString(key)),
  pluck: (key, ...ds) => {
    const k = argString(key);
    return argMaps(ds)
      .filter((m) => hasOwnKey(m, k))
      .map((m) => lookupKey(m, k));
  },
  // Go iterates maps in random order; sorted order is one of the orders Go may produce.
  keys: (...ds) => argMaps(ds).flatMap((m) => ownKeys(m)),
  pick: (d, ...keys) => {
    const m = argMap(d);
    const out = newMap();
    for (const k of keys.map(argString)) if (hasOwnKey(m, k)) put(out, k, m[k]);
    return out;
  },
  omit: (d, ...keys) => {
    const m = argMap(d);
    const omit = new Set(keys.map(argString));
    const out = newMap();
    for (const k of ownKeys(m)) if (!omit.has(k)) put(out, k, m[k]);
    return out;
  },
  values: (d) => {
    const m = argMap(d);
    return ownKeys(m).map((k) => m[k]);
  },
  merge: mergeWith(false, "v1.0"),
  mustMerge: mergeWith(false, "v1.0"),
  mergeOverwrite: mergeWith(true, "v1.0"),
  mustMergeOverwrite: mergeWith(true, "v1.0"),
  deepCopy: (v) => {
    // copystructure cannot copy a nil interface; sprig panics.
    if (v === null || v === undefined)
      throw new GoFuncError("deepCopy error: reflect: call of reflect.Value.Type on zero Value");
    return deepCopy(v);
  },
  mustDeepCopy: (v) => {
    if (v === null || v === undefined)
      throw new GoFuncError("reflect: call of reflect.Value.Type on zero Value");
    return deepCopy(v);
  },
  dig,
};
