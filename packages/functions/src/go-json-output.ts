/**
 * Go's `json.Unmarshal` into Kanister's `output.Output{Key, Value string}` (pkg/output/output.go
 * UnmarshalOutput), with Go's error texts: the syntax check first (encoding/json scanner.go
 * checkValid, ported state for state), then the decode (decode.go: fields matched exactly or in
 * any case, other fields skipped, `null` leaving a field as it is, the first type error kept).
 */
import { checkValid, GoJsonError, isSpace } from "./go-json-scanner.js";

/**
 * Decodes one output's JSON as Kanister's UnmarshalOutput does; throws a {@link GoJsonError}
 * carrying encoding/json's text.
 */
export function unmarshalOutput(json: Uint8Array): { key: string; value: string } {
  checkValid(json);
  // Valid by Go's rules, hence by JSON.parse's: the members are read in order (duplicates included).
  const text = Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString("utf8");
  const out = { key: "", value: "" };
  const cursor = { text, at: skipSpace(text, 0) };
  const first = text[cursor.at];
  if (first !== "{") {
    if (first === "n") return out;
    const kind =
      first === "[" ? "array" : first === '"' ? "string" : first === "t" || first === "f" ? "bool" : "number";
    throw new GoJsonError(`json: cannot unmarshal ${kind} into Go value of type output.Output`);
  }
  let typeError: string | undefined;
  cursor.at = skipSpace(text, cursor.at + 1);
  while (text[cursor.at] === '"') {
    const name = JSON.parse(readValue(cursor)) as string;
    cursor.at = skipSpace(text, skipSpace(text, cursor.at) + 1); // the ":"
    const raw = readValue(cursor);
    const field = fieldOf(name);
    if (field !== undefined) {
      const kind = kindOf(raw);
      if (kind === "string") out[field] = wellFormed(JSON.parse(raw) as string);
      else if (kind !== "null") {
        typeError ??= `json: cannot unmarshal ${kind} into Go struct field Output.${field} of type string`;
      }
    }
    cursor.at = skipSpace(text, cursor.at);
    if (text[cursor.at] === ",") cursor.at = skipSpace(text, cursor.at + 1);
  }
  if (typeError !== undefined) throw new GoJsonError(typeError);
  return out;
}

// decode.go: the field of the exact name, else the one whose name matches ignoring case (Go folds
// the Kelvin sign to "k", as toLowerCase does).
function fieldOf(name: string): "key" | "value" | undefined {
  const folded = name === "key" || name === "value" ? name : name.toLowerCase();
  return folded === "key" || folded === "value" ? folded : undefined;
}

function kindOf(raw: string): string {
  switch (raw[0]) {
    case '"':
      return "string";
    case "{":
      return "object";
    case "[":
      return "array";
    case "t":
    case "f":
      return "bool";
    case "n":
      return "null";
    default:
      return "number";
  }
}

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

// The raw text of the (valid) value at the cursor, which moves past it.
function readValue(cursor: { text: string; at: number }): string {
  const { text } = cursor;
  const start = cursor.at;
  let depth = 0;
  let i = start;
  do {
    const c = text[i];
    if (c === '"') {
      i++;
      while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      i++;
    } else if (c === "{" || c === "[") {
      depth++;
      i++;
    } else if (c === "}" || c === "]") {
      depth--;
      i++;
    } else if (depth > 0) {
      i++;
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i] as string)) i++;
    }
  } while (depth > 0);
  cursor.at = i;
  return text.slice(start, i);
}

// Go's unquote turns a lone UTF-16 surrogate (`\ud800`) into U+FFFD.
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}
