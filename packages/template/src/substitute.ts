/** `${VAR}` substitution for KubeStash Function arguments, as envsubst (gomodules.xyz/envsubst) does it. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { TemplateError } from "./errors.js";

/** `[A-Za-z_]` */
function isNameStart(c: number): boolean {
  return c === 95 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** `[A-Za-z0-9_]` */
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

/**
 * Replaces variables in `source` as KubeStash resolves a Function's arguments
 * (kubestash/apimachinery pkg/utils.go ResolveWithInputs: gomodules.xyz/envsubst EvalMap over
 * the inputs): `${name}` is the value; `${name:=default}` (also `${name=default}` and
 * `${name:-default}`) is the value when the name is given — even an empty one — and the default
 * only when it is not; `$$` is a literal `$`. A name that is not given, without a default, is an
 * error (`QUIESCE_TEMPLATE_MISSING_KEY`) naming it, as EvalMap's "input/default value not found".
 * Only own properties of `vars` are read; envsubst's other operators (`${#name}`, `${name^^}`, …)
 * are left as written.
 *
 * @example
 * ```ts
 * substituteVars("--db=${DB_NAME} --port=${PORT:=5432}", { DB_NAME: "app" }); // "--db=app --port=5432"
 * ```
 */
export function substituteVars(source: string, vars: Readonly<Record<string, string | undefined>>): string {
  if (typeof source !== "string") {
    throw new QuiesceError(ErrorCodes.VALIDATION, `substituteVars expects a string, got ${typeof source}`);
  }
  let out = "";
  let last = 0;
  // The first "}" at or after the scan position, reused while still ahead: a text of many unclosed
  // "${a:=" is scanned once (a RegExp here would scan the rest of it again for each).
  let close = -1;
  for (let at = source.indexOf("$"); at >= 0; at = source.indexOf("$", at + 1)) {
    if (source.charCodeAt(at + 1) === 36) {
      // `$$`: a literal `$`.
      out += `${source.slice(last, at)}$`;
      last = at + 2;
      at++;
      continue;
    }
    if (source.charCodeAt(at + 1) !== 123) continue;
    let i = at + 2;
    if (i >= source.length || !isNameStart(source.charCodeAt(i))) continue;
    while (i < source.length && isNameChar(source.charCodeAt(i))) i++;
    const name = source.slice(at + 2, i);
    const operator = source.startsWith(":=", i) || source.startsWith(":-", i) ? 2 : source[i] === "=" ? 1 : 0;
    let fallback: string | undefined;
    if (operator > 0) {
      if (close < i) close = source.indexOf("}", i);
      if (close < 0) break;
      fallback = source.slice(i + operator, close);
      i = close;
    }
    if (source[i] !== "}") continue;
    out += source.slice(last, at) + variableValue(name, fallback, source.slice(at, i + 1), vars);
    last = i + 1;
    at = i;
  }
  return out + source.slice(last);
}

/** A given variable's value (even empty), else its default, else an error naming it. */
function variableValue(
  name: string,
  fallback: string | undefined,
  expression: string,
  vars: Readonly<Record<string, string | undefined>>,
): string {
  const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
  if (fallback !== undefined) return value ?? fallback;
  if (value === undefined) {
    const reason = `variable ${JSON.stringify(name)} is not set and has no default (input/default value not found for key ${name})`;
    throw new TemplateError(ErrorCodes.TEMPLATE_MISSING_KEY, reason, {
      template: "substitution",
      expression,
      reason,
    });
  }
  return value;
}
