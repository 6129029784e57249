/** sprig v3's TxtFuncMap for the Go engine: every function except network and host-environment access. */

import type { FuncMap } from "../functions.js";
import { conversionFunctions } from "./conversions.js";
import { dateFunctions } from "./dates.js";
import { defaultFunctions } from "./defaults.js";
import { dictFunctions } from "./dicts.js";
import { encodingFunctions } from "./encodings.js";
import { listFunctions } from "./lists.js";
import { mathFunctions } from "./math.js";
import { pathFunctions } from "./paths.js";
import { regexFunctions } from "./regex.js";
import { semverFunctions } from "./semver.js";
import { stringFunctions } from "./strings.js";
import { urlFunctions } from "./urls.js";

/**
 * sprig v3's text function map. `env`/`expandenv` are left out (the engine adds them only when the host opts in), as are
 * `getHostByName` (network) and the key/certificate generators.
 *
 * @example
 * ```ts
 * sprigFunctions.upper?.("abc"); // "ABC"
 * ```
 */
export const sprigFunctions: FuncMap = Object.freeze({
  ...stringFunctions,
  ...conversionFunctions,
  ...mathFunctions,
  ...listFunctions,
  ...dictFunctions,
  ...defaultFunctions,
  ...dateFunctions,
  ...encodingFunctions,
  ...pathFunctions,
  ...regexFunctions,
  ...semverFunctions,
  ...urlFunctions,
});

export { GoTime } from "./go-time.js";
export { SemverVersion } from "./semver.js";
