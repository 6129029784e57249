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
  return plainOutput(json) ?? decodeOutput(json);
}

const PLAIN_KEY = Buffer.from('{"key":"');
const PLAIN_VALUE = Buffer.from('","value":"');
const QUOTE = 0x22;

/**
 * The line Kanister's own `kando output` prints (pkg/output/output.go PrintOutput: json.Marshal
 * of `{Key, Value}`) when neither string needs an escape: exactly `{"key":"<k>","value":"<v>"}`
 * with k and v printable ASCII without `"` or `\`. Go decodes it to those very bytes, so it is
 * read directly; anything else (spaces, escapes, other fields or order, non-ASCII) returns
 * undefined and goes through Go's scanner and decoder.
 */
export function plainOutput(json: Uint8Array): { key: string; value: string } | undefined {
  const n = json.length;
  if (n < PLAIN_KEY.length + PLAIN_VALUE.length + 2 || json[n - 2] !== QUOTE || json[n - 1] !== 0x7d) {
    return undefined;
  }
  for (let i = 0; i < PLAIN_KEY.length; i++) if (json[i] !== PLAIN_KEY[i]) return undefined;
  const keyEnd = plainEnd(json, PLAIN_KEY.length, n);
  if (keyEnd === -1) return undefined;
  for (let i = 0; i < PLAIN_VALUE.length; i++) if (json[keyEnd + i] !== PLAIN_VALUE[i]) return undefined;
  const valueStart = keyEnd + PLAIN_VALUE.length;
  if (plainEnd(json, valueStart, n) !== n - 2) return undefined;
  const bytes = Buffer.from(json.buffer, json.byteOffset, n);
  return {
    key: bytes.toString("latin1", PLAIN_KEY.length, keyEnd),
    value: bytes.toString("latin1", valueStart, n - 2),
  };
}

// The index of the quote ending a string of printable ASCII without escapes, or -1.
function plainEnd(json: Uint8Array, from: number, n: number): number {
  for (let i = from; i < n; i++) {
    const c = json[i] as number;
    if (c === QUOTE) return i;
    if (c < 0x20 || c > 0x7e || c === 0x5c) return -1;
  }
  return -1;
}

/** The general path: Go's syntax check, then its decode into `output.Output`. */
export function decodeOutput(json: Uint8Array): { key: string; value: string } {
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
