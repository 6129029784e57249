/** Go reflect-call argument checks and spf13/cast conversions shared by the sprig functions. */

import { checkValueSize } from "../budget.js";
import { GoFuncError } from "../go/call-error.js";
import { GoNamed, GoNil, GoPointer, GoStruct, isNilCollection, taggedType } from "../go/typed.js";
import { goTypeName, isMap, kindOf } from "../go/values.js";

/** Go's error for a value of the wrong type passed to a typed parameter. */
function wrongType(expected: string, v: unknown): GoFuncError {
  if (v === null || v === undefined) return new GoFuncError(`invalid value; expected ${expected}`);
  return new GoFuncError(`wrong type for value; expected ${expected}; got ${goTypeName(v)}`);
}

/** text/template dereferences a pointer whose element fits the parameter (`*string` for `string`). */
function deref(v: unknown): unknown {
  return v instanceof GoPointer ? v.value : v;
}

/** A `string` parameter: only strings are assignable (not a defined type such as LocationType). */
export function argString(v: unknown): string {
  if (typeof v === "string") return v;
  const d = deref(v);
  if (typeof d === "string") return d;
  throw wrongType("string", v);
}

/** An `int` parameter: integer-valued numbers only (a float64 is not assignable to int). */
export function argInt(value: unknown): number {
  const v = deref(value);
  if (typeof v === "number" && kindOf(v) === "int") return v;
  if (typeof v === "bigint") return Number(v);
  throw wrongType("int", value);
}

/** A `float64` parameter. */
export function argFloat(value: unknown): number {
  const v = deref(value);
  if (typeof v === "number") return v;
  throw wrongType("float64", value);
}

/** A `bool` parameter. */
export function argBool(value: unknown): boolean {
  const v = deref(value);
  if (typeof v === "boolean") return v;
  throw wrongType("bool", value);
}

/** Go's nil map: readable as empty; sprig functions that write to it fail as Go does. */
export const NIL_MAP: Readonly<Record<string, unknown>> = Object.freeze(
  Object.create(null) as Record<string, unknown>,
);

/**
 * A `map[string]interface{}` parameter; nil is Go's nil map ({@link NIL_MAP}). A typed map is
 * assignable only when its underlying type is `map[string]interface{}` (`v1alpha1.JSONMap`): a
 * `map[string]string` is refused, as Go refuses it.
 */
export function argMap(v: unknown): Record<string, unknown> {
  if (isMap(v)) {
    const type = taggedType(v);
    if (type === undefined) return v;
    if (type.kind === "map" && type.elem.kind === "interface") {
      return isNilCollection(v) ? (NIL_MAP as Record<string, unknown>) : v;
    }
    throw wrongType("map[string]interface {}", v);
  }
  if (v === null || v === undefined) return NIL_MAP as Record<string, unknown>;
  throw wrongType("map[string]interface {}", v);
}

/** Go's `reflect.Kind` name of a value, as sprig's error messages print it. */
export function reflectKind(v: unknown): string {
  if (v instanceof GoNamed) return v.type.kind;
  if (v instanceof GoStruct) return v.pointer ? "ptr" : "struct";
  if (v instanceof GoNil || v instanceof GoPointer) return "ptr";
  switch (kindOf(v)) {
    case "nil":
      return "invalid";
    case "int":
      return "int64";
    case "float":
      return "float64";
    case "bytes":
    case "slice":
      return "slice";
    case "map":
      return "map";
    case "bool":
      return "bool";
    case "string":
      return "string";
    default:
      return "struct";
  }
}

/** True for values that sprig's list functions accept (Go slices and arrays). */
export function isList(v: unknown): v is readonly unknown[] | Uint8Array {
  return Array.isArray(v) || v instanceof Uint8Array;
}

/** The elements of a slice as template values (bytes become numbers, as Go's uint8). */
export function listItems(v: readonly unknown[] | Uint8Array): unknown[] {
  return Array.isArray(v) ? [...v] : Array.from(v as Uint8Array);
}

/** strconv.ParseInt(s, 0, 64): sign, base prefixes 0x/0o/0b/0, underscores only with a prefix. */
export function parseGoInt(s: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(s);
  if (m === null) return undefined;
  const sign = m[1] === "-" ? -1n : 1n;
  let body = m[2] ?? "";
  if (body.includes("_")) {
    // Go literal syntax: an underscore only between digits (or right after a base prefix).
    if (body.endsWith("_") || body.includes("__") || /^0_|^_/.test(body.replace(/^0[xXoObB]/, "0"))) {
      if (!/^0[xXoObB]_/.test(body)) return undefined;
    }
    body = body.replaceAll("_", "");
  }
  let n: bigint;
  if (/^0[xX]/.test(body)) n = BigInt(body);
  else if (/^0[oO]/.test(body)) n = BigInt(`0o${body.slice(2)}`);
  else if (/^0[bB]/.test(body)) n = BigInt(body);
  else if (body.length > 1 && body.startsWith("0")) n = BigInt(`0o${body.slice(1)}`);
  else n = BigInt(body);
  n *= sign;
  if (n > 9223372036854775807n || n < -9223372036854775808n) return undefined;
  return Number(n);
}

/** strconv.ParseFloat(s, 64) for decimal and special forms Go accepts. */
export function parseGoFloat(s: string): number | undefined {
  const t = s.replaceAll("_", "");
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return Number.NaN;
  // Each part after a run of digits must start with a character a digit cannot be, so the
  // expressions match in linear time (`\d+\.?\d*` backtracks quadratically on a long non-number).
  if (/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) return Number(t);
  // Hexadecimal floats need a binary exponent ("0x1p4"); other hex text is not a float.
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(t);
  if (hex !== null && `${hex[2]}${hex[3]}` !== "") {
    const mant = Number.parseInt(`${hex[2]}${hex[3]}` || "0", 16) / 16 ** (hex[3] ?? "").length;
    return (hex[1] === "-" ? -1 : 1) * mant * 2 ** Number(hex[4]);
  }
  return undefined;
}

/** cast's trimZeroDecimal: "12.00" → "12", anything else unchanged. */
function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === ".") {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === "0") foundZero = true;
    else return s;
  }
  return s;
}

/** cast's indirect() and its type switch: a defined type counts only for time.Month/time.Weekday. */
function castOperand(v: unknown): unknown {
  const d = deref(v);
  if (d instanceof GoNamed) {
    return d.type.name === "time.Month" || d.type.name === "time.Weekday" ? d.value : undefined;
  }
  return d;
}

/** spf13/cast ToInt64: numbers truncate, strings parse (base prefixes allowed), bools are 0/1, other values 0. */
export function toInt64(value: unknown): number {
  const v = castOperand(value);
  switch (typeof v) {
    case "number":
      if (Number.isNaN(v)) return -(2 ** 63);
      return Math.trunc(v) + 0;
    case "bigint":
      return Number(v);
    case "boolean":
      return v ? 1 : 0;
    case "string":
      return parseGoInt(trimZeroDecimal(v)) ?? 0;
    default:
      return 0;
  }
}

/** spf13/cast ToFloat64: numbers as they are, strings parsed, bools 0/1, other values 0. */
export function toFloat64(value: unknown): number {
  const v = castOperand(value);
  return typeof v === "string" ? (parseGoFloat(v) ?? 0) : floatOfKind(v);
}

/** A non-string value as float64 by its kind: numbers as they are, bools 0/1, anything else 0. */
export function floatOfKind(v: unknown): number {
  switch (typeof v) {
    case "number":
      return v;
    case "bigint":
      return Number(v);
    case "boolean":
      return v ? 1 : 0;
    default:
      return 0;
  }
}

/**
 * Fails when a function is about to build a value of `bytes` (a string's length, 8 per list element)
 * larger than the render's `maxValueBytes`, before allocating it: a runaway `repeat` or `until` stops
 * at once instead of exhausting memory.
 */
export const checkSize = checkValueSize;

/** A sprig version's number conversions (its toInt64/toFloat64). */
export interface Converters {
  readonly toInt64: (v: unknown) => number;
  readonly toFloat64: (v: unknown) => number;
}

/** sprig v3's conversions: spf13/cast. */
export const CAST: Converters = Object.freeze({ toInt64, toFloat64 });
