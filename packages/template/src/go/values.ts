/** The Go view of plain JS template data: kinds, truthiness, map keys and safe own-property lookup. */
import { chargeWork } from "../budget.js";
import { GoTime } from "../sprig/go-time.js";
import { GoNamed, GoNil, GoPointer, GoStruct, goTypeOf, TYPED_MAP_PROTO } from "./typed.js";

/**
 * The Go kind a JS value stands for in a template.
 * `null`/`undefined` are nil, integer-valued numbers within int64 range are `int`, other numbers
 * `float` (float64), `Uint8Array` is `[]byte`, arrays are slices, plain objects are maps; Go-typed
 * values (see `goValue`) are structs, pointers, or the kind of their underlying type.
 */
export type GoKind =
  | "nil"
  | "bool"
  | "int"
  | "float"
  | "string"
  | "bytes"
  | "slice"
  | "map"
  | "struct"
  | "ptr"
  | "other";

const INT64_LIMIT = 2 ** 63;

/**
 * Classifies a template value as its Go kind.
 *
 * @example
 * ```ts
 * kindOf(3); // "int"
 * kindOf(3.5); // "float"
 * kindOf(new Uint8Array([1])); // "bytes"
 * ```
 */
export function kindOf(v: unknown): GoKind {
  switch (typeof v) {
    case "string":
      return "string";
    case "number":
      return isGoInt(v) ? "int" : "float";
    case "boolean":
      return "bool";
    case "undefined":
      return "nil";
    case "bigint":
      return "int";
    case "object":
      if (v === null) return "nil";
      if (Array.isArray(v)) return "slice";
      if (v instanceof Uint8Array) return "bytes";
      if (isMap(v)) return "map";
      return typedKind(v);
    default:
      return "other";
  }
}

function typedKind(v: object): GoKind {
  if (v instanceof GoStruct) return v.pointer ? "ptr" : "struct";
  if (v instanceof GoNamed) return kindOf(v.value);
  if (v instanceof GoNil || v instanceof GoPointer) return "ptr";
  if (v instanceof GoTime) return "struct";
  return "other";
}

/** The value a defined basic type wraps (`v1alpha1.LocationType("s3")` → `"s3"`); others as they are. */
export function underlyingValue(v: unknown): unknown {
  return v instanceof GoNamed ? v.value : v;
}

/** True when a number is a Go int: integer-valued and inside int64's range. */
export function isGoInt(n: number): boolean {
  return Number.isInteger(n) && n < INT64_LIMIT && n >= -INT64_LIMIT;
}

/**
 * Go template truthiness: false, 0, nil and empty strings, slices, maps and byte data are false.
 *
 * @example
 * ```ts
 * isTrue([]); // false
 * isTrue("x"); // true
 * ```
 */
export function isTrue(v: unknown): boolean {
  switch (typeof v) {
    case "boolean":
      return v;
    case "number":
      return v !== 0;
    case "string":
      return v.length > 0;
    case "undefined":
      return false;
    case "bigint":
      return v !== 0n;
    case "object":
      if (v === null) return false;
      if (Array.isArray(v)) return v.length > 0;
      if (v instanceof Uint8Array) return v.length > 0;
      if (isMap(v)) return hasDataKey(v);
      // Go: a struct is true, a pointer when non-nil, a defined type as its underlying value.
      if (v instanceof GoNamed) return isTrue(v.value);
      return !(v instanceof GoNil);
    default:
      return true;
  }
}

/**
 * True for a Go map: a plain object or a null-prototype object (never a class instance, array,
 * byte array or function).
 *
 * @example
 * ```ts
 * isMap({ a: 1 }); // true
 * isMap(new Date()); // false
 * ```
 */
export function isMap(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null || proto === TYPED_MAP_PROTO;
}

/** Go's string ordering: byte-wise on UTF-8, which is code-point order. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/**
 * A map's own enumerable data keys, sorted as Go sorts map keys for printing and `range`.
 *
 * @example
 * ```ts
 * ownKeys({ b: 1, a: 2 }); // ["a", "b"]
 * ```
 */
export function ownKeys(map: Record<string, unknown>): string[] {
  const keys: string[] = [];
  let surrogates = false;
  // A typed map is frozen with only data properties (see goValue): no descriptor to check.
  const typed = Object.getPrototypeOf(map) === TYPED_MAP_PROTO;
  for (const k of Object.keys(map)) {
    if (typed || isDataProperty(map, k)) {
      keys.push(k);
      if (!surrogates && hasSurrogate(k)) surrogates = true;
    }
  }
  const n = keys.length;
  if (n < 2) return keys;
  // Listing and sorting the keys is work even before the first is used: n·log n (⌈log2 n⌉ exactly).
  chargeWork(n * (8 + 2 * (32 - Math.clz32(n - 1))));
  // Without surrogates UTF-16 order is code point order, Go's byte order: `<` applies. The few keys
  // of a template's maps sort faster by insertion than through Array#sort.
  if (surrogates) return keys.sort(compareGoStrings);
  if (n > 16) return keys.sort();
  for (let i = 1; i < n; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

/** True when a string holds a UTF-16 surrogate (a code point above U+FFFF). */
function hasSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}

function isDataProperty(map: object, key: string): boolean {
  const d = Object.getOwnPropertyDescriptor(map, key);
  return d !== undefined && d.enumerable === true && "value" in d;
}

/** True when a map has at least one own enumerable data property (without listing them all). */
export function hasDataKey(map: Record<string, unknown>): boolean {
  for (const k in map) if (Object.hasOwn(map, k) && isDataProperty(map, k)) return true;
  return false;
}

/**
 * True when `map` has an own enumerable data property `key` (inherited members, getters and
 * non-enumerable properties are invisible to templates).
 *
 * @example
 * ```ts
 * hasOwnKey({}, "constructor"); // false
 * ```
 */
export function hasOwnKey(map: Record<string, unknown>, key: string): boolean {
  if (Object.getPrototypeOf(map) === TYPED_MAP_PROTO) return Object.hasOwn(map, key);
  return isDataProperty(map, key);
}

/**
 * Looks up `key` among the own enumerable data properties of `map`; `undefined` when absent.
 * `__proto__`, `constructor`, `prototype`, getters and inherited members are never reached.
 * Use {@link hasOwnKey} to tell a missing key from a key holding nil.
 *
 * @example
 * ```ts
 * lookupKey({ a: 1 }, "a"); // 1
 * lookupKey({ a: 1 }, "constructor"); // undefined
 * ```
 */
export function lookupKey(map: Record<string, unknown>, key: string): unknown {
  // A typed map is frozen with data properties only (see goValue); plain data is checked.
  if (Object.getPrototypeOf(map) === TYPED_MAP_PROTO) return Object.hasOwn(map, key) ? map[key] : undefined;
  const d = Object.getOwnPropertyDescriptor(map, key);
  return d !== undefined && d.enumerable === true && "value" in d ? d.value : undefined;
}

/**
 * Go's `%T` name of a template value.
 *
 * @example
 * ```ts
 * goTypeName([1]); // "[]interface {}"
 * goTypeName(null); // "<nil>"
 * ```
 */
export function goTypeName(v: unknown): string {
  const typed = goTypeOf(v);
  if (typed !== undefined) return typed.name;
  switch (kindOf(v)) {
    case "nil":
      return "<nil>";
    case "bool":
      return "bool";
    case "int":
      return "int";
    case "float":
      return "float64";
    case "string":
      return "string";
    case "bytes":
      return "[]uint8";
    case "slice":
      return "[]interface {}";
    case "map":
      return "map[string]interface {}";
    default:
      return typeof v === "function" ? "func(...interface {}) interface {}" : "struct {}";
  }
}

/**
 * Implemented by values that template functions return (e.g. a time or a semantic version) to
 * expose Go methods to templates: `{{ (semver "1.2.3").Major }}`, `{{ now.Format "2006" }}`. The
 * engine never calls JS methods otherwise.
 *
 * @example
 * ```ts
 * class Version implements GoMethodHost {
 *   constructor(readonly major: number) {}
 *   goMethod(name: string) {
 *     return name === "Major" ? () => this.major : undefined;
 *   }
 * }
 * ```
 */
export interface GoMethodHost {
  /** The Go method `name` bound to this value, or `undefined` when it has none. */
  goMethod(name: string): ((...args: unknown[]) => unknown) | undefined;
}

/** The Go method `name` of a class instance implementing {@link GoMethodHost} (prototype method only). */
export function goMethodOf(v: object, name: string): ((...args: unknown[]) => unknown) | undefined {
  const proto = Object.getPrototypeOf(v) as { goMethod?: unknown } | null;
  if (proto === null || proto === Object.prototype) return undefined;
  const lookup = proto.goMethod;
  if (typeof lookup !== "function") return undefined;
  const m = (lookup as GoMethodHost["goMethod"]).call(v, name);
  return typeof m === "function" ? m : undefined;
}
