/**
 * A small JSONPath evaluator with Kubernetes' (kubectl `-o jsonpath`) semantics, for Kanister's
 * Wait conditions: `$.status.phase`, `.spec.replicas`, `[0]`, `[]` (first element), `[*]`,
 * `[1:3]`, `['key']` and filters `[?(@.type=="Ready")]`. Results print as Go's fmt does.
 */
import { ErrorCodes, QuiesceError } from "@quiesce/core";

type Step =
  | { kind: "field"; name: string }
  | { kind: "wildcard" }
  | { kind: "slice"; start: number | undefined; end: number | undefined; index: boolean }
  | { kind: "filter"; path: Step[]; op?: string; value?: unknown };

const MISSING = Symbol("missing");

/** Evaluates `path` against `obj`; returns every match. Throws `QUIESCE_VALIDATION` on a missing key or bad syntax. */
export function evaluateJsonPath(obj: unknown, path: string): unknown[] {
  const steps = parsePath(path);
  let current: unknown[] = [obj];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) applyStep(value, step, next, path);
    current = next;
  }
  return current;
}

/** Evaluates a path and prints the matches as kubectl does (Go's fmt, space-separated). */
export function jsonPathToString(obj: unknown, path: string): string {
  return evaluateJsonPath(obj, path).map(goPrint).join(" ");
}

// Kanister's pattern for JSONPath inside a Wait condition: `{ $.status.phase }`.
const IN_CONDITION = /\{\s*\$([^}]*)\}/g;

/** True when `condition` holds at least one `{ $... }` JSONPath. */
export function hasJsonPathArgs(condition: string): boolean {
  return new RegExp(IN_CONDITION.source).test(condition);
}

/**
 * Replaces every `{ $.path }` in a Wait (v1) condition by the value at that path in `obj`
 * (Kanister's `resolveJsonpath`). A path that cannot be parsed resolves to "" (as Kanister's does).
 */
export function resolveJsonPathArgs(obj: unknown, condition: string): string {
  return condition.replace(new RegExp(IN_CONDITION.source, "g"), (_whole, rest: string) => {
    const path = `$${rest.trim()}`;
    try {
      parsePath(path);
    } catch {
      return "";
    }
    return jsonPathToString(obj, path);
  });
}

function applyStep(value: unknown, step: Step, out: unknown[], path: string): void {
  switch (step.kind) {
    case "field": {
      if (
        value !== null &&
        typeof value === "object" &&
        !Array.isArray(value) &&
        Object.hasOwn(value, step.name)
      ) {
        out.push((value as Record<string, unknown>)[step.name]);
        return;
      }
      throw notFound(step.name, path);
    }
    case "wildcard": {
      if (Array.isArray(value)) out.push(...value);
      else if (value !== null && typeof value === "object") {
        for (const k of Object.keys(value).sort()) out.push((value as Record<string, unknown>)[k]);
      }
      return;
    }
    case "slice": {
      if (!Array.isArray(value)) throw notFound("[]", path);
      const len = value.length;
      if (step.index) {
        const i = (step.start ?? 0) < 0 ? len + (step.start ?? 0) : (step.start ?? 0);
        if (i < 0 || i >= len)
          throw new QuiesceError(
            ErrorCodes.VALIDATION,
            `array index out of bounds: index ${step.start}, length ${len}`,
          );
        out.push(value[i]);
        return;
      }
      let start = step.start ?? 0;
      let end = step.end ?? len;
      if (start < 0) start += len;
      if (end < 0) end += len;
      start = Math.max(0, Math.min(start, len));
      end = Math.max(start, Math.min(end, len));
      out.push(...value.slice(start, end));
      return;
    }
    case "filter": {
      const items = Array.isArray(value) ? value : [];
      for (const item of items) {
        let found: unknown = MISSING;
        try {
          const matches: unknown[] = [item];
          let cur = matches;
          for (const s of step.path) {
            const nxt: unknown[] = [];
            for (const v of cur) applyStep(v, s, nxt, path);
            cur = nxt;
          }
          found = cur.length > 0 ? cur[0] : MISSING;
        } catch {
          found = MISSING;
        }
        if (found === MISSING) continue;
        if (step.op === undefined || compare(found, step.op, step.value)) out.push(item);
      }
      return;
    }
  }
}

function compare(left: unknown, op: string, right: unknown): boolean {
  const l = typeof right === "number" && typeof left === "string" ? Number(left) : left;
  switch (op) {
    case "==":
      return l === right || String(l) === String(right);
    case "!=":
      return !(l === right || String(l) === String(right));
    case "<":
      return (l as number) < (right as number);
    case ">":
      return (l as number) > (right as number);
    case "<=":
      return (l as number) <= (right as number);
    case ">=":
      return (l as number) >= (right as number);
    default:
      return false;
  }
}

function notFound(key: string, path: string): QuiesceError {
  return new QuiesceError(ErrorCodes.VALIDATION, `${key} is not found (JSONPath ${path})`, {
    details: { path },
  });
}

function syntax(path: string, why: string): QuiesceError {
  return new QuiesceError(ErrorCodes.VALIDATION, `invalid JSONPath ${path}: ${why}`, { details: { path } });
}

/** Parses `$.a.b[0]['c'][?(@.x=="y")]` (the leading `$` is optional) into steps. */
function parsePath(path: string): Step[] {
  let s = path.trim();
  if (s.startsWith("{") && s.endsWith("}")) s = s.slice(1, -1).trim();
  if (s.startsWith("$")) s = s.slice(1);
  return parseSteps(s, path);
}

function parseSteps(s: string, path: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ".") {
      i++;
      if (s[i] === ".") throw syntax(path, "recursive descent is not supported");
      const m = /^[A-Za-z0-9_\-/]+|^\*/.exec(s.slice(i));
      if (!m) {
        if (i >= s.length) break;
        throw syntax(path, `unexpected "${s.slice(i)}"`);
      }
      steps.push(m[0] === "*" ? { kind: "wildcard" } : { kind: "field", name: m[0] });
      i += m[0].length;
    } else if (c === "[") {
      const close = findClose(s, i);
      if (close === -1) throw syntax(path, "unterminated [");
      steps.push(parseBracket(s.slice(i + 1, close).trim(), path));
      i = close + 1;
    } else if (c === " ") {
      i++;
    } else {
      const m = /^[A-Za-z0-9_\-/]+/.exec(s.slice(i));
      if (!m || steps.length > 0) throw syntax(path, `unexpected "${s.slice(i)}"`);
      steps.push({ kind: "field", name: m[0] });
      i += m[0].length;
    }
  }
  return steps;
}

function findClose(s: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "[") depth++;
    else if (c === "]" && --depth === 0) return i;
  }
  return -1;
}

function parseBracket(inner: string, path: string): Step {
  if (inner === "*") return { kind: "wildcard" };
  const quoted = /^(['"])(.*)\1$/.exec(inner);
  if (quoted) return { kind: "field", name: quoted[2] as string };
  if (inner.startsWith("?(") && inner.endsWith(")")) {
    const expr = inner.slice(2, -1).trim();
    const m = /^@((?:\.[A-Za-z0-9_\-/]+|\[[^\]]*\])*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+))?$/.exec(expr);
    if (!m) throw syntax(path, `unsupported filter ${inner}`);
    const sub = parseSteps(m[1] ?? "", path);
    if (m[2] === undefined) return { kind: "filter", path: sub };
    return { kind: "filter", path: sub, op: m[2], value: literal((m[3] ?? "").trim(), path) };
  }
  // Kubernetes' slice syntax: "" (= [0:1]), "n", "a:b", "a:b:step" (step unsupported).
  const slice = /^(-?\d*)(?::(-?\d*))?$/.exec(inner);
  if (!slice) throw syntax(path, `invalid array index ${inner}`);
  const [, a = "", b] = slice;
  if (b === undefined) {
    if (a === "") return { kind: "slice", start: 0, end: 1, index: false };
    return { kind: "slice", start: Number(a), end: undefined, index: true };
  }
  return {
    kind: "slice",
    start: a === "" ? undefined : Number(a),
    end: b === "" ? undefined : Number(b),
    index: false,
  };
}

function literal(text: string, path: string): unknown {
  const q = /^(['"])(.*)\1$/.exec(text);
  if (q) return q[2];
  if (text === "true") return true;
  if (text === "false") return false;
  const n = Number(text);
  if (text !== "" && Number.isFinite(n)) return n;
  throw syntax(path, `unsupported filter value ${text}`);
}

/** Prints a JSON value as Go's fmt.Print prints the unstructured form (maps sorted, `[a b]`, `map[k:v]`). */
export function goPrint(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    if (Number.isInteger(value)) return String(value);
    const s = String(value);
    return s.includes("e") ? s.replace(/e([+-])(\d)$/, "e$10$2") : s;
  }
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(goPrint).join(" ")}]`;
  if (typeof value === "object") {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${k}:${goPrint((value as Record<string, unknown>)[k])}`);
    return `map[${entries.join(" ")}]`;
  }
  return String(value);
}
