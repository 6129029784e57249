/** encoding/json for Go-typed values: struct fields with tags, embedding, omitempty, marshalers. */
import { GoNamed, GoNil, GoPointer, GoStruct, goTypeOf, isNilCollection, taggedType } from "../go/typed.js";
import type { GoRawJson, GoStructType } from "../go/types.js";
import { isMap } from "../go/values.js";
import { jsonQuote } from "./json-quote.js";

/** One encoded field of a struct type, as encoding/json's typeFields lists them. */
export interface JsonField {
  /** The key, quoted as the encoder writes it with and without HTML escaping. */
  readonly keyHtml: string;
  readonly keyPlain: string;
  /** Field indexes from the outer struct through embedded structs to the field. */
  readonly path: readonly number[];
  readonly omitEmpty: boolean;
}

/** A field found while walking a type, before Go's dominance rules pick among equal names. */
interface Candidate {
  readonly name: string;
  readonly tagged: boolean;
  readonly path: readonly number[];
  readonly omitEmpty: boolean;
}

/** encoding/json's isEmptyValue (for omitempty): structs are never empty. */
export function isEmptyValue(v: unknown): boolean {
  switch (typeof v) {
    case "string":
      return v.length === 0;
    case "number":
      return v === 0;
    case "boolean":
      return !v;
    case "bigint":
      return v === 0n;
    case "undefined":
      return true;
    default:
      break;
  }
  if (v === null || v instanceof GoNil) return true;
  if (v instanceof GoNamed) return isEmptyValue(v.value);
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (v instanceof GoStruct || v instanceof GoPointer) return false;
  if (isMap(v)) return Object.keys(v).length === 0;
  return false;
}

const byIndex = (a: Candidate, b: Candidate): number => {
  for (let i = 0; i < a.path.length && i < b.path.length; i++) {
    if (a.path[i] !== b.path[i]) return a.path[i]! - b.path[i]!;
  }
  return a.path.length - b.path.length;
};

/**
 * encoding/json's typeFields (encode.go): the type's fields, embedded structs inlined breadth-first
 * (a type already seen at a shallower level is not walked again; one embedded twice at a level
 * yields clashing fields), then per name Go's dominantField — the shallowest wins, a tie is broken
 * by a tag, else the name is dropped — in index order. Decided per type, as Go does: a field behind
 * a nil embedded pointer takes part, and is skipped only when a value is encoded.
 */
function typeFields(type: GoStructType): JsonField[] {
  const found: Candidate[] = [];
  const visited = new Set<GoStructType>();
  let next: { type: GoStructType; path: number[] }[] = [{ type, path: [] }];
  let nextCount = new Map<GoStructType, number>();
  while (next.length > 0) {
    const current = next;
    const count = nextCount;
    next = [];
    nextCount = new Map();
    for (const at of current) {
      if (visited.has(at.type)) continue;
      visited.add(at.type);
      at.type.fields.forEach((f, i) => {
        if (f.jsonName === undefined) return;
        const path = [...at.path, i];
        const inner = f.type.kind === "ptr" ? f.type.elem : f.type;
        if (f.embedded && !f.jsonTagged && inner.kind === "struct") {
          const n = (nextCount.get(inner) ?? 0) + 1;
          nextCount.set(inner, n);
          if (n === 1) next.push({ type: inner, path });
          return;
        }
        // Unexported fields are left out, but for an embedded struct (here: a tagged one).
        if (!f.exported && !(f.embedded && inner.kind === "struct")) return;
        const c = { name: f.jsonName, tagged: f.jsonTagged, path, omitEmpty: f.omitEmpty };
        found.push(c);
        // Embedded more than once at the level above: a second copy, so that the name clashes.
        if ((count.get(at.type) ?? 0) > 1) found.push(c);
      });
    }
  }
  const byName = new Map<string, Candidate[]>();
  for (const c of found) {
    const list = byName.get(c.name);
    if (list === undefined) byName.set(c.name, [c]);
    else list.push(c);
  }
  const kept: Candidate[] = [];
  for (const list of byName.values()) {
    // Go sorts a name's fields by depth, then tagged first, then index; the first one dominates
    // unless the second is as shallow and as tagged.
    list.sort(
      (a, b) => a.path.length - b.path.length || Number(b.tagged) - Number(a.tagged) || byIndex(a, b),
    );
    const [first, second] = list;
    if (second !== undefined && second.path.length === first!.path.length && second.tagged === first!.tagged)
      continue;
    kept.push(first!);
  }
  return kept.sort(byIndex).map((c) => ({
    keyHtml: jsonQuote(c.name, true),
    keyPlain: jsonQuote(c.name, false),
    path: c.path,
    omitEmpty: c.omitEmpty,
  }));
}

const fieldPlans = new WeakMap<GoStructType, readonly JsonField[]>();

/** The encoded fields of a struct type, computed once per type (Go caches its encoder per type too). */
export function jsonFields(type: GoStructType): readonly JsonField[] {
  let plan = fieldPlans.get(type);
  if (plan === undefined) {
    plan = Object.freeze(typeFields(type));
    fieldPlans.set(type, plan);
  }
  return plan;
}

/** A field's value in `v` along its path; undefined's stand-in ABSENT behind a nil embedded pointer. */
export const ABSENT: unique symbol = Symbol("absent");

export function jsonFieldValue(v: GoStruct, f: JsonField): unknown {
  const path = f.path;
  let cur: unknown = v.values[path[0]!];
  for (let i = 1; i < path.length; i++) {
    if (!(cur instanceof GoStruct)) return ABSENT;
    cur = cur.values[path[i]!];
  }
  return cur;
}

/**
 * What a typed value encodes as: `null`, a value to encode in its place (a marshaler's result, a
 * defined type's underlying value), `STRUCT` for a struct's fields, or undefined when `v` is plain
 * data (or a typed map/slice encoded like plain data).
 */
export function typedJson(v: object): { value: unknown } | { struct: GoStruct } | "null" | undefined {
  const type = goTypeOf(v);
  if (type === undefined) return undefined;
  if (v instanceof GoNil) return "null";
  // A pointer has its element's methods (a value receiver's MarshalJSON serves *T too).
  const methods = v instanceof GoStruct ? v.structType : type;
  if (methods.marshalJson !== undefined) return { value: methods.marshalJson(v) };
  if (v instanceof GoStruct) return { struct: v };
  if (v instanceof GoNamed || v instanceof GoPointer) return { value: v.value };
  if (taggedType(v) !== undefined && isNilCollection(v)) return "null";
  return undefined;
}

const HEX = "0123456789abcdef";

/**
 * Go's compact (and, with an indent, Indent) of marshaler output: whitespace outside strings
 * dropped, `<>&` and U+2028/U+2029 escaped inside strings as json.Marshal does.
 */
export function reformatRawJson(raw: GoRawJson, escapeHtml: boolean, prefix: string, indent: string): string {
  const text = raw.text;
  let out = "";
  let depth = 0;
  let inString = false;
  const newline = (d: number) => (indent === "" ? "" : `\n${prefix}${indent.repeat(d)}`);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === "\\") {
        out += c + (text[i + 1] ?? "");
        i++;
      } else if (c === '"') {
        inString = false;
        out += c;
      } else if (escapeHtml && (c === "<" || c === ">" || c === "&")) {
        const code = c.charCodeAt(0);
        out += `\\u00${HEX[code >> 4]}${HEX[code & 15]}`;
      } else if (c === "\u2028" || c === "\u2029") out += c === "\u2028" ? "\\u2028" : "\\u2029";
      else out += c;
      continue;
    }
    if (c === " " || c === "\t" || c === "\n" || c === "\r") continue;
    if (c === '"') {
      inString = true;
      out += c;
    } else if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (text[j] === close) {
        out += c + close;
        i = j;
        continue;
      }
      depth++;
      out += c + newline(depth);
    } else if (c === "}" || c === "]") {
      depth--;
      out += newline(depth) + c;
    } else if (c === ",") out += c + newline(depth);
    else if (c === ":") out += indent === "" ? ":" : ": ";
    else out += c;
  }
  return out;
}
