/** text/template's predefined functions (eq, lt, index, slice, len, print*, html, js, urlquery, call, not). */
import { chargeWork } from "../budget.js";
import { GoArgError, GoFuncError } from "./call-error.js";
import { goComparable, goEqual } from "./compare.js";
import { sprint, sprintf, sprintln } from "./fmt.js";
import { mapElemZero } from "./members.js";
import { GoNamed, GoNil, GoPointer, GoStruct, isGoNil, sliceLike } from "./typed.js";
import {
  compareGoStrings,
  goTypeName,
  hasOwnKey,
  isGoInt,
  isMap,
  isTrue,
  kindOf,
  underlyingValue,
} from "./values.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

type BasicKind = "bool" | "int" | "float" | "string" | "invalid";

function basicKind(v: unknown): BasicKind {
  switch (typeof v) {
    case "boolean":
      return "bool";
    case "number":
      return isGoInt(v) ? "int" : "float";
    case "bigint":
      return "int";
    case "string":
      return "string";
    default:
      return "invalid";
  }
}

const isNil = isGoNil;

/** Go's `eq arg1 arg2...`: true when arg1 equals any of the others. */
export function eq(first: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) throw new GoFuncError("missing argument for comparison");
  // A defined basic type (v1alpha1.LocationType) compares by its kind, as Go's eq does.
  const arg1 = underlyingValue(first);
  const k1 = basicKind(arg1);
  for (const other of rest) {
    const arg = underlyingValue(other);
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (!isNil(arg1) && !isNil(arg)) throw new GoFuncError("incompatible types for comparison");
    } else if (k1 !== "invalid") {
      truth =
        arg1 === arg ||
        (typeof arg1 === "bigint" || typeof arg === "bigint" ? Number(arg1) === Number(arg) : false);
    } else {
      const kind1 = kindOf(arg1);
      const kind2 = kindOf(arg);
      if (kind1 !== kind2 && !isNil(arg1) && !isNil(arg)) {
        throw new GoFuncError(
          sprintf("non-comparable types %s: %v, %s: %v", arg1, goTypeName(arg1), goTypeName(arg), arg),
        );
      }
      if (isNil(arg1) || isNil(arg)) truth = isNil(arg1) === isNil(arg);
      else if (!goComparable(arg)) {
        throw new GoFuncError(sprintf("non-comparable type %s: %v", arg, goTypeName(arg)));
      } else truth = goEqual(arg1, arg);
    }
    if (truth) return true;
  }
  return false;
}

/** Go's `lt`. */
export function lt(first: unknown, second: unknown): boolean {
  const a = underlyingValue(first);
  const b = underlyingValue(second);
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === "invalid" || k2 === "invalid") throw new GoFuncError("invalid type for comparison");
  if (k1 !== k2) throw new GoFuncError("incompatible types for comparison");
  if (k1 === "bool") throw new GoFuncError("invalid type for comparison");
  if (k1 === "string") return compareBytes(a as string, b as string) < 0;
  return (a as number) < (b as number);
}

const compareBytes = compareGoStrings;

/** Go's `le`. */
export function le(a: unknown, b: unknown): boolean {
  return lt(a, b) || eq(a, b);
}

/** Go's `gt`. */
export function gt(a: unknown, b: unknown): boolean {
  return !le(a, b);
}

/** Go's `ge`. */
export function ge(a: unknown, b: unknown): boolean {
  return !lt(a, b);
}

/** UTF-8 view of a string, for Go's byte-oriented len/index/slice. */
function stringBytes(s: string): Uint8Array | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII range test.
  return /^[\x00-\x7f]*$/.test(s) ? null : encoder.encode(s);
}

function indexArg(index: unknown, cap: number): number {
  if (isNil(index)) throw new GoFuncError("cannot index slice/array with nil");
  if (typeof index !== "number" || !isGoInt(index)) {
    throw new GoFuncError(`cannot index slice/array with type ${goTypeName(index)}`);
  }
  if (index < 0 || index > cap) throw new GoFuncError(`index out of range: ${index}`);
  return index;
}

/** Go's `index item i j…`; a missing map key yields the element type's zero value. */
export function index(item: unknown, ...indexes: unknown[]): unknown {
  let cur = item;
  if (cur === null || cur === undefined) throw new GoFuncError("index of untyped nil");
  for (const idx of indexes) {
    if (Array.isArray(cur) || cur instanceof Uint8Array) {
      const x = indexArg(idx, cur.length);
      if (x >= cur.length) throw new GoFuncError(`index out of range: ${x}`);
      cur = cur[x];
    } else if (typeof cur === "string") {
      const bytes = stringBytes(cur);
      const len = bytes ? bytes.length : cur.length;
      const x = indexArg(idx, len);
      if (x >= len) throw new GoFuncError(`index out of range: ${x}`);
      cur = bytes ? bytes[x] : cur.charCodeAt(x);
    } else if (isMap(cur)) {
      if (typeof idx !== "string") {
        if (isNil(idx)) throw new GoFuncError("value is nil; should be of type string");
        throw new GoFuncError(`value has type ${goTypeName(idx)}; should be string`);
      }
      // A missing key yields the element type's zero value ("" for a map[string]string).
      cur = hasOwnKey(cur, idx) ? cur[idx] : mapElemZero(cur);
    } else if (cur instanceof GoPointer || cur instanceof GoNamed) {
      // A pointer is dereferenced, a defined type indexed as its underlying value.
      cur = index(cur.value, idx);
    } else if (cur === null || cur === undefined || cur instanceof GoNil) {
      throw new GoFuncError("index of nil pointer");
    } else {
      // Go dereferences the pointer first: the error names the struct type.
      const shown = cur instanceof GoStruct ? cur.asPointer(false) : cur;
      throw new GoFuncError(`can't index item of type ${goTypeName(shown)}`);
    }
  }
  return cur;
}

/** Go's `slice item [i [j [k]]]`. */
export function slice(typedItem: unknown, ...indexes: unknown[]): unknown {
  const item = underlyingValue(typedItem);
  if (item === null || item === undefined) throw new GoFuncError("slice of untyped nil");
  if (indexes.length > 3) throw new GoFuncError(`too many slice indexes: ${indexes.length}`);
  let len: number;
  let bytes: Uint8Array | null = null;
  if (typeof item === "string") {
    if (indexes.length === 3) throw new GoFuncError("cannot 3-index slice a string");
    bytes = stringBytes(item);
    len = bytes ? bytes.length : item.length;
  } else if (Array.isArray(item) || item instanceof Uint8Array) {
    len = item.length;
  } else {
    throw new GoFuncError(`can't slice item of type ${goTypeName(item)}`);
  }
  const idx = [0, len, len];
  indexes.forEach((v, i) => {
    idx[i] = indexArg(v, len);
  });
  if (idx[0]! > idx[1]!) throw new GoFuncError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) {
    throw new GoFuncError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  }
  if (typeof item === "string") {
    return bytes ? decoder.decode(bytes.subarray(idx[0], idx[1])) : item.slice(idx[0], idx[1]);
  }
  const list = item as unknown[] | Uint8Array;
  return sliceLike(list, list.slice(idx[0], idx[1]));
}

/** Go's `len`. */
export function len(typedItem: unknown): number {
  let item = underlyingValue(typedItem);
  // Go's reflect panics on an untyped nil; its message is what users see.
  if (item === null || item === undefined)
    throw new GoFuncError("reflect: call of reflect.Value.Type on zero Value");
  if (item instanceof GoPointer) item = underlyingValue(item.value);
  if (item instanceof GoNil) throw new GoFuncError("len of nil pointer");
  if (typeof item === "string") return stringBytes(item)?.length ?? item.length;
  if (Array.isArray(item) || item instanceof Uint8Array) return item.length;
  if (isMap(item)) {
    const keys = Object.keys(item);
    // Counting a map's entries visits them all (Go keeps the count).
    chargeWork(keys.length * 8);
    let n = 0;
    for (const k of keys) if (hasOwnKey(item, k)) n++;
    return n;
  }
  if (item instanceof GoStruct && item.pointer) throw new GoFuncError(`len of type ${item.structType.name}`);
  throw new GoFuncError(`len of type ${goTypeName(item)}`);
}

/** Go's evalArgs: a lone string as is, else Sprint with nil printed as `<no value>`. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  // Go's printableValue: only an invalid value (untyped nil) is "<no value>"; a nil pointer prints <nil>.
  return sprint(...args.map((a) => (a === null || a === undefined ? "<no value>" : a)));
}

const HTML_ESC: Record<string, string> = {
  "\0": "\uFFFD",
  '"': "&#34;",
  "'": "&#39;",
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
};

/** Go's `html`. */
export function html(...args: unknown[]): string {
  return evalArgs(args).replace(/[\0"'&<>]/g, (c) => HTML_ESC[c]!);
}

const JS_ESC: Record<string, string> = {
  "\\": "\\\\",
  "'": "\\'",
  '"': '\\"',
  "<": "\\u003C",
  ">": "\\u003E",
  "&": "\\u0026",
  "=": "\\u003D",
};

/** Go's `js`. */
export function js(...args: unknown[]): string {
  let out = "";
  for (const ch of evalArgs(args)) {
    const cp = ch.codePointAt(0)!;
    const esc = JS_ESC[ch];
    if (esc !== undefined) out += esc;
    else if (cp < 0x20) out += `\\u00${cp.toString(16).toUpperCase().padStart(2, "0")}`;
    else if (cp < 0x80) out += ch;
    else if (/[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch)) out += ch;
    else out += `\\u${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return out;
}

/** Go's `urlquery` (url.QueryEscape). */
export function urlquery(...args: unknown[]): string {
  let out = "";
  for (const b of encoder.encode(evalArgs(args))) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Go's `call`: template data never holds callable functions here, so any call fails. */
export function call(fn: unknown, ..._args: unknown[]): never {
  if (fn === null || fn === undefined) throw new GoFuncError("call of nil");
  if (typeof fn === "function")
    throw new GoFuncError("calling functions held in template data is not allowed");
  throw new GoFuncError(`non-function of type ${goTypeName(fn)}`);
}

/** Go's `not`. */
export function not(v: unknown): boolean {
  return !isTrue(v);
}

/** Arity rules of the builtins: [fixed, variadic]. */
export const BUILTIN_ARITY: Readonly<Record<string, readonly [number, boolean]>> = {
  and: [1, true],
  or: [1, true],
  not: [1, false],
  eq: [1, true],
  ne: [2, false],
  lt: [2, false],
  le: [2, false],
  gt: [2, false],
  ge: [2, false],
  len: [1, false],
  index: [1, true],
  slice: [1, true],
  call: [1, true],
  print: [0, true],
  printf: [1, true],
  println: [0, true],
  html: [0, true],
  js: [0, true],
  urlquery: [0, true],
};

/** The builtins callable with evaluated arguments (and/or are handled by the evaluator). */
export const BUILTINS: Readonly<Record<string, (...args: unknown[]) => unknown>> = {
  not,
  eq,
  ne: (a: unknown, b: unknown) => !eq(a, b),
  lt,
  le,
  gt,
  ge,
  len,
  index,
  slice,
  call,
  print: sprint,
  printf: (format: unknown, ...args: unknown[]) => {
    if (typeof format !== "string") throw new GoArgError("format must be a string", 0, "string");
    return sprintf(format, ...args);
  },
  println: sprintln,
  html,
  js,
  urlquery,
};
