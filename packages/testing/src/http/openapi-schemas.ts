/**
 * OpenAPI v3 schemas of the built-in kinds, built from the same message descriptions the protobuf
 * decoder reads: every field with its JSON name and type, nested objects as `$ref`s — what
 * `kubectl explain` walks. The descriptions of the real API are not carried (explain prints
 * `<no description>`); custom resources get their CRD's own schema.
 */
import { type Field, messageTable } from "../protobuf/messages.js";

/** A JSON schema (OpenAPI v3 flavour), loosely typed. */
export type JsonSchema = Record<string, unknown>;

/** A group/version/kind served in a document. */
export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

const SCALAR_SCHEMAS: Record<string, JsonSchema> = {
  string: { type: "string" },
  bytes: { type: "string", format: "byte" },
  bool: { type: "boolean" },
  int32: { type: "integer", format: "int32" },
  int64: { type: "integer", format: "int64" },
  double: { type: "number", format: "double" },
  // Messages whose JSON is a scalar (apimachinery metav1.Time, resource.Quantity, intstr.IntOrString).
  Time: { type: "string", format: "date-time" },
  MicroTime: { type: "string", format: "date-time" },
  Quantity: { type: "string", format: "quantity", "x-kubernetes-int-or-string": true },
  IntOrString: { type: "string", format: "int-or-string", "x-kubernetes-int-or-string": true },
  FieldsV1: { type: "object" },
  ExtraValue: { type: "array", items: { type: "string" } },
};

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

function fieldSchema(field: Field): JsonSchema {
  const one = SCALAR_SCHEMAS[field.type] ?? ref(field.type);
  if (field.repeated) return { type: "array", items: one };
  if (field.map) return { type: "object", additionalProperties: one };
  return one;
}

function properties(
  name: string,
  seen: Set<string>,
  out: Record<string, JsonSchema>,
): Record<string, JsonSchema> {
  const props: Record<string, JsonSchema> = {};
  for (const field of messageTable().get(name)?.values() ?? []) {
    if (field.inline) {
      Object.assign(props, properties(field.type, seen, out));
      continue;
    }
    props[field.name] = fieldSchema(field);
    if (!SCALAR_SCHEMAS[field.type]) collect(field.type, seen, out);
  }
  return props;
}

function collect(name: string, seen: Set<string>, out: Record<string, JsonSchema>): void {
  if (seen.has(name) || !messageTable().has(name)) return;
  seen.add(name);
  out[name] = { type: "object", properties: properties(name, seen, out) };
}

/** True when the built-in messages describe `kind`. */
export function hasBuiltinSchema(kind: string): boolean {
  return messageTable().has(kind) && !SCALAR_SCHEMAS[kind] && kind !== "Unknown";
}

/**
 * `components.schemas` for the given kinds: each kind with `apiVersion`, `kind` and its fields,
 * tagged with `x-kubernetes-group-version-kind`, plus every message it reaches.
 */
export function builtinSchemas(kinds: readonly Gvk[]): Record<string, JsonSchema> {
  const key = JSON.stringify(kinds);
  const cached = cache.get(key);
  // A copy: callers add their custom resources' schemas to it.
  if (cached) return { ...cached };
  const out: Record<string, JsonSchema> = {};
  const seen = new Set<string>();
  for (const gvk of kinds) {
    if (!hasBuiltinSchema(gvk.kind)) continue;
    collect(gvk.kind, seen, out);
    const schema = out[gvk.kind] as { properties: Record<string, JsonSchema> };
    const apiVersion = gvk.group === "" ? gvk.version : `${gvk.group}/${gvk.version}`;
    out[gvk.kind] = {
      description: `${gvk.kind} (${apiVersion}). The local cluster serves the structure and types of its fields; their documentation is in the Kubernetes API reference.`,
      type: "object",
      properties: { apiVersion: { type: "string" }, kind: { type: "string" }, ...schema.properties },
      "x-kubernetes-group-version-kind": [gvk],
    };
  }
  cache.set(key, out);
  return { ...out };
}

/** The schemas are the same for the same kinds: each group/version document is built once. */
const cache = new Map<string, Record<string, JsonSchema>>();
