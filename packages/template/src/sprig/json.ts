/** A writer byte-identical to Go's encoding/json Marshal for template values, and its parser. */

import { isMap, ownKeys } from "../go/values.js";
import { GoTime } from "./go-time.js";

/** Go's `json: unsupported value: NaN` and similar marshal errors. */
export class JsonMarshalError extends Error {}

export interface JsonOptions {
  /** Escape `<`, `>` and `&` as Go's Marshal does (false for toRawJson's SetEscapeHTML(false)). */
  readonly escapeHtml: boolean;
  /** Indent unit for MarshalIndent; "" for compact output. */
  readonly indent: string;
}

const HEX = "0123456789abcdef";

/** Quotes a string as encoding/json does (Go 1.19 escapes: \n \r \t short, other controls \u00XX). */
export function jsonQuote(s: string, escapeHtml: boolean): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20) {
      rep = c === 10 ? "\\n" : c === 13 ? "\\r" : c === 9 ? "\\t" : `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    } else if (c === 34) rep = '\\"';
    else if (c === 92) rep = "\\\\";
    else if (escapeHtml && (c === 60 || c === 62 || c === 38)) rep = `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    else if (c === 0x2028 || c === 0x2029) rep = `\\u202${HEX[c & 15]}`;
    else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate is invalid UTF-8 in Go's view: replaced by U+FFFD.
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      rep = "\\ufffd";
    }
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return `${out + s.slice(start)}"`;
}

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

function write(v: unknown, opts: JsonOptions, prefix: string, seen: Set<object>): string {
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
  if (v instanceof Uint8Array)
    return `"${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64")}"`;
  if (v instanceof GoTime) return `"${v.format("2006-01-02T15:04:05.999999999Z07:00")}"`;
  if (typeof v !== "object") return "null";
  if (seen.has(v)) throw new JsonMarshalError("json: unsupported value: encountered a cycle");
  seen.add(v);
  try {
    const inner = prefix + opts.indent;
    const open = opts.indent === "" ? "" : `\n${inner}`;
    const close = opts.indent === "" ? "" : `\n${prefix}`;
    const sep = opts.indent === "" ? ":" : ": ";
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      const items = v.map((e: unknown) => write(e, opts, inner, seen));
      return `[${open}${items.join(`,${open}`)}${close}]`;
    }
    if (isMap(v)) {
      const keys = ownKeys(v);
      if (keys.length === 0) return "{}";
      const items = keys.map((k) => jsonQuote(k, opts.escapeHtml) + sep + write(v[k], opts, inner, seen));
      return `{${open}${items.join(`,${open}`)}${close}}`;
    }
    if (typeof (v as { toJSON?: unknown }).toJSON === "function") {
      return write((v as { toJSON: () => unknown }).toJSON(), opts, prefix, seen);
    }
    return "{}";
  } finally {
    seen.delete(v);
  }
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
  return write(v, opts, "", new Set());
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
