/** Go type descriptors for template data: what a host declares so values behave as Go's typed values. */

/** The Go kinds a typed template value can have. */
export type GoTypeKind =
  | "bool"
  | "string"
  | "int"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "float32"
  | "float64"
  | "slice"
  | "map"
  | "ptr"
  | "struct"
  | "interface"
  | "time";

/** A Go method callable from templates: receives the receiver and the call's arguments. */
export type GoMethodImpl = (self: unknown, ...args: unknown[]) => unknown;

/** Behaviour shared by every type descriptor: its `%T` name and (for named types) its methods. */
/** What every Go type description has. */
export interface GoTypeBase {
  /** Go's `%T` name: `string`, `map[string]string`, `*param.Profile`, `v1alpha1.LocationType`. */
  readonly name: string;
  /** Go's `String()` method (fmt.Stringer), used by `%v`, `%s` and sprig's toString. */
  readonly stringer?: (self: unknown) => string;
  /**
   * Go's `MarshalJSON` (json.Marshaler): returns the template value encoded in its place, or
   * {@link GoRawJson} text.
   */
  readonly marshalJson?: (self: unknown) => unknown;
  /** Other methods templates may call (`.Unix`, `.Format "2006"`), by Go name. */
  readonly methods?: Readonly<Record<string, GoMethodImpl>>;
  /** Go's `UnmarshalJSON` (json.Unmarshaler), for {@link goValueFromJson}: builds the value from JSON. */
  readonly unmarshalJson?: (json: unknown) => unknown;
}

/** bool, string and the numeric kinds, named (`type LocationType string`) or not. */
export interface GoBasicType extends GoTypeBase {
  readonly kind: Exclude<GoTypeKind, "slice" | "map" | "ptr" | "struct" | "interface" | "time">;
  /** True for a defined type (`v1alpha1.LocationType`); its values are {@link GoNamed}. */
  readonly named: boolean;
}

/** `[]T`. */
export interface GoSliceType extends GoTypeBase {
  readonly kind: "slice";
  readonly elem: GoType;
  readonly named: boolean;
}

/** `map[string]T` (template data only ever has string keys). */
export interface GoMapType extends GoTypeBase {
  readonly kind: "map";
  readonly elem: GoType;
  readonly named: boolean;
}

/** `*T`. */
export interface GoPointerType extends GoTypeBase {
  readonly kind: "ptr";
  readonly elem: GoType;
}

/** `interface {}`: the value's own (dynamic) type applies. */
export interface GoInterfaceType extends GoTypeBase {
  readonly kind: "interface";
}

/** Go's `time.Time`; values are the engine's time values (see `toDate`, {@link goTime}). */
export interface GoTimeType extends GoTypeBase {
  readonly kind: "time";
}

/** One field of a struct type. */
export interface GoField {
  /** The Go field name; lower-case names are unexported (invisible to templates and JSON). */
  readonly name: string;
  readonly type: GoType;
  /** An anonymous (embedded) field: its fields and methods are promoted. */
  readonly embedded: boolean;
  readonly exported: boolean;
  /** The JSON key (the tag's name, else the field name); undefined with the tag `json:"-"`. */
  readonly jsonName: string | undefined;
  /** True when the JSON tag names the key explicitly (it wins over untagged fields of the same name). */
  readonly jsonTagged: boolean;
  /** The tag's `omitempty` option. */
  readonly omitEmpty: boolean;
}

/** A struct type: ordered fields. */
export interface GoStructType extends GoTypeBase {
  readonly kind: "struct";
  readonly fields: readonly GoField[];
  /** Field index by name (own fields only). */
  readonly fieldIndex: ReadonlyMap<string, number>;
}

/** A Go type as templates see it. */
export type GoType =
  | GoBasicType
  | GoSliceType
  | GoMapType
  | GoPointerType
  | GoStructType
  | GoInterfaceType
  | GoTimeType;

/** Options of a defined (named) type: its methods. */
export interface GoTypeMethods {
  /** Go's `String()`: `%v`, `%s` and sprig's toString print through it. */
  stringer?: (self: unknown) => string;
  /** Go's `MarshalJSON`: the value to encode instead (or {@link GoRawJson}). */
  marshalJson?: (self: unknown) => unknown;
  /** Other methods templates may call, by Go name. */
  methods?: Readonly<Record<string, GoMethodImpl>>;
  /** Go's `UnmarshalJSON`: builds a value of the type from decoded JSON (see `goValueFromJson`). */
  unmarshalJson?: (json: unknown) => unknown;
}

function basic(kind: GoBasicType["kind"]): GoBasicType {
  return Object.freeze({ kind, name: kind, named: false });
}

/**
 * The predeclared Go types, plus `[]byte`, `interface {}` and `time.Time`.
 *
 * @example
 * ```ts
 * const Options = mapOf(goTypes.string); // map[string]string
 * ```
 */
const UINT8 = basic("uint8");

export const goTypes = Object.freeze({
  bool: basic("bool"),
  string: basic("string"),
  int: basic("int"),
  int8: basic("int8"),
  int16: basic("int16"),
  int32: basic("int32"),
  int64: basic("int64"),
  uint: basic("uint"),
  uint8: UINT8,
  uint16: basic("uint16"),
  uint32: basic("uint32"),
  uint64: basic("uint64"),
  float32: basic("float32"),
  float64: basic("float64"),
  /** `[]byte` (values are `Uint8Array`). */
  bytes: Object.freeze({
    kind: "slice",
    name: "[]uint8",
    elem: UINT8,
    named: false,
  }) as GoSliceType,
  /** `interface {}`. */
  interface: Object.freeze({ kind: "interface", name: "interface {}" }) as GoInterfaceType,
  /** `time.Time`. */
  time: Object.freeze({ kind: "time", name: "time.Time" }) as GoTimeType,
});

/**
 * `[]elem`.
 *
 * @example
 * ```ts
 * sliceOf(sliceOf(goTypes.string)).name; // "[][]string"
 * ```
 */
export function sliceOf(elem: GoType): GoSliceType {
  if (elem.kind === "uint8" && elem.name === "uint8") return goTypes.bytes;
  return Object.freeze({ kind: "slice", name: `[]${elem.name}`, elem, named: false });
}

/**
 * `map[string]elem`.
 *
 * @example
 * ```ts
 * mapOf(goTypes.string).name; // "map[string]string"
 * ```
 */
export function mapOf(elem: GoType): GoMapType {
  return Object.freeze({ kind: "map", name: `map[string]${elem.name}`, elem, named: false });
}

/**
 * `*elem`.
 *
 * @example
 * ```ts
 * pointerTo(Profile).name; // "*param.Profile"
 * ```
 */
export function pointerTo(elem: GoType): GoPointerType {
  // One pointer type per element type: `%T` and typed lookups ask for it on every render.
  let p = pointerTypes.get(elem);
  if (p === undefined) {
    p = Object.freeze({ kind: "ptr", name: `*${elem.name}`, elem });
    pointerTypes.set(elem, p);
  }
  return p;
}

const pointerTypes = new WeakMap<GoType, GoPointerType>();

/**
 * A defined type over a basic, slice or map type (`type LocationType string`, `type JSONMap
 * map[string]interface{}`), with its methods. A struct type is defined with {@link structType}.
 *
 * @example
 * ```ts
 * const Month = namedType("time.Month", goTypes.int, { stringer: (m) => MONTHS[Number(m) - 1] });
 * ```
 */
export function namedType<T extends GoBasicType | GoSliceType | GoMapType>(
  name: string,
  underlying: T,
  methods: GoTypeMethods = {},
): T {
  if (underlying.kind === "slice" && methods.marshalJson !== undefined) {
    // A typed slice is plain array data; only its nil value is told apart in JSON.
    throw new TypeError(`namedType ${name}: marshalJson is supported on basic, map and struct types`);
  }
  return Object.freeze({ ...underlying, ...methods, name, named: true }) as unknown as T;
}

/** A struct field declaration: its type, or the type with a JSON tag and embedding. */
export type GoFieldSpec =
  | GoType
  | {
      type: GoType;
      /** The `json` struct tag's value: `"bucket"`, `"labels,omitempty"`, `",inline"`, `"-"`. */
      json?: string;
      /** An anonymous field (`metav1.ObjectMeta` in a Secret): promoted fields and methods. */
      embedded?: boolean;
    };

function isGoType(spec: GoFieldSpec): spec is GoType {
  return typeof (spec as { kind?: unknown }).kind === "string";
}

/** First rune upper-case: Go's exported identifier rule (ASCII and Unicode letters). */
export function isExported(name: string): boolean {
  const first = name.codePointAt(0);
  if (first === undefined) return false;
  const ch = String.fromCodePoint(first);
  return ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

function field(name: string, spec: GoFieldSpec): GoField {
  const { type, json, embedded } = isGoType(spec)
    ? { type: spec, json: undefined, embedded: false }
    : { type: spec.type, json: spec.json, embedded: spec.embedded === true };
  const [tagName = "", ...opts] = (json ?? "").split(",");
  const skip = json === "-";
  return Object.freeze({
    name,
    type,
    embedded,
    exported: isExported(name),
    jsonName: skip ? undefined : tagName !== "" ? tagName : name,
    jsonTagged: !skip && tagName !== "",
    omitEmpty: opts.includes("omitempty"),
  });
}

/**
 * A struct type: fields in declaration order (that is how Go prints them, `{a b}`, and encodes them
 * in JSON), with JSON tags and embedded fields, and the methods of the named type.
 *
 * @example
 * ```ts
 * const Location = structType("v1alpha1.Location", {
 *   Type: { type: LocationType, json: "type" },
 *   Bucket: { type: goTypes.string, json: "bucket" },
 * });
 * goValue(Location, { Bucket: "b" }); // prints {"" b}… as Go prints v1alpha1.Location{Bucket: "b"}
 * ```
 */
export function structType(
  name: string,
  fields: Readonly<Record<string, GoFieldSpec>>,
  methods: GoTypeMethods = {},
): GoStructType {
  const list = Object.entries(fields).map(([n, spec]) => field(n, spec));
  return Object.freeze({
    kind: "struct",
    name,
    fields: Object.freeze(list),
    fieldIndex: new Map(list.map((f, i) => [f.name, i])),
    ...methods,
  });
}

/**
 * Raw JSON text a {@link GoTypeMethods.marshalJson} returns (Go's `json.RawMessage`): encoded in
 * place, compacted (or indented), with `<>&` escaped as Go's encoder does.
 */
export class GoRawJson {
  constructor(readonly text: string) {
    Object.freeze(this);
  }
}
