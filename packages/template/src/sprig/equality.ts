/** reflect.DeepEqual and sprig's `empty` for template values. */

import { isMap, ownKeys } from "../go/values.js";
import { GoTime } from "./go-time.js";

/** Go's reflect.DeepEqual over template values (numbers compare by value). */
export function deepEqual(a: unknown, b: unknown): boolean {
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
      if (isMap(v)) return ownKeys(v).length === 0;
      return false;
    default:
      return false;
  }
}
