/** encoding/json for Go-typed values: struct fields with tags, embedding, omitempty, marshalers. */
import { GoNamed, GoNil, GoPointer, GoStruct, goTypeOf, isNilCollection, taggedType } from "../go/typed.js";
import type { GoRawJson } from "../go/types.js";
import { isMap } from "../go/values.js";

/** One encoded struct field, as encoding/json's typeFields lists them. */
interface JsonField {
  readonly name: string;
  readonly tagged: boolean;
  readonly depth: number;
  readonly omitEmpty: boolean;
  readonly value: unknown;
}

/** encoding/json's isEmptyValue (for omitempty): structs are never empty. */
function isEmptyValue(v: unknown): boolean {
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

function collect(v: GoStruct, depth: number, out: JsonField[]): void {
  const type = v.structType;
  for (let i = 0; i < type.fields.length; i++) {
    const f = type.fields[i]!;
    if (f.jsonName === undefined) continue;
    const value = v.values[i];
    const inner = f.type.kind === "ptr" ? f.type.elem : f.type;
    if (f.embedded && !f.jsonTagged && inner.kind === "struct") {
      // An embedded struct's fields are inlined; behind a nil pointer there are none.
      if (value instanceof GoStruct && depth < 16) collect(value, depth + 1, out);
      continue;
    }
    if (!f.exported) continue;
    out.push({ name: f.jsonName, tagged: f.jsonTagged, depth, omitEmpty: f.omitEmpty, value });
  }
}

/** Go's dominantField: the shallowest field of a name wins; a tie is broken by a tag, else dropped. */
function dominant(fields: JsonField[]): JsonField[] {
  const byName = new Map<string, JsonField[]>();
  for (const f of fields) {
    const list = byName.get(f.name);
    if (list === undefined) byName.set(f.name, [f]);
    else list.push(f);
  }
  return fields.filter((f) => {
    const list = byName.get(f.name)!;
    if (list.length === 1) return true;
    const min = Math.min(...list.map((x) => x.depth));
    const top = list.filter((x) => x.depth === min);
    const tagged = top.filter((x) => x.tagged);
    const winner = top.length === 1 ? top[0] : tagged.length === 1 ? tagged[0] : undefined;
    return winner === f;
  });
}

/** The encoded members of a struct: [key, value] in Go's order, omitempty applied. */
export function structJsonEntries(v: GoStruct): [string, unknown][] {
  const fields: JsonField[] = [];
  collect(v, 0, fields);
  return dominant(fields)
    .filter((f) => !(f.omitEmpty && isEmptyValue(f.value)))
    .map((f) => [f.name, f.value]);
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
