/** A writer byte-identical to Go's encoding/json Marshal for template values, and its parser. */

import { chargeWork } from "../budget.js";
import { GoStruct, isNilCollection } from "../go/typed.js";
import { GoRawJson } from "../go/types.js";
import { isMap, ownKeys } from "../go/values.js";
import { GoTime } from "./go-time.js";
import { jsonQuote } from "./json-quote.js";
import {
  ABSENT,
  isEmptyValue,
  jsonFields,
  jsonFieldValue,
  reformatRawJson,
  typedJson,
} from "./json-typed.js";

/** Go's `json: unsupported value: NaN` and similar marshal errors. */
export class JsonMarshalError extends Error {}

export interface JsonOptions {
  /** Escape `<`, `>` and `&` as Go's Marshal does (false for toRawJson's SetEscapeHTML(false)). */
  readonly escapeHtml: boolean;
  /** Indent unit for MarshalIndent; "" for compact output. */
  readonly indent: string;
}

/** Go's encoder gives up on values nested this deep (a cycle, in Go's case). */
const MAX_DEPTH = 1000;
/**
 * Work, in bytes, charged to the render per list element or map entry encoded: encoding one costs
 * far more than its 8 bytes of list storage, and a map's entries are not counted where it is passed.
 */
const ENTRY_COST = 32;

/** Go's float64 JSON form: shortest digits, exponent below 1e-6 and from 1e21 ("1e-7", "1e+21"). */
export function jsonNumber(n: number): string {
  if (!Number.isFinite(n)) {
    throw new JsonMarshalError(
      `json: unsupported value: ${Number.isNaN(n) ? "NaN" : n > 0 ? "+Inf" : "-Inf"}`,
    );
  }
  if (Object.is(n, -0)) return "-0";
  // JavaScript's Number#toString uses the same thresholds and shortest round-trip digits.
  return String(n);
}

function write(v: unknown, opts: JsonOptions, prefix: string, depth: number): string {
  switch (typeof v) {
    case "string":
      return jsonQuote(v, opts.escapeHtml);
    case "number":
      return jsonNumber(v);
    case "bigint":
      return v.toString();
    case "boolean":
      return v ? "true" : "false";
    case "undefined":
      return "null";
    case "function":
      throw new JsonMarshalError("json: unsupported type: func(...interface {}) interface {}");
    default:
      break;
  }
  if (v === null) return "null";
  if (depth > MAX_DEPTH) throw new JsonMarshalError("json: unsupported value: encountered a cycle");
  // Plain data first; a typed map has its own prototype, a typed slice differs only when nil.
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto === Object.prototype || proto === null)
    return writeMap(v as Record<string, unknown>, opts, prefix, depth);
  if (Array.isArray(v)) {
    if (v.length === 0) return isNilCollection(v) ? "null" : "[]";
    return writeArray(v, opts, prefix, depth);
  }
  if (v instanceof Uint8Array) return v.length === 0 && isNilCollection(v) ? "null" : `"${base64(v)}"`;
  if (v instanceof GoStruct && v.structType.marshalJson === undefined)
    return writeStruct(v, opts, prefix, depth);
  const typed = typedJson(v as object);
  if (typed !== undefined) {
    if (typed === "null") return "null";
    if ("value" in typed) return write(typed.value, opts, prefix, depth + 1);
    return writeStruct(typed.struct, opts, prefix, depth);
  }
  if (isMap(v)) return writeMap(v, opts, prefix, depth);
  if (v instanceof GoRawJson) return reformatRawJson(v, opts.escapeHtml, prefix, opts.indent);
  if (v instanceof GoTime) return `"${v.format("2006-01-02T15:04:05.999999999Z07:00")}"`;
  if (typeof (v as { toJSON?: unknown }).toJSON === "function") {
    return write((v as { toJSON: () => unknown }).toJSON(), opts, prefix, depth + 1);
  }
  return "{}";
}

function writeArray(v: readonly unknown[], opts: JsonOptions, prefix: string, depth: number): string {
  const inner = prefix + opts.indent;
  const pretty = opts.indent !== "";
  const open = pretty ? `\n${inner}` : "";
  chargeWork(v.length * ENTRY_COST);
  let out = "[";
  for (let i = 0; i < v.length; i++) {
    if (i > 0) out += ",";
    out += open + write(v[i], opts, inner, depth + 1);
  }
  return `${out}${pretty ? `\n${prefix}` : ""}]`;
}

/** A map's entries in Go's (sorted) key order. */
function writeMap(v: Record<string, unknown>, opts: JsonOptions, prefix: string, depth: number): string {
  const keys = ownKeys(v);
  if (keys.length === 0) return "{}";
  chargeWork(keys.length * ENTRY_COST);
  const inner = prefix + opts.indent;
  const pretty = opts.indent !== "";
  const open = pretty ? `\n${inner}` : "";
  const sep = pretty ? ": " : ":";
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (i > 0) out += ",";
    out += open + jsonQuote(k, opts.escapeHtml) + sep + write(v[k], opts, inner, depth + 1);
  }
  return `${out}${pretty ? `\n${prefix}` : ""}}`;
}

/** A struct's fields, in Go's order, omitempty applied (the field plan is computed once per type). */
function writeStruct(v: GoStruct, opts: JsonOptions, prefix: string, depth: number): string {
  const fields = jsonFields(v.structType);
  const keys: string[] = [];
  const values: unknown[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const value = jsonFieldValue(v, f);
    if (value === ABSENT || (f.omitEmpty && isEmptyValue(value))) continue;
    keys.push(opts.escapeHtml ? f.keyHtml : f.keyPlain);
    values.push(value);
  }
  if (keys.length === 0) return "{}";
  chargeWork(keys.length * ENTRY_COST);
  const inner = prefix + opts.indent;
  const pretty = opts.indent !== "";
  const open = pretty ? `\n${inner}` : "";
  const sep = pretty ? ": " : ":";
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ",";
    out += open + keys[i] + sep + write(values[i], opts, inner, depth + 1);
  }
  return `${out}${pretty ? `\n${prefix}` : ""}}`;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard base64 with padding; a plain loop beats Buffer for the short values templates hold. */
function base64(b: Uint8Array): string {
  if (b.length > 256) return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64");
  let out = "";
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const n = ((b[i] ?? 0) << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += B64.charAt(n >> 18) + B64.charAt((n >> 12) & 63) + B64.charAt((n >> 6) & 63) + B64.charAt(n & 63);
  }
  const rest = b.length - i;
  if (rest > 0) {
    const n = ((b[i] ?? 0) << 16) | (rest > 1 ? (b[i + 1] ?? 0) << 8 : 0);
    out += `${B64.charAt(n >> 18)}${B64.charAt((n >> 12) & 63)}${rest > 1 ? B64.charAt((n >> 6) & 63) : "="}=`;
  }
  return out;
}

/**
 * Marshals a template value exactly as Go's `json.Marshal` / `MarshalIndent` would.
 *
 * @example
 * ```ts
 * marshalJson({ b: "<x>", a: 1e-7 }, { escapeHtml: true, indent: "" }); // '{"a":1e-7,"b":"\u003cx\u003e"}'
 * ```
 */
export function marshalJson(v: unknown, opts: JsonOptions): string {
  return write(v, opts, "", 0);
}

/** Go's json.Unmarshal into interface{}: objects become maps, numbers float64. */
export function unmarshalJson(text: string): unknown {
  return JSON.parse(text, function reviver(this: unknown, _key, value: unknown) {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      // Null prototype: keys such as "__proto__" stay plain data.
      return Object.assign(Object.create(null) as Record<string, unknown>, value);
    }
    return value;
  }) as unknown;
}
