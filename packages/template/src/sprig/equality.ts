/** reflect.DeepEqual and sprig's `empty` for template values. */

import { chargeWork } from "../budget.js";
import { GoNamed, GoNil, GoPointer, GoStruct, goTypeOf, isNilCollection } from "../go/typed.js";
import { hasDataKey, isMap, ownKeys } from "../go/values.js";
import { GoTime } from "./go-time.js";

/** DeepEqual of two values of which at least one is Go-typed: identical types, then the values. */
function typedDeepEqual(a: object, b: object): boolean {
  if (goTypeOf(a)?.name !== goTypeOf(b)?.name) return false;
  if (a instanceof GoStruct && b instanceof GoStruct) {
    return a.values.every((x, i) => deepEqual(x, b.values[i]));
  }
  if (a instanceof GoNamed && b instanceof GoNamed) return a.value === b.value;
  if (a instanceof GoNil || b instanceof GoNil) return a instanceof GoNil && b instanceof GoNil;
  if (a instanceof GoPointer && b instanceof GoPointer) return deepEqual(a.value, b.value);
  // A nil map or slice is not deeply equal to an empty one.
  if (isNilCollection(a) !== isNilCollection(b)) return false;
  return untypedDeepEqual(a, b);
}

/** Go's reflect.DeepEqual over template values (numbers compare by value). */
export function deepEqual(a: unknown, b: unknown): boolean {
  // Every value visited is work (uniq compares each element with the others: quadratic).
  chargeWork(typeof a === "string" ? 8 + a.length : 8);
  if (a === b) return true;
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    if (goTypeOf(a) !== undefined || goTypeOf(b) !== undefined) {
      if (!(a instanceof GoTime && b instanceof GoTime)) return typedDeepEqual(a, b);
    }
  }
  return untypedDeepEqual(a, b);
}

function untypedDeepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a !== typeof b) return false;
  if (typeof a === "number") return Number.isNaN(a) ? false : a === b;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    return a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!(Array.isArray(a) && Array.isArray(b)) || a.length !== b.length) return false;
    return a.every((x: unknown, i) => deepEqual(x, b[i]));
  }
  if (a instanceof GoTime && b instanceof GoTime) {
    return (
      a.unixSeconds === b.unixSeconds && a.nanos === b.nanos && a.offset === b.offset && a.zone === b.zone
    );
  }
  if (isMap(a) && isMap(b)) {
    const ka = ownKeys(a);
    const kb = ownKeys(b);
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && deepEqual(a[k], b[k]));
  }
  return false;
}

/** sprig's `empty`: nil, false, 0, "" and empty lists/maps/bytes; a time or other struct is never empty. */
export function isEmpty(v: unknown): boolean {
  switch (typeof v) {
    case "undefined":
      return true;
    case "boolean":
      return !v;
    case "number":
      return v === 0;
    case "bigint":
      return v === 0n;
    case "string":
      return v.length === 0;
    case "object":
      if (v === null) return true;
      if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
      if (isMap(v)) return !hasDataKey(v);
      // sprig's empty: a nil pointer is empty, a struct never; a defined type as its value.
      if (v instanceof GoNamed) return isEmpty(v.value);
      return v instanceof GoNil;
    default:
      return false;
  }
}
