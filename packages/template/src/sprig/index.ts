/** sprig v3's TxtFuncMap for the Go engine: every function except network and host-environment access. */

import type { FuncMap, TemplateFunction } from "../functions.js";
import { GoFuncError } from "../go/call-error.js";
import { SPRIG_ARITY } from "./arity.js";
import { conversionFunctions } from "./conversions.js";
import { cryptoFunctions } from "./crypto.js";
import { dateFunctions } from "./dates.js";
import { defaultFunctions } from "./defaults.js";
import { dictFunctions } from "./dicts.js";
import { encodingFunctions } from "./encodings.js";
import { KANISTER_ARITY, kanisterOverrides, SPRIG_V3_ONLY } from "./kanister.js";
import { listFunctions } from "./lists.js";
import { mathFunctions } from "./math.js";
import { pathFunctions } from "./paths.js";
import { regexFunctions } from "./regex.js";
import { semverFunctions } from "./semver.js";
import { stringFunctions } from "./strings.js";
import { urlFunctions } from "./urls.js";

/** Wraps each function with Go's argument-count check ("wrong number of args for add1: want 1 got 2"). */
function withArity(funcs: Record<string, TemplateFunction>): FuncMap {
  const out: Record<string, TemplateFunction> = Object.create(null) as Record<string, TemplateFunction>;
  for (const [name, fn] of Object.entries(funcs)) {
    const spec = SPRIG_ARITY[name] ?? KANISTER_ARITY[name];
    if (spec === undefined) {
      out[name] = fn;
      continue;
    }
    const min = Number.parseInt(spec, 10);
    const variadic = spec.endsWith("+");
    out[name] = variadic
      ? (...args) => {
          if (args.length < min) {
            throw new GoFuncError(
              `wrong number of args for ${name}: want at least ${min} got ${args.length}`,
            );
          }
          return fn(...args);
        }
      : (...args) => {
          if (args.length !== min)
            throw new GoFuncError(`wrong number of args for ${name}: want ${min} got ${args.length}`);
          return fn(...args);
        };
  }
  return Object.freeze(out);
}

const sprigV3Base: Record<string, TemplateFunction> = {
  ...stringFunctions,
  ...conversionFunctions,
  ...mathFunctions,
  ...listFunctions,
  ...dictFunctions,
  ...defaultFunctions,
  ...dateFunctions,
  ...encodingFunctions,
  ...cryptoFunctions,
  ...pathFunctions,
  ...regexFunctions,
  ...semverFunctions,
  ...urlFunctions,
};

/**
 * sprig v3's text function map. `env`/`expandenv` are left out (the engine adds them only when the host opts in), as are
 * `getHostByName` (network), the key/certificate generators, `bcrypt`/`htpasswd` and
 * `derivePassword` (an scrypt derivation too costly for bounded rendering).
 *
 * @example
 * ```ts
 * sprigFunctions.upper?.("abc"); // "ABC"
 * ```
 */
export const sprigFunctions: FuncMap = withArity(sprigV3Base);

/**
 * Kanister's function map: sprig v2.22.0 (Masterminds/semver v1.5.0, huandu/xstrings v1.2.0, its own
 * number conversions) wrapped by Kanister's pkg/ksprig (FIPS: `derivePassword` and some
 * `genPrivateKey` types refused). The 61 functions sprig v3 added are not defined. As in
 * {@link sprigFunctions}, `env`/`expandenv` come from the engine when the host allows them; the key
 * and certificate generators and `getHostByName` exist but fail when called.
 *
 * @example
 * ```ts
 * kanisterFunctions.int?.("010"); // 10 (sprig v3: 8)
 * "toRawJson" in kanisterFunctions; // false
 * ```
 */
export const kanisterFunctions: FuncMap = withArity(
  Object.fromEntries(
    Object.entries({ ...sprigV3Base, ...kanisterOverrides }).filter(([name]) => !SPRIG_V3_ONLY.has(name)),
  ),
);

export { GoTime } from "./go-time.js";
export { SPRIG_V3_ONLY } from "./kanister.js";
export { SemverVersion } from "./semver.js";
