/** Label selectors: KubeStash's `"app=web, env=prod"` form and full Kubernetes syntax, validated client-side. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";

/** One requirement of a label selector. */
export type SelectorRequirement =
  | { key: string; operator: "=" | "!="; value: string }
  | { key: string; operator: "in" | "notin"; values: string[] }
  | { key: string; operator: "exists" | "!" }
  | { key: string; operator: "gt" | "lt"; value: string };

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function fail(selector: string, why: string): never {
  throw new QuiesceError(ErrorCodes.VALIDATION, `invalid label selector "${selector}": ${why}`, {
    details: { selector },
  });
}

function checkKey(selector: string, key: string): string {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    fail(selector, `key "${key}" has an invalid prefix (a DNS subdomain is expected)`);
  }
  if (!NAME.test(name)) {
    fail(selector, `"${key}" is not a valid label key (alphanumerics, '-', '_', '.', at most 63 characters)`);
  }
  return key;
}

function checkValue(selector: string, value: string): string {
  if (value !== "" && !NAME.test(value)) {
    fail(
      selector,
      `"${value}" is not a valid label value (alphanumerics, '-', '_', '.', at most 63 characters)`,
    );
  }
  return value;
}

/** Splits on commas that are not inside a `( … )` value set. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === "(") depth++;
    else if (c === ")") {
      depth--;
      if (depth < 0) fail(selector, "unbalanced ')'");
    } else if (c === "," && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) fail(selector, "unbalanced '('");
  parts.push(selector.slice(start));
  return parts;
}

const SET_OP = /^(\S+)\s+(in|notin)\s*\((.*)\)$/;
const CMP_OP = /^([^\s=!<>]+)\s*(==|=|!=|>|<)\s*(.*)$/;

/**
 * Parses a label selector into requirements, rejecting malformed input with a QUIESCE_VALIDATION
 * error that names the selector and the problem. An empty selector has no requirements (everything).
 *
 * @example
 * ```ts
 * parseSelector("app=web, env in (prod, staging), !canary");
 * // [{ key: "app", operator: "=", value: "web" }, { key: "env", operator: "in", values: ["prod", "staging"] },
 * //  { key: "canary", operator: "!" }]
 * ```
 */
export function parseSelector(selector: string): SelectorRequirement[] {
  if (typeof selector !== "string")
    fail("", `expected a string, got ${selector === null ? "null" : typeof selector}`);
  if (selector.trim() === "") return [];
  const out: SelectorRequirement[] = [];
  for (const raw of splitTopLevel(selector)) {
    const part = raw.trim();
    if (part === "") fail(selector, "empty requirement (stray comma?)");
    const set = SET_OP.exec(part);
    if (set) {
      const [, key, op, list] = set as unknown as [string, string, "in" | "notin", string];
      const values = list.split(",").map((v) => checkValue(selector, v.trim()));
      if (values.length === 1 && values[0] === "" && list.trim() === "") {
        fail(selector, `"${part}" needs at least one value`);
      }
      out.push({ key: checkKey(selector, key), operator: op, values });
      continue;
    }
    if (part.startsWith("!")) {
      const key = part.slice(1).trim();
      out.push({ key: checkKey(selector, key), operator: "!" });
      continue;
    }
    const cmp = CMP_OP.exec(part);
    if (cmp) {
      const [, key, op, rawValue] = cmp as unknown as [string, string, string, string];
      const value = rawValue.trim();
      checkKey(selector, key);
      if (op === ">" || op === "<") {
        if (!/^-?\d+$/.test(value)) fail(selector, `"${part}" compares with a non-integer`);
        out.push({ key, operator: op === ">" ? "gt" : "lt", value });
      } else {
        if (/[\s=(),]/.test(value)) fail(selector, `unexpected "${value}" in "${part}"`);
        out.push({ key, operator: op === "!=" ? "!=" : "=", value: checkValue(selector, value) });
      }
      continue;
    }
    if (/\s/.test(part)) fail(selector, `cannot parse "${part}" (expected key, !key, key=value, key in (…))`);
    out.push({ key: checkKey(selector, part), operator: "exists" });
  }
  return out;
}

/** Formats requirements in the canonical form the API server accepts (`a=b,c!=d,e in (f,g),!h,i`). */
export function formatSelector(requirements: readonly SelectorRequirement[]): string {
  return requirements
    .map((r) => {
      switch (r.operator) {
        case "=":
        case "!=":
          return `${r.key}${r.operator}${r.value}`;
        case "in":
        case "notin":
          return `${r.key} ${r.operator} (${r.values.join(",")})`;
        case "exists":
          return r.key;
        case "!":
          return `!${r.key}`;
        case "gt":
          return `${r.key}>${r.value}`;
        case "lt":
          return `${r.key}<${r.value}`;
      }
      return "";
    })
    .join(",");
}

/**
 * Validates and normalises a selector string, e.g. `"app=web, env=prod"` → `"app=web,env=prod"`.
 *
 * @example
 * ```ts
 * normalizeSelector("app = web,  tier notin (cache)"); // "app=web,tier notin (cache)"
 * ```
 */
export function normalizeSelector(selector: string): string {
  return formatSelector(parseSelector(selector));
}

/** True when `labels` satisfy every requirement. */
export function matchesSelector(
  requirements: readonly SelectorRequirement[],
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const l = labels ?? {};
  return requirements.every((r) => {
    const has = Object.hasOwn(l, r.key);
    const v = l[r.key];
    switch (r.operator) {
      case "=":
        return has && v === r.value;
      case "!=":
        return !has || v !== r.value;
      case "in":
        return has && r.values.includes(v as string);
      case "notin":
        return !has || !r.values.includes(v as string);
      case "exists":
        return has;
      case "!":
        return !has;
      case "gt":
        return has && /^-?\d+$/.test(v as string) && Number(v) > Number(r.value);
      case "lt":
        return has && /^-?\d+$/.test(v as string) && Number(v) < Number(r.value);
    }
    return false;
  });
}

/** A structured `LabelSelector` (matchLabels + matchExpressions) as workloads carry it. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | undefined;
  matchExpressions?: { key: string; operator: string; values?: string[] | undefined }[] | undefined;
}

/**
 * The requirements of a structured selector (`matchLabels` + `matchExpressions`, as workloads and
 * Velero rules carry it); an unknown operator is a QUIESCE_VALIDATION error.
 */
export function selectorObjectRequirements(selector: LabelSelectorObject | undefined): SelectorRequirement[] {
  const reqs: SelectorRequirement[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {}))
    reqs.push({ key, operator: "=", value });
  for (const e of selector?.matchExpressions ?? []) {
    switch (e.operator) {
      case "In":
        reqs.push({ key: e.key, operator: "in", values: e.values ?? [] });
        break;
      case "NotIn":
        reqs.push({ key: e.key, operator: "notin", values: e.values ?? [] });
        break;
      case "Exists":
        reqs.push({ key: e.key, operator: "exists" });
        break;
      case "DoesNotExist":
        reqs.push({ key: e.key, operator: "!" });
        break;
      default:
        throw new QuiesceError(ErrorCodes.VALIDATION, `unknown selector operator "${e.operator}"`, {
          details: { selector },
        });
    }
  }
  return reqs;
}

/** Converts a workload's structured selector to the string form used in list calls. */
export function selectorObjectToString(selector: LabelSelectorObject | undefined): string {
  return formatSelector(selectorObjectRequirements(selector));
}
