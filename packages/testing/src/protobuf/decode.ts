/**
 * Decodes the protobuf request bodies client-go sends for built-in kinds into the JSON objects the
 * store keeps. client-go rest/request.go (UseProtobufAsDefault): typed clients send
 * `application/vnd.kubernetes.protobuf` and, on a 415, fall back to JSON only for CBOR
 * (rest/client.go requestClientContentConfigProvider) — so protobuf has to be understood.
 */
import { ApiStatusError } from "../api/errors.js";
import { messageTable } from "./messages.js";

/** apimachinery pkg/runtime/serializer/protobuf/protobuf.go: every object starts with these 4 bytes. */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** The kinds whose protobuf encoding the server understands. */
export function protobufKinds(): string[] {
  return [...messageTable().keys()];
}

/**
 * Decodes a body of `application/vnd.kubernetes.protobuf`: the `k8s\0` magic, then a
 * `runtime.Unknown` (typeMeta, raw, contentEncoding) whose `raw` is the object. Unknown fields
 * are skipped, as the API server's generated unmarshallers skip them.
 */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) {
    throw ApiStatusError.badRequest(
      "the protobuf body does not start with the Kubernetes magic number k8s\\x00",
    );
  }
  const unknown = decodeMessage(new Reader(body.subarray(4)), "Unknown") as Record<string, unknown>;
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  if (unknown.contentEncoding) {
    throw unsupported(`protobuf content encoding "${String(unknown.contentEncoding)}" is not supported`);
  }
  const kind = typeMeta.kind ?? "";
  if (!messageTable().has(kind) || kind === "Unknown") {
    throw unsupported(
      `${kind || "this kind"} is not accepted as protobuf by the local cluster; send it as JSON`,
    );
  }
  const raw = Buffer.from((unknown.raw as string | undefined) ?? "", "base64");
  const object = decodeMessage(new Reader(raw), kind) as Record<string, unknown>;
  return { ...(typeMeta.apiVersion ? { apiVersion: typeMeta.apiVersion } : {}), kind, ...object };
}

function unsupported(message: string): ApiStatusError {
  return new ApiStatusError(415, "UnsupportedMediaType", message);
}

function decodeMessage(reader: Reader, type: string): unknown {
  const fields = messageTable().get(type);
  if (!fields) throw ApiStatusError.badRequest(`protobuf: no description of message ${type}`);
  const out: Record<string, unknown> = {};
  while (!reader.done()) {
    const tag = reader.varint();
    const num = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    const field = fields.get(num);
    if (!field) {
      reader.skip(wire);
      continue;
    }
    if (field.map) {
      const [key, value] = decodeMapEntry(reader.bytes(), field.type);
      const map = (out[field.name] ?? {}) as Record<string, unknown>;
      map[key] = value;
      out[field.name] = map;
    } else if (field.repeated) {
      const list = (out[field.name] ?? []) as unknown[];
      out[field.name] = list;
      if (wire === 2 && isPackable(field.type)) {
        const packed = new Reader(reader.bytes());
        while (!packed.done()) list.push(readScalar(packed, field.type, packable(field.type)));
      } else {
        list.push(readValue(reader, field.type, wire));
      }
    } else if (field.inline) {
      Object.assign(out, readValue(reader, field.type, wire));
    } else {
      const value = readValue(reader, field.type, wire);
      // Go's JSON leaves zero values of omitempty fields (and zero times) out; so does the decoder.
      if (value === undefined || (!field.keepZero && (value === "" || value === 0 || value === false))) {
        delete out[field.name];
      } else {
        out[field.name] = value;
      }
    }
  }
  return special(type, out);
}

function decodeMapEntry(bytes: Buffer, valueType: string): [string, unknown] {
  const entry = new Reader(bytes);
  let key = "";
  let value: unknown = valueType === "string" ? "" : valueType === "bytes" ? "" : {};
  while (!entry.done()) {
    const tag = entry.varint();
    const wire = Number(tag & 7n);
    if (tag >> 3n === 1n) key = entry.bytes().toString("utf8");
    else if (tag >> 3n === 2n) value = readValue(entry, valueType, wire);
    else entry.skip(wire);
  }
  return [key, value];
}

const SCALARS = new Set(["string", "bytes", "bool", "int32", "int64", "double"]);

function isPackable(type: string): boolean {
  return type === "bool" || type === "int32" || type === "int64" || type === "double";
}

function packable(type: string): number {
  return type === "double" ? 1 : 0;
}

function readValue(reader: Reader, type: string, wire: number): unknown {
  if (SCALARS.has(type)) return readScalar(reader, type, wire);
  return decodeMessage(new Reader(reader.bytes()), type);
}

function readScalar(reader: Reader, type: string, wire: number): unknown {
  switch (type) {
    case "string":
      return reader.bytes().toString("utf8");
    case "bytes":
      return reader.bytes().toString("base64");
    case "bool":
      return reader.varint() !== 0n;
    case "int32":
      return Number(BigInt.asIntN(32, reader.varint()));
    case "int64":
      return Number(BigInt.asIntN(64, reader.varint()));
    case "double":
      if (wire !== 1) throw ApiStatusError.badRequest("protobuf: a double field is not 64-bit");
      return reader.double();
    default:
      throw ApiStatusError.badRequest(`protobuf: unknown scalar ${type}`);
  }
}

/**
 * The JSON form of messages whose Go type marshals differently from its fields (apimachinery:
 * metav1.Time and MicroTime as RFC 3339 in UTC, resource.Quantity and intstr.IntOrString as
 * scalars, FieldsV1 as its raw JSON, ExtraValue as a plain list). A zero time is left out.
 */
function special(type: string, value: Record<string, unknown>): unknown {
  switch (type) {
    case "Time":
    case "MicroTime": {
      const seconds = Number(value.seconds ?? 0);
      const nanos = Number(value.nanos ?? 0);
      if (seconds === 0 && nanos === 0) return undefined;
      const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
      return type === "Time" ? `${iso}Z` : `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, "0")}Z`;
    }
    case "Quantity":
      return value.string ?? "0";
    case "IntOrString":
      return Number(value.type ?? 0) === 1 ? (value.strVal ?? "") : (value.intVal ?? 0);
    case "FieldsV1":
      return value.Raw === undefined
        ? {}
        : JSON.parse(Buffer.from(String(value.Raw), "base64").toString("utf8"));
    case "ExtraValue":
      return value.items ?? [];
    default:
      return value;
  }
}

/** A cursor over protobuf bytes. */
class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.buf.length) throw truncated();
      const byte = this.buf[this.pos++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw ApiStatusError.badRequest("protobuf: varint too long");
  }

  bytes(): Buffer {
    const length = Number(this.varint());
    if (this.pos + length > this.buf.length) throw truncated();
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  double(): number {
    if (this.pos + 8 > this.buf.length) throw truncated();
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw ApiStatusError.badRequest(`protobuf: unsupported wire type ${wire}`);
    if (this.pos > this.buf.length) throw truncated();
  }
}

function truncated(): ApiStatusError {
  return ApiStatusError.badRequest("protobuf: the body is truncated");
}
