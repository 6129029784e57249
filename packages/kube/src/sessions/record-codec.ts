/**
 * How a session record is stored in its ConfigMap: plain JSON under `data["session.json"]` while it
 * is small, gzipped JSON under `binaryData["session.json.gz"]` once it is larger.
 *
 * Why both: a small record (one namespace, one Blueprint action) stays readable with `kubectl get
 * cm -o yaml`, while a session over thousands of targets repeats the same hook specs, phases and
 * names per unit — JSON that gzip shrinks about 25-fold — and would otherwise pass the API
 * server's 1 MiB limit on a ConfigMap's data (1,000 namespaces × 10 pods: 1.0–1.8 MB of JSON).
 * Each write sets one key and removes the other, so a record is never in both forms; both forms
 * are read, so records written before compression existed still recover.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { ErrorCodes, QuiesceError, redactText } from "@quiesce/core";
import type { KubeObject } from "../cluster.js";

/** The ConfigMap key holding a plain record (JSON). */
export const SESSION_DATA_KEY = "session.json";
/** The ConfigMap `binaryData` key holding a compressed record (gzipped JSON). */
export const SESSION_GZIP_KEY = "session.json.gz";
/**
 * The API server refuses a ConfigMap whose data and binaryData hold more than 1 MiB together
 * (k8s.io/kubernetes pkg/apis/core/validation ValidateConfigMap: `totalSize > MaxSecretSize`).
 */
export const MAX_RECORD_BYTES = 1024 * 1024;
/** Records whose JSON is larger than this are stored gzipped. */
export const COMPRESS_ABOVE_BYTES = 64 * 1024;
// A compressed record inflates to at most this much: a corrupt or hostile value cannot exhaust memory.
const MAX_INFLATED_BYTES = 64 * MAX_RECORD_BYTES;

/** A record's ConfigMap fields: the key in use set, the other removed (`null`: a merge patch deletes it). */
export interface EncodedRecord {
  data: Record<string, string | null>;
  binaryData: Record<string, string | null>;
  /** Bytes the ConfigMap's data holds (as the API server counts them: the compressed bytes). */
  bytes: number;
}

function tooLarge(bytes: number, json: number): QuiesceError {
  return new QuiesceError(
    ErrorCodes.SESSION_RECORD_FAILED,
    `the session record would hold ${bytes} bytes (${json} bytes of JSON, gzipped); a ConfigMap holds at most ${MAX_RECORD_BYTES}`,
    { details: { bytes, jsonBytes: json } },
  );
}

/**
 * Serializes a record for its ConfigMap. Registered secrets are redacted from every string in it
 * (value by value, so the JSON stays well-formed). Throws `QUIESCE_SESSION_RECORD_FAILED` when even
 * the compressed record is above {@link MAX_RECORD_BYTES}.
 */
export function encodeRecord(envelope: unknown): EncodedRecord {
  const text = JSON.stringify(envelope, (_key, value: unknown) =>
    typeof value === "string" ? redactText(value) : value,
  );
  const json = Buffer.byteLength(text, "utf8");
  if (json <= COMPRESS_ABOVE_BYTES) {
    return { data: { [SESSION_DATA_KEY]: text }, binaryData: { [SESSION_GZIP_KEY]: null }, bytes: json };
  }
  const gz = gzipSync(text);
  if (gz.length > MAX_RECORD_BYTES) throw tooLarge(gz.length, json);
  return {
    data: { [SESSION_DATA_KEY]: null },
    binaryData: { [SESSION_GZIP_KEY]: gz.toString("base64") },
    bytes: gz.length,
  };
}

/** The fields of an encoded record for a new ConfigMap (no removals). */
export function createdFields(encoded: EncodedRecord): {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
} {
  const present = (m: Record<string, string | null>) =>
    Object.fromEntries(Object.entries(m).filter((e): e is [string, string] => e[1] !== null));
  const data = present(encoded.data);
  const binaryData = present(encoded.binaryData);
  return {
    ...(Object.keys(data).length > 0 ? { data } : {}),
    ...(Object.keys(binaryData).length > 0 ? { binaryData } : {}),
  };
}

/** The record's JSON text, from either form; throws `QUIESCE_SESSION_RECORD_INVALID` when unreadable. */
export function recordText(configMap: KubeObject, where: string): string {
  const cm = configMap as { data?: Record<string, string>; binaryData?: Record<string, string> };
  const gz = cm.binaryData?.[SESSION_GZIP_KEY];
  if (gz === undefined) return cm.data?.[SESSION_DATA_KEY] ?? "";
  try {
    return gunzipSync(Buffer.from(gz, "base64"), { maxOutputLength: MAX_INFLATED_BYTES }).toString("utf8");
  } catch (cause) {
    throw new QuiesceError(
      ErrorCodes.SESSION_RECORD_INVALID,
      `session record ${where}: ${SESSION_GZIP_KEY} is not gzip data (or inflates above ${MAX_INFLATED_BYTES} bytes)`,
      { cause },
    );
  }
}
