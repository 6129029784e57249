/**
 * Comparisons and normalisations of stored objects: generation tracking, no-op detection, Secret
 * stringData, Lease MicroTimes.
 */
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

/**
 * Writes a Lease's `acquireTime`/`renewTime` as the API server re-encodes a metav1.MicroTime:
 * RFC 3339 in UTC with exactly six fractional digits (`2006-01-02T15:04:05.000000Z`), whatever
 * precision or offset the client sent. A value that does not parse is left for validation.
 */
export function normalizeMicroTimes(object: StoredObject): void {
  if (object.kind !== "Lease") return;
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec) return;
  for (const field of ["acquireTime", "renewTime"]) {
    const value = spec[field];
    if (typeof value !== "string") continue;
    const match = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/i.exec(value);
    const ms = Date.parse(value);
    if (!match || Number.isNaN(ms)) continue;
    const micros = (match[2] ?? "").padEnd(6, "0").slice(0, 6);
    const whole = new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
    spec[field] = `${whole}.${micros}Z`;
  }
}
