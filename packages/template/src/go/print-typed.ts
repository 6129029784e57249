/** fmt's printValue for Go-typed values: structs `{a b}`, pointers, defined types and their String(). */
import { GoTime } from "../sprig/go-time.js";
import { goQuote } from "./quote.js";
import { GoNamed, GoNil, GoPointer, GoStruct, goTypeOf, isNilCollection, taggedType } from "./typed.js";
import { ownKeys } from "./values.js";

/**
 * What fmt prints for a pointer inside a container: Go prints the address, which differs from run
 * to run; a fixed address keeps renders reproducible.
 */
export const POINTER_TEXT = "0xc000010000";

/** The verb flags printing depends on (fmt's `%+v` and `%#v`). */
interface Flags {
  readonly plusV: boolean;
  readonly sharpV: boolean;
}

/** Prints one operand with a verb (print.ts's printArg). */
type PrintArg = (v: unknown, verb: string, f: Flags, depth: number) => string;

/** The verbs for which fmt calls a value's String() (handleMethods). */
const STRING_VERBS = new Set(["v", "s", "q", "x", "X"]);

/** A value's String() method, its own or promoted from an embedded field (metav1.Time's time.Time). */
function stringOf(v: object, depth: number): string | undefined {
  if (v instanceof GoTime) return v.goString();
  if (v instanceof GoNil) return undefined;
  // A pointer has its element's methods.
  const type = v instanceof GoStruct ? v.structType : goTypeOf(v);
  if (type === undefined) return undefined;
  if (type.stringer !== undefined) return type.stringer(v);
  if (!(v instanceof GoStruct) || depth > 8) return undefined;
  const fields = v.structType.fields;
  for (let i = 0; i < fields.length; i++) {
    const inner = v.values[i];
    if (fields[i]!.embedded && typeof inner === "object" && inner !== null) {
      const s = stringOf(inner, depth + 1);
      if (s !== undefined) return s;
    }
  }
  return undefined;
}

/** The text of a typed value's String() method under a string verb, or undefined. */
export function stringerText(v: object, verb: string, f: Flags): string | undefined {
  if (!STRING_VERBS.has(verb) || f.sharpV) return undefined;
  if (!(v instanceof GoStruct || v instanceof GoNamed || v instanceof GoPointer)) return undefined;
  return stringOf(v, 0);
}

function printStruct(v: GoStruct, verb: string, f: Flags, depth: number, print: PrintArg): string {
  const type = v.structType;
  let out = f.sharpV ? `${type.name}{` : "{";
  for (let i = 0; i < type.fields.length; i++) {
    const field = type.fields[i]!;
    if (i > 0) out += f.sharpV ? ", " : " ";
    if (f.plusV || f.sharpV) out += `${field.name}:`;
    out += print(v.values[i], verb, f, depth + 1);
  }
  return `${out}}`;
}

/**
 * Go's printValue for a typed value, or undefined when `v` is not one of the typed classes (the
 * caller prints plain data and typed maps/slices itself).
 */
export function printTyped(
  v: object,
  verb: string,
  f: Flags,
  depth: number,
  print: PrintArg,
): string | undefined {
  if (v instanceof GoStruct) {
    if (v.pointer) {
      if (depth > 0) return f.sharpV ? `(${goTypeOf(v)!.name})(${POINTER_TEXT})` : POINTER_TEXT;
      return `&${printStruct(v, verb, f, depth, print)}`;
    }
    return printStruct(v, verb, f, depth, print);
  }
  if (v instanceof GoNamed) return print(v.value, verb, f, depth);
  if (v instanceof GoNil) return f.sharpV ? `(${v.type.name})(nil)` : "<nil>";
  if (v instanceof GoPointer) return f.sharpV ? `(${v.type.name})(${POINTER_TEXT})` : POINTER_TEXT;
  return undefined;
}

/** `%#v` of a typed map or slice (Go syntax with its type name), or undefined for plain data. */
export function goSyntaxTyped(v: object, elem: (e: unknown) => string): string | undefined {
  const type = taggedType(v);
  if (type === undefined) return undefined;
  if (isNilCollection(v)) return `${type.name}(nil)`;
  if (type.kind === "slice") return `${type.name}{${Array.from(v as ArrayLike<unknown>, elem).join(", ")}}`;
  const m = v as Record<string, unknown>;
  const keys = ownKeys(m);
  return `${type.name}{${keys.map((k) => `${goQuote(k)}:${elem(m[k])}`).join(", ")}}`;
}
