/** Kubernetes label selectors: the full string syntax, parsed once and matched against labels. */
import { ApiStatusError } from "../api/errors.js";

/** One requirement of a label selector. */
export type LabelRequirement =
  | { key: string; op: "=" | "!="; value: string }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!exists" }
  | { key: string; op: ">" | "<"; value: number };

/** A parsed label selector: every requirement must hold (an empty selector matches everything). */
export type LabelSelector = LabelRequirement[];

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function invalid(selector: string, why: string): ApiStatusError {
  return ApiStatusError.badRequest(`unable to parse requirement: ${why} (in label selector "${selector}")`);
}

function checkKey(key: string, selector: string): string {
  const slash = key.indexOf("/");
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  if (!NAME.test(name) || (prefix !== undefined && (prefix.length > 253 || !PREFIX.test(prefix)))) {
    throw invalid(
      selector,
      `invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
  return key;
}

function checkValue(value: string, selector: string): string {
  if (value.length > 63 || !VALUE.test(value)) {
    throw invalid(
      selector,
      `invalid label value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
  return value;
}

/** Splits on commas that are not inside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of selector) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      terms.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  terms.push(current);
  return terms;
}

const SET_TERM = /^(\S+)\s+(in|notin)\s*\((.*)\)$/;
const BINARY_TERM = /^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*(.*)$/;

/**
 * Parses a label selector string (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
 * comma-separated). Throws a 400 BadRequest {@link ApiStatusError} on invalid syntax.
 *
 * @example
 * ```ts
 * const sel = parseLabelSelector("app=web, tier in (db,cache), !canary");
 * matchesLabelSelector(sel, { app: "web", tier: "db" }); // true
 * ```
 */
export function parseLabelSelector(selector: string | undefined): LabelSelector {
  if (selector === undefined || selector.trim() === "") return [];
  const out: LabelSelector = [];
  for (const raw of splitTerms(selector)) {
    const term = raw.trim();
    if (term === "") throw invalid(selector, "found '', expected: identifier");
    if (term.startsWith("!")) {
      out.push({ key: checkKey(term.slice(1).trim(), selector), op: "!exists" });
      continue;
    }
    const set = SET_TERM.exec(term);
    if (set) {
      const values = set[3]!.split(",").map((v) => checkValue(v.trim(), selector));
      if (set[3]!.trim() === "")
        throw invalid(selector, "for 'in', 'notin' operators, values set can't be empty");
      out.push({ key: checkKey(set[1]!, selector), op: set[2] as "in" | "notin", values });
      continue;
    }
    const bin = BINARY_TERM.exec(term);
    if (bin) {
      const key = checkKey(bin[1]!, selector);
      const op = bin[2]!;
      const value = bin[3]!.trim();
      if (op === "<" || op === ">") {
        const n = Number(value);
        if (value === "" || !Number.isInteger(n))
          throw invalid(selector, `for 'Gt', 'Lt' operators, the value must be an integer`);
        out.push({ key, op, value: n });
      } else {
        out.push({ key, op: op === "!=" ? "!=" : "=", value: checkValue(value, selector) });
      }
      continue;
    }
    if (/^\S+$/.test(term)) {
      out.push({ key: checkKey(term, selector), op: "exists" });
      continue;
    }
    throw invalid(selector, `unable to parse "${term}"`);
  }
  return out;
}

/** True when `labels` satisfy every requirement of `selector`. */
export function matchesLabelSelector(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return selector.every((r) => {
    const has = Object.hasOwn(l, r.key);
    const v = has ? l[r.key] : undefined;
    switch (r.op) {
      case "=":
        return v === r.value;
      case "!=":
        return v !== r.value;
      case "in":
        return v !== undefined && r.values.includes(v);
      case "notin":
        return v === undefined || !r.values.includes(v);
      case "exists":
        return has;
      case "!exists":
        return !has;
      case ">":
        return v !== undefined && Number(v) > r.value;
      case "<":
        return v !== undefined && Number(v) < r.value;
    }
    return false;
  });
}

/**
 * Converts a structured `LabelSelector` object (`matchLabels` / `matchExpressions`, as in a
 * Deployment's `spec.selector`) to the parsed form.
 */
export function fromSelectorObject(selector: {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}): LabelSelector {
  const out: LabelSelector = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) out.push({ key, op: "=", value });
  for (const e of selector.matchExpressions ?? []) {
    if (e.operator === "In") out.push({ key: e.key, op: "in", values: e.values ?? [] });
    else if (e.operator === "NotIn") out.push({ key: e.key, op: "notin", values: e.values ?? [] });
    else if (e.operator === "Exists") out.push({ key: e.key, op: "exists" });
    else if (e.operator === "DoesNotExist") out.push({ key: e.key, op: "!exists" });
  }
  return out;
}

/** Formats a structured selector as a selector string (used for the Scale subresource's `status.selector`). */
export function formatSelectorObject(selector: {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = (e.values ?? []).join(",");
    if (e.operator === "In") parts.push(`${e.key} in (${values})`);
    else if (e.operator === "NotIn") parts.push(`${e.key} notin (${values})`);
    else if (e.operator === "Exists") parts.push(e.key);
    else if (e.operator === "DoesNotExist") parts.push(`!${e.key}`);
  }
  return parts.join(",");
}
