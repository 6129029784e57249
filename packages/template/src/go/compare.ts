/** Go's `==` on comparable template values (eq on structs, times, pointers and defined types). */
import { GoTime } from "../sprig/go-time.js";
import { GoNamed, GoNil, GoPointer, GoStruct, taggedType } from "./typed.js";

/** Go's Type.Comparable for a value: maps, slices and functions (and structs holding them) are not. */
export function goComparable(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === "function") return false;
  if (typeof v !== "object") return true;
  if (v instanceof GoStruct) return v.pointer || v.values.every(goComparable);
  if (v instanceof GoNamed || v instanceof GoNil || v instanceof GoPointer || v instanceof GoTime)
    return true;
  if (Array.isArray(v) || v instanceof Uint8Array) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto === Object.prototype || proto === null || taggedType(v) !== undefined) return false;
  // Values template functions return (semver's *Version) are pointers.
  return true;
}

/** Go's `a == b` for two comparable values of one kind (different types are never equal). */
export function goEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof GoStruct && b instanceof GoStruct) {
    // Two pointers are equal only when they are the same pointer.
    if (a.pointer || b.pointer || a.structType !== b.structType) return false;
    return a.values.every((x, i) => goEqual(x, b.values[i]));
  }
  if (a instanceof GoTime && b instanceof GoTime) {
    return (
      a.unixSeconds === b.unixSeconds && a.nanos === b.nanos && a.offset === b.offset && a.zone === b.zone
    );
  }
  if (a instanceof GoNamed && b instanceof GoNamed) return a.type === b.type && a.value === b.value;
  if (a instanceof GoNil && b instanceof GoNil) return a.type.name === b.type.name;
  return false;
}
