/** JSON Patch (RFC 6902): add, remove, replace, move, copy and test operations on JSON pointers. */
import { ApiStatusError } from "../api/errors.js";

type Json = unknown;
type Container = Record<string, Json> | Json[];

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

function fail(message: string): ApiStatusError {
  return new ApiStatusError(422, "Invalid", message);
}

function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw fail(`JSON pointer "${pointer}" must start with "/"`);
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function isContainer(v: Json): v is Container {
  return typeof v === "object" && v !== null;
}

/** Resolves the parent container of the last token. */
function parentOf(doc: Json, tokens: string[], pointer: string): { parent: Container; last: string } {
  let current: Json = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(current)) current = current[arrayIndex(current, token, pointer, false)];
    else if (isContainer(current) && Object.hasOwn(current, token))
      current = (current as Record<string, Json>)[token];
    else throw fail(`doc is missing path: "${pointer}": missing value`);
  }
  if (!isContainer(current)) throw fail(`doc is missing path: "${pointer}": missing value`);
  return { parent: current, last: tokens[tokens.length - 1]! };
}

function arrayIndex(array: Json[], token: string, pointer: string, forAdd: boolean): number {
  if (forAdd && token === "-") return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw fail(`invalid array index "${token}" in "${pointer}"`);
  const i = Number(token);
  if (i > array.length || (!forAdd && i === array.length)) throw fail(`index out of range: "${pointer}"`);
  return i;
}

function get(doc: Json, pointer: string): Json {
  let current: Json = doc;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(current)) current = current[arrayIndex(current, token, pointer, false)];
    else if (isContainer(current) && Object.hasOwn(current, token))
      current = (current as Record<string, Json>)[token];
    else throw fail(`doc is missing path: "${pointer}": missing value`);
  }
  return current;
}

function add(doc: Json, pointer: string, value: Json): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, pointer, true), 0, value);
  else parent[last] = value;
  return doc;
}

function remove(doc: Json, pointer: string): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw fail("cannot remove the whole document");
  const { parent, last } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, pointer, false), 1);
  else if (Object.hasOwn(parent, last)) delete parent[last];
  else throw fail(`unable to remove nonexistent key: ${last}: missing value`);
  return doc;
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isContainer(a) && isContainer(b) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, Json>)[k], b[k]))
    );
  }
  return false;
}

/**
 * Applies an RFC 6902 JSON Patch (an array of operations) to a copy of `target`. A failed `test`
 * or a missing path throws 422 Invalid; a malformed patch throws 400 BadRequest.
 *
 * @example
 * ```ts
 * applyJsonPatch({ spec: { replicas: 1 } }, [
 *   { op: "test", path: "/spec/replicas", value: 1 },
 *   { op: "replace", path: "/spec/replicas", value: 3 },
 * ]);
 * ```
 */
export function applyJsonPatch(target: Json, patch: Json): Json {
  if (!Array.isArray(patch)) throw ApiStatusError.badRequest("json patch must be an array of operations");
  let doc = structuredClone(target);
  for (const raw of patch) {
    if (
      !isContainer(raw) ||
      Array.isArray(raw) ||
      typeof raw.op !== "string" ||
      typeof raw.path !== "string"
    ) {
      throw ApiStatusError.badRequest(`invalid json patch operation: ${JSON.stringify(raw)}`);
    }
    const op = raw as unknown as Operation;
    switch (op.op) {
      case "add":
        doc = add(doc, op.path, structuredClone(op.value));
        break;
      case "remove":
        doc = remove(doc, op.path);
        break;
      case "replace":
        get(doc, op.path);
        doc =
          op.path === ""
            ? structuredClone(op.value)
            : add(remove(doc, op.path), op.path, structuredClone(op.value));
        break;
      case "move": {
        if (op.from === undefined) throw ApiStatusError.badRequest("move operation requires 'from'");
        const value = get(doc, op.from);
        doc = add(remove(doc, op.from), op.path, value);
        break;
      }
      case "copy": {
        if (op.from === undefined) throw ApiStatusError.badRequest("copy operation requires 'from'");
        doc = add(doc, op.path, structuredClone(get(doc, op.from)));
        break;
      }
      case "test":
        if (!deepEqual(get(doc, op.path), op.value))
          throw fail(`testing value ${op.path} failed: test failed`);
        break;
      default:
        throw ApiStatusError.badRequest(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}
