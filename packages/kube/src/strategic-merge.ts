/**
 * Strategic merge patch, as Kubernetes applies it (k8s.io/apimachinery
 * pkg/util/strategicpatch/patch.go, `StrategicMergePatch`): maps merge key by key, `null` deletes,
 * lists whose field is tagged `patchStrategy:"merge"` merge by their `patchMergeKey` (lists of
 * scalars merge as sets), every other list is replaced; the directives `$patch` (replace / delete),
 * `$retainKeys`, `$setElementOrder/<field>` and `$deleteFromPrimitiveList/<field>` are honoured,
 * and the merged list keeps the patch's order with the original's other items slotted in as
 * Kubernetes orders them. Which fields merge, and by which key, comes from a {@link PatchSchema}.
 */
import { ErrorCodes, QuiesceError } from "@quiesce/core";

/** How one field merges: the Go types' `patchStrategy` and `patchMergeKey` tags. */
export interface PatchField {
  /** `"merge"` merges a list (by `mergeKey`, or as a set of scalars); `"replace"` replaces a map or list. Absent: maps merge, lists are replaced. */
  strategy?: "merge" | "replace";
  /** The key that identifies an item of a merged list of objects (`name`, `mountPath`, …), or a choice made from the items. */
  mergeKey?: string | ((items: readonly Json[]) => string | undefined);
  /** The schema of the field's value (of each item, for a list). */
  schema?: PatchSchema;
}

/** The patch strategies of an object's fields (one Go struct type). */
export interface PatchSchema {
  readonly name: string;
  field(name: string): PatchField | undefined;
}

/** A JSON value. */
export type Json = unknown;
/** A JSON object of a strategic merge. */
export type JsonMap = Record<string, Json>;

const DIRECTIVE = "$patch";
const RETAIN_KEYS = "$retainKeys";
const DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
const SET_ELEMENT_ORDER = "$setElementOrder";
// No Kubernetes field has these names; assigning them could reach an object's prototype.
const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** A schema knowing no field: maps merge, lists are replaced (a custom field, or a type without tags). */
export const OPAQUE_SCHEMA: PatchSchema = Object.freeze({ name: "object", field: () => undefined });

/**
 * A schema from a table of fields; `recurse` makes every field's value use this same schema unless
 * its entry names another (the API server's field-name table, where a name means the same everywhere).
 */
export function patchSchema(name: string, fields: Record<string, PatchField>, recurse = false): PatchSchema {
  const schema: PatchSchema = {
    name,
    field: (field) => {
      const entry = Object.hasOwn(fields, field) ? fields[field] : undefined;
      if (!recurse) return entry;
      return { ...entry, schema: entry?.schema ?? schema };
    },
  };
  return schema;
}

function isObject(v: Json): v is JsonMap {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function invalid(message: string): QuiesceError {
  return new QuiesceError(ErrorCodes.VALIDATION, `strategic merge patch: ${message}`);
}

function show(v: Json): string {
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function noMergeKey(m: Json, key: string): QuiesceError {
  return invalid(`map: ${show(m)} does not contain declared merge key: ${key}`);
}

function childOf(schema: PatchSchema, key: string): { field: PatchField; schema: PatchSchema } {
  const field = schema.field(key) ?? {};
  return { field, schema: field.schema ?? OPAQUE_SCHEMA };
}

function mergeKeyOf(field: PatchField, items: readonly Json[]): string {
  const key = typeof field.mergeKey === "function" ? field.mergeKey(items) : field.mergeKey;
  return key ?? "";
}

/**
 * Applies `patch` to a copy of `original` with the strategies of `schema`. Throws a
 * `QUIESCE_VALIDATION` error for a patch Kubernetes refuses (an item without its merge key, an
 * unknown `$patch` value, a list of lists, …).
 *
 * @example
 * ```ts
 * const spec = strategicMerge(
 *   { containers: [{ name: "container", image: "busybox" }] },
 *   { containers: [{ name: "container", resources: { limits: { cpu: "1" } } }] },
 *   POD_SPEC_PATCH_SCHEMA,
 * ); // one container, with the image and the limits
 * ```
 */
export function strategicMerge(original: Json, patch: Json, schema: PatchSchema): JsonMap {
  if (!isObject(patch)) throw invalid(`a patch must be a JSON object, got ${show(patch)}`);
  const base = isObject(original) ? (structuredClone(original) as JsonMap) : {};
  return mergeMap(base, structuredClone(patch) as JsonMap, schema);
}

function mergeMap(original: JsonMap, patch: JsonMap, schema: PatchSchema): JsonMap {
  if (Object.hasOwn(patch, DIRECTIVE)) return directiveInMap(patch[DIRECTIVE], patch);
  applyRetainKeys(original, patch);
  mergeSetElementOrder(original, patch, schema);
  for (let [k, patchV] of Object.entries(patch)) {
    if (UNSAFE_KEYS.has(k)) continue;
    let isDeleteList = false;
    if (k.startsWith(`${DELETE_FROM_PRIMITIVE_LIST}/`)) {
      k = extractKey(k, DELETE_FROM_PRIMITIVE_LIST);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete original[k];
      continue;
    }
    if (!Object.hasOwn(original, k)) {
      if (!isDeleteList) {
        discardNulls(patchV);
        const [value, keep] = removeDirectives(patchV);
        if (keep) original[k] = value;
      }
      continue;
    }
    const current = original[k];
    if (kindOf(current) !== kindOf(patchV)) {
      if (!isDeleteList) {
        discardNulls(patchV);
        const [value, keep] = removeDirectives(patchV);
        if (keep) original[k] = value;
        else delete original[k];
      }
      continue;
    }
    const child = childOf(schema, k);
    if (isObject(current) && isObject(patchV)) {
      original[k] = child.field.strategy === "replace" ? patchV : mergeMap(current, patchV, child.schema);
    } else if (Array.isArray(current) && Array.isArray(patchV)) {
      original[k] =
        child.field.strategy === "merge" || isDeleteList
          ? mergeSlice(current, patchV, child.schema, child.field, isDeleteList)
          : patchV;
    } else {
      const [value, keep] = removeDirectives(patchV);
      if (keep) original[k] = value;
      else delete original[k];
    }
  }
  return original;
}

function kindOf(v: Json): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function directiveInMap(directive: Json, patch: JsonMap): JsonMap {
  if (directive === "replace") {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === "delete") return {};
  throw invalid(`unknown patch type: ${show(directive)} in map: ${show(patch)}`);
}

function extractKey(key: string, prefix: string): string {
  const at = key.indexOf("/");
  if (at === -1 || key.slice(0, at) !== prefix) throw invalid(`bad ${prefix} key ${key}`);
  return key.slice(at + 1);
}

function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw invalid("invalid patch: $retainKeys must be a list");
  const keep = new Set(retain);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(`${DELETE_FROM_PRIMITIVE_LIST}/`) || k.startsWith(`${SET_ELEMENT_ORDER}/`))
      continue;
    if (!keep.has(k)) throw invalid(`invalid patch: ${k} is not in $retainKeys`);
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

function mergeSetElementOrder(original: JsonMap, patch: JsonMap, schema: PatchSchema): void {
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(`${SET_ELEMENT_ORDER}/`)) continue;
    delete patch[key];
    if (!Array.isArray(order)) throw invalid(`${key} must be a list`);
    const field = extractKey(key, SET_ELEMENT_ORDER);
    const hasOriginal = Object.hasOwn(original, field);
    const hasPatch = Object.hasOwn(patch, field);
    const originalList = hasOriginal ? asList(original[field], field) : [];
    const patchList = hasPatch ? asList(patch[field], field) : [];
    const child = childOf(schema, field);
    const mergeKey = mergeKeyOf(child.field, [...originalList, ...patchList]);
    validateSetOrder(patchList, order, mergeKey);
    let merged: Json[];
    if (hasOriginal && !hasPatch) merged = originalList;
    else if (!hasOriginal && hasPatch) merged = removeDirectives(patchList)[0] as Json[];
    else if (hasOriginal && hasPatch)
      merged =
        child.field.strategy === "merge"
          ? mergeSlice(originalList, patchList, child.schema, child.field, false)
          : patchList;
    else continue;
    const [inPatch, serverOnly] = mergeKey
      ? partitionMaps(merged, order, mergeKey)
      : partitionPrimitives(merged, order);
    const kind = elementKind(originalList, patchList);
    original[field] = normalizeOrder(inPatch, serverOnly, order, originalList, mergeKey, kind);
    delete patch[field];
  }
}

function asList(v: Json, field: string): Json[] {
  if (!Array.isArray(v)) throw invalid(`${field}: expected a list, got ${show(v)}`);
  return v;
}

function validateSetOrder(patchList: Json[], order: Json[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? patchList.filter((v) => !(isObject(v) && v[DIRECTIVE] === "delete")) : patchList;
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (isObject(item) && Object.hasOwn(item, DIRECTIVE)) {
      p++;
      continue;
    }
    if (sameKey(item, order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length && o >= order.length)
    throw invalid(`the order in the patch list ${show(patchList)} does not match ${SET_ELEMENT_ORDER}`);
}

function sameKey(left: Json, right: Json, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isObject(left) || !Object.hasOwn(left, mergeKey)) throw noMergeKey(left, mergeKey);
  if (!isObject(right) || !Object.hasOwn(right, mergeKey)) throw noMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

/** The kind of the items of the lists: "object", "string", …; lists of lists are refused. */
function elementKind(...lists: Json[][]): string {
  let kind: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = kindOf(v);
      if (kind === undefined) {
        if (k === "array") throw invalid("lists of lists are not supported");
        kind = k;
      } else if (kind !== k) {
        throw invalid(`list element types are not identical: ${show(lists)}`);
      }
    }
  }
  if (kind === undefined) throw invalid("no elements in any of the given lists");
  return kind;
}

function mergeSlice(
  original: Json[],
  patch: Json[],
  schema: PatchSchema,
  field: PatchField,
  isDeleteList: boolean,
): Json[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch);
  const mergeKey = kind === "object" ? mergeKeyOf(field, [...original, ...patch]) : "";
  let merged: Json[];
  let base = original;
  let items = patch;
  if (kind !== "object") {
    if (isDeleteList) return original.filter((v) => !patch.includes(v));
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (!mergeKey) throw invalid(`cannot merge lists without merge key for ${schema.name}`);
    [base, items] = withSpecialElements(original, patch, mergeKey);
    merged = withoutSpecialElements(base, items, mergeKey, schema);
  }
  const [inPatch, serverOnly] = mergeKey
    ? partitionMaps(merged, items, mergeKey)
    : partitionPrimitives(merged, items);
  return normalizeOrder(inPatch, serverOnly, items, base, mergeKey, kind);
}

// Go's deduplicateScalars: a later duplicate is overwritten by the last item, so the order can change.
function deduplicateScalars(s: Json[]): Json[] {
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (s[i] === s[j]) {
        s[j] = s[length];
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

function withSpecialElements(original: Json[], patch: Json[], mergeKey: string): [Json[], Json[]] {
  const plain: Json[] = [];
  let replace = false;
  let base = original;
  for (const v of patch) {
    const item = v as JsonMap;
    if (!Object.hasOwn(item, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === "delete") {
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
      base = base.filter((o) => !(isObject(o) && o[mergeKey] === item[mergeKey]));
    } else if (directive === "replace") {
      replace = true;
    } else if (directive === "merge") {
      throw invalid("merging lists cannot yet be specified in the patch");
    } else {
      throw invalid(`unknown patch type: ${show(directive)} in map: ${show(item)}`);
    }
  }
  return replace ? [plain, []] : [base, plain];
}

function withoutSpecialElements(
  original: Json[],
  patch: Json[],
  mergeKey: string,
  schema: PatchSchema,
): Json[] {
  const out = [...original];
  for (const v of patch) {
    const item = v as JsonMap;
    if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    const at = out.findIndex(
      (o) => isObject(o) && Object.hasOwn(o, mergeKey) && o[mergeKey] === item[mergeKey],
    );
    if (at >= 0) out[at] = mergeMap(out[at] as JsonMap, item, schema);
    else out.push(v);
  }
  return out;
}

function partitionPrimitives(list: Json[], by: Json[]): [Json[], Json[]] {
  const inPatch: Json[] = [];
  const serverOnly: Json[] = [];
  for (const v of list) (by.includes(v) ? inPatch : serverOnly).push(v);
  return [inPatch, serverOnly];
}

function partitionMaps(list: Json[], by: Json[], mergeKey: string): [Json[], Json[]] {
  const inPatch: Json[] = [];
  const serverOnly: Json[] = [];
  for (const v of list) {
    if (!isObject(v)) throw invalid(`expected a map, got ${show(v)}`);
    if (!Object.hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
    const found = by.some((b) => isObject(b) && Object.hasOwn(b, mergeKey) && b[mergeKey] === v[mergeKey]);
    (found ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}

function indexIn(list: Json[], v: Json, mergeKey: string, kind: string): number {
  const value = (x: Json) => (kind === "object" ? (isObject(x) ? x[mergeKey] : undefined) : x);
  const wanted = value(v);
  return list.findIndex((x) => value(x) === wanted);
}

function sortByOrder(list: Json[], order: Json[], mergeKey: string, kind: string): Json[] {
  let keep = list;
  let toDelete: Json[] = [];
  if (kind === "object") {
    for (const item of [...list, ...order]) {
      if (!isObject(item)) throw invalid(`expected a map, got ${show(item)}`);
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    }
    keep = list.filter((v) => (v as JsonMap)[DIRECTIVE] !== "delete");
    toDelete = list.filter((v) => (v as JsonMap)[DIRECTIVE] === "delete");
  }
  // Every item is found in its order list here, so Go's SliceStable is a stable sort by position.
  const sorted = keep
    .map((v, i) => ({ v, i, at: indexIn(order, v, mergeKey, kind) }))
    .sort((a, b) => (a.at >= 0 && b.at >= 0 ? a.at - b.at : 0) || a.i - b.i)
    .map((x) => x.v);
  return [...sorted, ...toDelete];
}

function normalizeOrder(
  inPatch: Json[],
  serverOnly: Json[],
  patchOrder: Json[],
  serverOrder: Json[],
  mergeKey: string,
  kind: string,
): Json[] {
  const right = sortByOrder(inPatch, patchOrder, mergeKey, kind);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
  // Go's mergeSortedSlice: a server-only item goes first only when both are in the original and it came earlier there.
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** Drops a map that carries `$patch` and removes such maps from lists, recursively (Go's removeDirectives). */
function removeDirectives(v: Json): [Json, boolean] {
  if (isObject(v)) {
    if (Object.hasOwn(v, DIRECTIVE)) return [undefined, false];
    for (const [k, x] of Object.entries(v)) {
      const [value, keep] = removeDirectives(x);
      if (keep) v[k] = value;
      else delete v[k];
    }
    return [v, true];
  }
  if (Array.isArray(v)) {
    const out: Json[] = [];
    for (const x of v) {
      const [value, keep] = removeDirectives(x);
      if (keep) out.push(value);
    }
    return [out, true];
  }
  return [v, true];
}

function discardNulls(v: Json): void {
  if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else discardNulls(x);
    }
  } else if (Array.isArray(v)) {
    for (const x of v) discardNulls(x);
  }
}

/** Removes directive keys (`$patch`, `$retainKeys`, …) a typed decode would drop (Kanister decodes the merged spec into a PodSpec). */
export function stripDirectiveKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripDirectiveKeys);
  if (!isObject(v)) return v;
  const out: JsonMap = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith("$")) out[k] = stripDirectiveKeys(x);
  return out;
}
