/** encoding/json's Unmarshal into Go-typed template values: a Kubernetes object becomes a Go struct. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { LayoutParseError, parseLayout } from "../sprig/go-layout-parse.js";
import { GoTime } from "../sprig/go-time.js";
import { GoNil, GoPointer, GoStruct, goValue, zeroValue } from "./typed.js";
import type { GoStructType, GoType } from "./types.js";
import { goTypes } from "./types.js";

const RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00";

function fail(path: string, type: GoType, why: string): never {
  throw new QuiesceError(
    ErrorCodes.VALIDATION,
    `${path === "" ? "value" : path}: ${why} (Go type ${type.name})`,
    {
      details: { path, expected: type.name },
    },
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** The struct value for a JSON object: keys matched to json names (exactly, then ignoring case). */
function structFromJson(type: GoStructType, json: Record<string, unknown>, path: string): GoStruct {
  const values = type.fields.map((f) => zeroValue(f.type));
  const keys = Object.keys(json);
  type.fields.forEach((f, i) => {
    const inner = f.type.kind === "ptr" ? f.type.elem : f.type;
    if (f.embedded && !f.jsonTagged && inner.kind === "struct") {
      // Inlined: the embedded struct takes its own keys from the same object.
      const s = structFromJson(inner, json, path);
      values[i] = f.type.kind === "ptr" ? s.asPointer(true) : s;
      return;
    }
    if (f.jsonName === undefined || !f.exported) return;
    const name = f.jsonName;
    const key = keys.includes(name) ? name : keys.find((k) => k.toLowerCase() === name.toLowerCase());
    if (key === undefined) return;
    values[i] = fromJsonAt(f.type, json[key], path === "" ? key : `${path}.${key}`);
  });
  return new GoStruct(type, values);
}

function timeFromJson(json: unknown, path: string): GoTime {
  if (typeof json !== "string") return fail(path, goTypes.time, "expected an RFC 3339 time string");
  try {
    const p = parseLayout(RFC3339_NANO, json);
    return new GoTime(p.unixSeconds, p.nanos, p.offset ?? 0, p.zone);
  } catch (err) {
    if (err instanceof LayoutParseError) return fail(path, goTypes.time, err.message);
    throw err;
  }
}

function fromJsonAt(type: GoType, json: unknown, path: string): unknown {
  if (type.unmarshalJson !== undefined) return type.unmarshalJson(json);
  // JSON null leaves Go's zero value (nil for maps, slices, pointers and interfaces).
  if (json === null || json === undefined) return zeroValue(type);
  switch (type.kind) {
    case "interface":
      return json;
    case "time":
      return timeFromJson(json, path);
    case "ptr": {
      const v = fromJsonAt(type.elem, json, path);
      if (v instanceof GoStruct) return v.asPointer(true);
      return v instanceof GoNil ? v : new GoPointer(type, v);
    }
    case "struct":
      if (!isObject(json)) return fail(path, type, "expected a JSON object");
      return structFromJson(type, json, path);
    case "slice": {
      if (type.elem.kind === "uint8" && !type.named) {
        if (typeof json !== "string") return fail(path, type, "expected base64 text");
        return goValue(type, new Uint8Array(Buffer.from(json, "base64")));
      }
      if (!Array.isArray(json)) return fail(path, type, "expected a JSON array");
      return goValue(
        type,
        json.map((e, i) => fromJsonAt(type.elem, e, `${path}[${i}]`)),
      );
    }
    case "map": {
      if (!isObject(json)) return fail(path, type, "expected a JSON object");
      const out = Object.create(null) as Record<string, unknown>;
      for (const k of Object.keys(json)) {
        Object.defineProperty(out, k, {
          value: fromJsonAt(type.elem, json[k], path === "" ? k : `${path}.${k}`),
          enumerable: true,
        });
      }
      return goValue(type, out);
    }
    default:
      return goValue(type, json);
  }
}

/**
 * Builds a Go-typed value from decoded JSON as Go's `json.Unmarshal` fills a value of that type:
 * keys are the fields' json names, embedded structs are inlined, `[]byte` is base64 text,
 * `time.Time` RFC 3339, missing keys and `null` leave zero values, unknown keys are ignored.
 *
 * @example
 * ```ts
 * const secret = goValueFromJson(SecretType, await cluster.get(secretRef)); // a corev1.Secret
 * render("{{ .Data.password | toString }}", secret);
 * ```
 */
export function goValueFromJson(type: GoType, json: unknown): unknown {
  return fromJsonAt(type, json, "");
}
