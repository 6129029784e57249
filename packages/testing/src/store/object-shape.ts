/** Comparisons and normalisations of stored objects: generation tracking, no-op detection, Secret stringData. */
import type { StoredObject } from "../api/seams.js";

/** Everything except metadata and status: what `generation` tracks. */
export function specOf(object: StoredObject): string {
  const { metadata: _m, status: _s, ...rest } = object;
  return JSON.stringify(rest);
}

/** The object without its resourceVersion: equal strings mean an update changes nothing. */
export function withoutVersion(object: StoredObject): string {
  const { resourceVersion: _rv, ...meta } = object.metadata;
  return JSON.stringify({ ...object, metadata: meta });
}

/** Folds a Secret's write-only `stringData` into base64 `data`, as the API server does. */
export function foldStringData(object: StoredObject): void {
  if (object.kind !== "Secret" || object.stringData === undefined) return;
  const data = { ...((object.data as Record<string, string> | undefined) ?? {}) };
  for (const [k, v] of Object.entries(object.stringData as Record<string, string>)) {
    data[k] = Buffer.from(String(v), "utf8").toString("base64");
  }
  object.data = data;
  delete object.stringData;
}
