/** Field and method lookup on Go-typed values, with Go's promotion through embedded fields. */
import { GoTime } from "../sprig/go-time.js";
import { MethodCallError, timeMethod } from "./time-methods.js";
import { GoNamed, GoNil, GoPointer, GoStruct, goTypeOf, taggedType, zeroValue } from "./typed.js";
import type { GoStructType, GoType } from "./types.js";

/** What `.Name` found on a typed value. */
export type Member =
  | { readonly kind: "field"; readonly value: unknown; readonly type: GoType; readonly exported: boolean }
  | { readonly kind: "method"; readonly call: (...args: unknown[]) => unknown };

function methodOf(type: GoType, self: unknown, name: string): Member | undefined {
  // Own names only: a `methods` record's inherited members (`constructor`, `toString`) are not methods.
  const impl =
    type.methods !== undefined && Object.hasOwn(type.methods, name) ? type.methods[name] : undefined;
  if (impl !== undefined) return { kind: "method", call: (...args) => impl(self, ...args) };
  const stringer = type.stringer;
  if (name === "String" && stringer !== undefined) {
    return {
      kind: "method",
      call: (...args) => {
        if (args.length > 0)
          throw new MethodCallError(`wrong number of args for String: want 0 got ${args.length}`);
        return stringer(self);
      },
    };
  }
  return undefined;
}

export { MethodCallError };

/** True when a struct type (or one it embeds) has a field or method of that name. */
export function structHasMember(type: GoStructType, name: string, depth = 0): boolean {
  if (depth > 8) return false;
  if (type.methods !== undefined && Object.hasOwn(type.methods, name)) return true;
  if (name === "String" && type.stringer !== undefined) return true;
  if (type.fieldIndex.has(name)) return true;
  for (const f of type.fields) {
    const t = f.type.kind === "ptr" ? f.type.elem : f.type;
    if (f.embedded && t.kind === "struct" && structHasMember(t, name, depth + 1)) return true;
  }
  return false;
}

/** The index of `name` when it is an exported own field of `type` shadowed by no method (Go looks methods up first), else -1. */
function ownField(type: GoStructType, name: string): number {
  const at = type.fieldIndex.get(name);
  if (at === undefined || !type.fields[at]!.exported) return -1;
  const method = type.methods !== undefined && Object.hasOwn(type.methods, name);
  return method || (name === "String" && type.stringer !== undefined) ? -1 : at;
}

/** {@link FieldCache.read}'s answer when the field is not a plain own field of the struct. */
export const NOT_OWN: unique symbol = Symbol("not an own field");

/**
 * A field chain's memo (`.Profile.Location.Bucket`), one entry per step: the struct type last read
 * at that step and the index of the field, so that a render reads the value without a lookup. Keyed
 * by type identity (types are immutable), it holds for any data the template is given.
 */
export class FieldCache {
  /** Per step: the struct type at 2·step, the field's index at 2·step + 1 (made on first use). */
  #memo: (GoStructType | number | undefined)[] | undefined;

  /** The exported own field `name` of `v`, read at chain step `step`; NOT_OWN when it is not one. */
  read(v: GoStruct, step: number, name: string): unknown {
    const type = v.structType;
    const memo = this.#memo;
    if (memo !== undefined && memo[2 * step] === type) return v.values[memo[2 * step + 1] as number];
    const at = ownField(type, name);
    if (at < 0) return NOT_OWN;
    const m = memo ?? [];
    this.#memo = m;
    m[2 * step] = type;
    m[2 * step + 1] = at;
    return v.values[at];
  }
}

function structMember(v: GoStruct, name: string, depth: number): Member | undefined {
  const type = v.structType;
  const m = methodOf(type, v, name);
  if (m !== undefined) return m;
  const i = type.fieldIndex.get(name);
  if (i !== undefined) {
    const f = type.fields[i]!;
    return { kind: "field", value: v.values[i], type: f.type, exported: f.exported };
  }
  if (depth > 8) return undefined;
  // Promoted fields and methods of embedded fields (Go picks the shallowest; ties are not modelled).
  for (let j = 0; j < type.fields.length; j++) {
    const f = type.fields[j]!;
    if (!f.embedded) continue;
    const inner = v.values[j];
    if (inner instanceof GoStruct) {
      const found = structMember(inner, name, depth + 1);
      if (found !== undefined) return found;
    } else if (inner instanceof GoTime) {
      const call = timeMethod(inner, name);
      if (call !== undefined) return { kind: "method", call };
    } else if (inner !== null && typeof inner === "object" && !(inner instanceof GoNil)) {
      const t = goTypeOf(inner);
      const found = t === undefined ? undefined : methodOf(t, inner, name);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * The field or method `name` of a typed value (a struct, a pointer to one, a value of a defined
 * type), or undefined. Unexported fields are returned with `exported: false` for Go's error.
 */
export function memberOf(v: object, name: string): Member | undefined {
  if (v instanceof GoStruct) return structMember(v, name, 0);
  if (v instanceof GoTime) {
    const call = timeMethod(v, name);
    return call === undefined ? undefined : { kind: "method", call };
  }
  if (v instanceof GoNamed) return methodOf(v.type, v, name);
  if (v instanceof GoPointer) {
    const m = methodOf(v.type, v, name);
    if (m !== undefined) return m;
    const inner = v.value;
    return inner !== null && typeof inner === "object" ? memberOf(inner, name) : undefined;
  }
  const tagged = taggedType(v);
  return tagged === undefined ? undefined : methodOf(tagged, v, name);
}

/** Go's zero value of a typed map's element (`""` for map[string]string); nil for plain maps. */
export function mapElemZero(map: object): unknown {
  const type = taggedType(map);
  return type === undefined ? undefined : zeroValue(type.elem);
}

/** True when a value's static Go type, as the field/element it was read from, is `interface {}`. */
export function elemIsInterface(container: unknown, name: string): boolean {
  if (container === null || typeof container !== "object") return true;
  if (container instanceof GoStruct) {
    const i = container.structType.fieldIndex.get(name);
    return i === undefined ? false : container.structType.fields[i]!.type.kind === "interface";
  }
  const t = taggedType(container);
  if (t !== undefined) return t.elem.kind === "interface";
  // Plain maps hold interface{} values; a method's result has its declared (concrete) type.
  const proto = Object.getPrototypeOf(container) as unknown;
  return proto === Object.prototype || proto === null || Array.isArray(container);
}
