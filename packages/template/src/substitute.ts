/** `${VAR}` substitution for KubeStash Function arguments. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { TemplateError } from "./errors.js";

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::=([^}]*))?\}/g;

/**
 * Replaces `${name}`, `${name:=default}` and `${name:=}` in `source` with values from `vars`.
 * A variable that is unset (or empty) takes its default; one that is unset without a default is an
 * error (`QUIESCE_TEMPLATE_MISSING_KEY`) naming it. Only own properties of `vars` are read.
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
  return source.replace(PATTERN, (_match, name: string, fallback: string | undefined) => {
    const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
    if (fallback !== undefined) return value === undefined || value === "" ? fallback : value;
    if (value === undefined) {
      const reason = `variable ${JSON.stringify(name)} is not set and has no default`;
      throw new TemplateError(ErrorCodes.TEMPLATE_MISSING_KEY, reason, {
        template: "substitution",
        expression: `\${${name}}`,
        reason,
      });
    }
    return value;
  });
}
