/** `${VAR}` substitution for KubeStash Function arguments, as envsubst (gomodules.xyz/envsubst) does it. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { TemplateError } from "./errors.js";

// `$$` (an escaped dollar), or `${NAME}` with an optional `:=`, `=` or `:-` default.
const PATTERN = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:=|=|:-)([^}]*))?\}/g;

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
  return source.replace(
    PATTERN,
    (match, name: string | undefined, operator: string | undefined, fallback: string | undefined) => {
      if (name === undefined) return "$";
      const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
      if (operator !== undefined) return value ?? (fallback as string);
      if (value === undefined) {
        const reason = `variable ${JSON.stringify(name)} is not set and has no default (input/default value not found for key ${name})`;
        throw new TemplateError(ErrorCodes.TEMPLATE_MISSING_KEY, reason, {
          template: "substitution",
          expression: match,
          reason,
        });
      }
      return value;
    },
  );
}
