/**
 * `/openapi/v2`, which kubectl before 1.27 reads for client-side validation, `apply` and `explain`
 * — in protobuf (gnostic openapi_v2.Document, what client-go's discovery OpenAPISchema asks for)
 * or JSON. The definitions are the built-in kinds' schemas of {@link builtinSchemas}; values whose
 * JSON is a scalar of several types (quantities, int-or-string) carry no type, so validation
 * accepts what the API server would.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ResourceType } from "../api/seams.js";
import { builtinSchemas, type JsonSchema } from "./openapi-schemas.js";

/** The media type clients ask for the protobuf OpenAPI v2 document with (client-go discovery openAPIV2mimePb). */
export const OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

/** The media type of the answer: kube-openapi's handler writes `.v1.0`, which Go's mime parser accepts. */
export const OPENAPI_V2_PROTOBUF_ANSWER = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

/** Answers `GET /openapi/v2` in the format the client accepts. */
export function sendOpenApiV2(
  req: IncomingMessage,
  res: ServerResponse,
  types: readonly ResourceType[],
): void {
  const protobuf = (req.headers.accept ?? "").includes(OPENAPI_V2_PROTOBUF);
  const body = protobuf ? openApiV2Protobuf(types) : Buffer.from(JSON.stringify(openApiV2Json(types)));
  res.writeHead(200, {
    "Content-Type": protobuf ? OPENAPI_V2_PROTOBUF_ANSWER : "application/json",
    "Content-Length": body.length,
  });
  res.end(body);
}

/** The Swagger 2.0 document as JSON. */
export function openApiV2Json(types: readonly ResourceType[]): Record<string, unknown> {
  const definitions: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(definitionsOf(types))) definitions[name] = v2Schema(schema);
  return { swagger: "2.0", info: { title: "Kubernetes", version: "v1.33.0" }, paths: {}, definitions };
}

/**
 * The Swagger 2.0 document as a gnostic `openapi.v2.Document` in protobuf. Besides the
 * definitions it lists each kind's PATCH operation with its group/version/kind and a `dryRun`
 * query parameter: kubectl before 1.22 looks there to decide whether `kubectl diff` may dry-run
 * (kubectl pkg/util/openapi SupportsDryRun).
 */
export function openApiV2Protobuf(types: readonly ResourceType[]): Buffer {
  const doc = openApiV2Json(types) as { definitions: Record<string, JsonSchema> };
  const info = message([1, str("Kubernetes")], [2, str("v1.33.0")]);
  const named = Object.entries(doc.definitions).map(([name, schema]) =>
    message([1, str(name)], [2, schemaMessage(schema)]),
  );
  // Paths: path = 2 (NamedPathItem: name = 1, value = PathItem with patch = 8).
  const paths = types.map((t) => {
    const prefix = t.group === "" ? `/api/${t.version}` : `/apis/${t.group}/${t.version}`;
    const path = `${prefix}${t.namespaced ? "/namespaces/{namespace}" : ""}/${t.resource}/{name}`;
    // QueryParameterSubSchema: in = 2, name = 4, type = 6; in NonBodyParameter (3), Parameter (2), ParametersItem (1).
    const dryRun = message([
      1,
      message([2, message([3, message([2, str("query")], [4, str("dryRun")], [6, str("string")])])]),
    ]);
    const gvk = JSON.stringify({ group: t.group, kind: t.kind, version: t.version });
    // Operation: parameters = 8, vendor_extension = 13 (NamedAny: name = 1, value = Any with yaml = 2).
    const patch = message(
      [8, dryRun],
      [13, message([1, str("x-kubernetes-group-version-kind")], [2, message([2, str(gvk)])])],
    );
    return [2, message([1, str(path)], [2, message([8, patch])])] as Field;
  });
  // Document: swagger = 1, info = 2, paths = 8, definitions = 9 (Definitions.additional_properties = 1).
  return message(
    [1, str("2.0")],
    [2, info],
    [8, message(...paths)],
    [9, message(...named.map((n) => [1, n] as Field))],
  );
}

function definitionsOf(types: readonly ResourceType[]): Record<string, JsonSchema> {
  return builtinSchemas(types.map((t) => ({ group: t.group, version: t.version, kind: t.kind })));
}

/** OpenAPI v3 → Swagger 2.0: `#/definitions/` references; multi-type scalars become arbitrary values. */
function v2Schema(schema: JsonSchema): JsonSchema {
  if (schema["x-kubernetes-int-or-string"]) return { "x-kubernetes-int-or-string": true };
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "$ref") out.$ref = String(value).replace("#/components/schemas/", "#/definitions/");
    else if (key === "properties") {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, v2Schema(v)]),
      );
    } else if (key === "items" || key === "additionalProperties") out[key] = v2Schema(value as JsonSchema);
    else if (key === "type" && schema.format === "date-time") out.type = "string";
    else out[key] = value;
  }
  if (schema.type === "object" && !schema.properties && !schema.additionalProperties) delete out.type;
  return out;
}

type Field = [number, Buffer];

/** gnostic openapi.v2.Schema: _ref 1, format 2, description 4, additional_properties 21, type 22, items 23, properties 25, vendor_extension 31. */
function schemaMessage(schema: JsonSchema): Buffer {
  const fields: Field[] = [];
  if (typeof schema.$ref === "string") fields.push([1, str(schema.$ref)]);
  if (typeof schema.format === "string") fields.push([2, str(schema.format)]);
  if (typeof schema.description === "string") fields.push([4, str(schema.description)]);
  if (schema.additionalProperties) {
    fields.push([21, message([1, schemaMessage(schema.additionalProperties as JsonSchema)])]);
  }
  if (typeof schema.type === "string") fields.push([22, message([1, str(schema.type)])]);
  if (schema.items) fields.push([23, message([1, schemaMessage(schema.items as JsonSchema)])]);
  if (schema.properties) {
    const props = Object.entries(schema.properties as Record<string, JsonSchema>).map(
      ([name, value]) => [1, message([1, str(name)], [2, schemaMessage(value)])] as Field,
    );
    fields.push([25, message(...props)]);
  }
  for (const [key, value] of Object.entries(schema)) {
    if (!key.startsWith("x-")) continue;
    // NamedAny { name = 1, value = Any { yaml = 2 } }: the extension's value as YAML (JSON is YAML).
    fields.push([31, message([1, str(key)], [2, message([2, str(JSON.stringify(value))])])]);
  }
  return message(...fields);
}

function str(text: string): Buffer {
  return Buffer.from(text, "utf8");
}

/** Length-delimited fields (wire type 2) in order. */
function message(...fields: Field[]): Buffer {
  const parts: Buffer[] = [];
  for (const [num, payload] of fields) parts.push(varint((num << 3) | 2), varint(payload.length), payload);
  return Buffer.concat(parts);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}
