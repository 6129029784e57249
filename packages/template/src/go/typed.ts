/**
 * Go-typed template values: structs, defined (named) basic types, pointers, and typed maps and
 * slices (plain objects and arrays carrying their Go type), so templates see Go's zero values,
 * printing, JSON and refusals instead of those of `interface {}` data.
 */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { GoTime } from "../sprig/go-time.js";
import {
  type GoBasicType,
  type GoMapType,
  type GoPointerType,
  type GoSliceType,
  type GoStructType,
  type GoType,
  goTypes,
  pointerTo,
} from "./types.js";

/** Where a typed map or slice keeps its Go type (a symbol: invisible to templates and to Object.keys). */
const TYPE = Symbol("quiesce.goType");
/** Marks a nil map or slice (empty, but `null` in JSON and equal to nil). */
const NIL = Symbol("quiesce.goNil");

/**
 * The prototype of typed maps: an empty, frozen object without a prototype of its own (nothing is
 * inherited), so code on hot paths tells a typed map from plain data by its prototype alone.
 */
export const TYPED_MAP_PROTO: object = Object.freeze(Object.create(null) as object);

/** A fresh typed-map object (entries are then defined on it). */
export function newTypedMap(): Record<string, unknown> {
  return Object.create(TYPED_MAP_PROTO) as Record<string, unknown>;
}

/**
 * A Go struct value (or a non-nil pointer to one): fields in declaration order. Immutable.
 *
 * @example
 * ```ts
 * const kp = goValue(KeyPair, { ID: "id", Secret: "s" }) as GoStruct;
 * kp.get("ID"); // "id"
 * ```
 */
export class GoStruct {
  readonly #type: GoStructType;
  readonly #pointer: boolean;
  readonly #values: readonly unknown[];

  constructor(type: GoStructType, values: readonly unknown[], pointer = false) {
    this.#type = type;
    this.#values = Object.freeze([...values]);
    this.#pointer = pointer;
    Object.freeze(this);
  }

  /** The struct type (also for a pointer). */
  get structType(): GoStructType {
    return this.#type;
  }

  /** True for a `*T` (prints `&{…}`, `%T` is `*T`). */
  get pointer(): boolean {
    return this.#pointer;
  }

  /** The field values in declaration order. */
  get values(): readonly unknown[] {
    return this.#values;
  }

  /** The same struct as a pointer (`&v`) or as a value (`*p`). */
  asPointer(pointer: boolean): GoStruct {
    return pointer === this.#pointer ? this : new GoStruct(this.#type, this.#values, pointer);
  }

  /** The value of one of its own fields (host code; templates use `.Field`). */
  get(name: string): unknown {
    const i = this.#type.fieldIndex.get(name);
    return i === undefined ? undefined : this.#values[i];
  }
}

/**
 * A value of a defined basic type (`v1alpha1.LocationType`, `time.Month`): compares and prints
 * like its underlying value (through `String()` when the type has one), but `%T` names the type
 * and a function taking a plain `string` refuses it, as Go does.
 */
export class GoNamed {
  constructor(
    readonly type: GoBasicType,
    readonly value: string | number | bigint | boolean,
  ) {
    Object.freeze(this);
  }
}

/** A nil pointer of a known type (`.StatefulSet` when the subject is not a StatefulSet). */
export class GoNil {
  constructor(readonly type: GoPointerType) {
    Object.freeze(this);
  }
}

/** A non-nil pointer to a value that is not a struct (`*bool`, `*int64`). */
export class GoPointer {
  constructor(
    readonly type: GoPointerType,
    readonly value: unknown,
  ) {
    Object.freeze(this);
  }
}

type Tagged = { [TYPE]?: GoSliceType | GoMapType; [NIL]?: true };

function tag<T extends object>(obj: T, type: GoSliceType | GoMapType, nil: boolean): T {
  Object.defineProperty(obj, TYPE, { value: type });
  if (nil) Object.defineProperty(obj, NIL, { value: true });
  // A Uint8Array with elements cannot be frozen; byte data is never written by the engine.
  return obj instanceof Uint8Array && obj.length > 0 ? obj : Object.freeze(obj);
}

/** The Go type of a typed map or slice (plain objects and arrays have none: `interface {}` data). */
export function taggedType(v: object): GoSliceType | GoMapType | undefined {
  return (v as Tagged)[TYPE];
}

/** True for a typed nil map or nil slice. */
export function isNilCollection(v: object): boolean {
  return (v as Tagged)[NIL] === true;
}

/**
 * The Go type of a typed template value, or undefined for plain (`interface {}`) data.
 *
 * @example
 * ```ts
 * goTypeOf(goStringMap({ a: "b" }))?.name; // "map[string]string"
 * ```
 */
export function goTypeOf(v: unknown): GoType | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  if (v instanceof GoStruct) return v.pointer ? pointerTo(v.structType) : v.structType;
  if (v instanceof GoNamed || v instanceof GoNil || v instanceof GoPointer) return v.type;
  if (v instanceof GoTime) return goTypes.time;
  return taggedType(v);
}

/** True for Go's nil: nil interface, nil pointer, nil map or nil slice. */
export function isGoNil(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v !== "object") return false;
  return v instanceof GoNil || isNilCollection(v);
}

const zeroStructs = new WeakMap<GoStructType, GoStruct>();

/**
 * Go's zero value of a type: `""`, `0`, `false`, a nil map/slice/pointer, a struct of zero fields,
 * `time.Time{}`.
 *
 * @example
 * ```ts
 * zeroValue(mapOf(goTypes.string)); // a nil map[string]string: prints map[], toJson null
 * ```
 */
export function zeroValue(type: GoType): unknown {
  switch (type.kind) {
    case "string":
      return type.named ? new GoNamed(type, "") : "";
    case "bool":
      return type.named ? new GoNamed(type, false) : false;
    case "slice":
      return tag(type.elem.kind === "uint8" ? new Uint8Array(0) : [], type, true);
    case "map":
      return tag(newTypedMap(), type, true);
    case "ptr":
      return new GoNil(type);
    case "interface":
      return null;
    case "time":
      return GoTime.zero();
    case "struct": {
      let z = zeroStructs.get(type);
      if (z === undefined) {
        z = new GoStruct(
          type,
          type.fields.map((f) => zeroValue(f.type)),
        );
        zeroStructs.set(type, z);
      }
      return z;
    }
    default:
      return type.named ? new GoNamed(type, 0) : 0;
  }
}

function fail(path: string, type: GoType, v: unknown): never {
  const got = v === null ? "null" : Array.isArray(v) ? "an array" : typeof v;
  throw new QuiesceError(
    ErrorCodes.VALIDATION,
    `${path === "" ? "value" : path}: expected a value of Go type ${type.name}, got ${got}`,
    { details: { path, expected: type.name } },
  );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null || proto === TYPED_MAP_PROTO;
}

function basicValue(type: GoBasicType, v: unknown, path: string): unknown {
  if (v instanceof GoNamed) {
    if (v.type === type) return v;
    return fail(path, type, v);
  }
  let ok: boolean;
  switch (type.kind) {
    case "string":
      ok = typeof v === "string";
      break;
    case "bool":
      ok = typeof v === "boolean";
      break;
    case "float32":
    case "float64":
      ok = typeof v === "number";
      break;
    default:
      ok = typeof v === "number" && Number.isInteger(v);
  }
  if (!ok) return fail(path, type, v);
  return type.named ? new GoNamed(type, v as string | number | boolean) : v;
}

function sliceValue(type: GoSliceType, v: unknown, path: string): unknown {
  if (v === null || v === undefined) return zeroValue(type);
  if (type.elem.kind === "uint8") {
    if (!(v instanceof Uint8Array)) return fail(path, type, v);
    return taggedType(v) === type ? v : tag(v.slice(), type, false);
  }
  if (!Array.isArray(v)) return fail(path, type, v);
  if (taggedType(v) === type) return v;
  const out = v.map((e, i) => goValueAt(type.elem, e, `${path}[${i}]`));
  // []interface{} (unnamed) stays plain data, as every other list template data holds.
  return type.elem.kind === "interface" && !type.named ? out : tag(out, type, false);
}

function mapValue(type: GoMapType, v: unknown, path: string): unknown {
  if (v === null || v === undefined) return zeroValue(type);
  if (!isPlainObject(v)) return fail(path, type, v);
  if (taggedType(v) === type) return v;
  // map[string]interface{} (unnamed) stays plain, mutable data: `.Object`, phase outputs.
  if (type.elem.kind === "interface" && !type.named && taggedType(v) === undefined) return v;
  const out = newTypedMap();
  for (const k of Object.keys(v)) {
    Object.defineProperty(out, k, {
      value: goValueAt(type.elem, v[k], path === "" ? k : `${path}.${k}`),
      enumerable: true,
    });
  }
  return tag(out, type, false);
}

function structValue(type: GoStructType, v: unknown, path: string, pointer: boolean): unknown {
  if (v instanceof GoStruct) {
    if (v.structType !== type) return fail(path, type, v);
    return v.asPointer(pointer);
  }
  if (!isPlainObject(v)) return fail(path, type, v);
  for (const k of Object.keys(v)) {
    if (!type.fieldIndex.has(k)) {
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        `${path === "" ? "value" : path}: ${type.name} has no field ${JSON.stringify(k)}`,
        { details: { path, expected: type.name, field: k } },
      );
    }
  }
  const values = type.fields.map((f) =>
    Object.hasOwn(v, f.name) && v[f.name] !== undefined
      ? goValueAt(f.type, v[f.name], path === "" ? f.name : `${path}.${f.name}`)
      : zeroValue(f.type),
  );
  return new GoStruct(type, values, pointer);
}

function timeValue(v: unknown, path: string): GoTime {
  if (v instanceof GoTime) return v;
  if (v instanceof Date && !Number.isNaN(v.getTime())) {
    const ms = v.getTime();
    const s = Math.floor(ms / 1000);
    return new GoTime(s, (ms - s * 1000) * 1_000_000, 0, "UTC");
  }
  return fail(path, goTypes.time, v);
}

function goValueAt(type: GoType, v: unknown, path: string): unknown {
  switch (type.kind) {
    case "interface":
      return v === undefined ? null : v;
    case "slice":
      return sliceValue(type, v, path);
    case "map":
      return mapValue(type, v, path);
    case "struct":
      return structValue(type, v, path, false);
    case "time":
      return timeValue(v, path);
    case "ptr": {
      if (v === null || v === undefined || v instanceof GoNil) {
        if (v instanceof GoNil && v.type.name !== type.name) return fail(path, type, v);
        return new GoNil(type);
      }
      if (type.elem.kind === "struct") return structValue(type.elem, v, path, true);
      if (v instanceof GoPointer) {
        if (v.type.name !== type.name) return fail(path, type, v);
        return v;
      }
      return new GoPointer(type, goValueAt(type.elem, v, path));
    }
    default:
      return basicValue(type, v, path);
  }
}

/**
 * Builds a Go-typed template value from plain data: missing struct fields get their zero values,
 * maps and slices carry their element types, `null` is the type's nil. Throws
 * `QUIESCE_VALIDATION` naming the path when the data does not fit the type.
 *
 * @example
 * ```ts
 * const Artifact = structType("v1alpha1.Artifact", {
 *   KeyValue: { type: mapOf(goTypes.string), json: "keyValue,omitempty" },
 *   KopiaSnapshot: { type: goTypes.string, json: "kopiaSnapshot,omitempty" },
 * });
 * const a = goValue(Artifact, { KeyValue: { path: "/b" } });
 * render('{{ index .KeyValue "missing" }}|{{ toJson . }}', a); // '|{"keyValue":{"path":"/b"}}'
 * ```
 */
export function goValue(type: GoType, data: unknown): unknown {
  return goValueAt(type, data, "");
}

/**
 * A `map[string]string`: a missing key is `""` for `index` (and for `.key` under
 * `missingkey=zero`), sprig's `map[string]interface{}` functions refuse it as Go does.
 *
 * @example
 * ```ts
 * render('{{ index .Options "missing" | quote }}', { Options: goStringMap({}) }); // '""'
 * ```
 */
export function goStringMap(entries: Readonly<Record<string, string>> | null | undefined): unknown {
  return goValue(STRING_MAP, entries);
}

const STRING_MAP: GoMapType = Object.freeze({
  kind: "map",
  name: "map[string]string",
  elem: goTypes.string,
  named: false,
});

/**
 * A Go `time.Time` for template data, from a JS `Date` (UTC): prints as Go does and keeps Go's
 * methods (`.Unix`, `.Format "2006-01-02"`, `.UTC`, `.Year`, …).
 *
 * @example
 * ```ts
 * render("{{ .T.Unix }}", { T: goTime(new Date(0)) }); // "0"
 * ```
 */
export function goTime(date: Date): GoTime {
  return timeValue(date, "");
}

/** A copy of a typed slice's elements `[from, to)` with the same Go type (`slice` keeps `[]string`). */
export function sliceLike<T extends unknown[] | Uint8Array>(source: T, out: T): T {
  const type = taggedType(source);
  return type === undefined || out instanceof Uint8Array ? out : tag(out, type, false);
}
