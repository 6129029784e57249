/**
 * `@quiesce/functions/builtins`: importing this entry registers Kanister's built-in functions on the
 * global registry (a host that wants none of them simply does not import it).
 *
 * @example
 * ```ts
 * import "@quiesce/functions/builtins";
 * ```
 * @packageDocumentation
 */

import { registerBuiltins } from "./builtins/index.js";
import { globalRegistry } from "./registry.js";

export * from "./builtins/index.js";

registerBuiltins(globalRegistry());
