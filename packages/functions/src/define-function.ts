/** The Function port: what a Kanister function is, and `defineFunction` to declare one. */
import type { z } from "zod";
import type { ArgsSchema, FunctionContext, FunctionOutput, KanisterFunction } from "./function-types.js";
import { DEFAULT_FUNCTION_VERSION } from "./function-types.js";
import { parseFunctionVersion } from "./function-version.js";

export {
  type ArgsSchema,
  DEFAULT_FUNCTION_VERSION,
  type FunctionContext,
  type FunctionLookup,
  type FunctionOutput,
  type KanisterFunction,
  type ProgressUpdate,
} from "./function-types.js";

/** What {@link defineFunction} takes. */
export interface FunctionDefinition<S extends ArgsSchema> {
  name: string;
  version?: string;
  args: S;
  outputs?: readonly string[];
  rawArgs?: boolean;
  timeoutFromArgs?: (args: z.output<S>) => number | undefined;
  // biome-ignore lint/suspicious/noConfusingVoidType: a function may simply return nothing
  exec(ctx: FunctionContext, args: z.output<S>): Promise<FunctionOutput | undefined | void>;
}

/**
 * Declares a Kanister function. The arguments schema is made strict, so an argument the function
 * does not know is rejected (Kanister's `CheckSupportedArgs`); use the loose helpers
 * (`looseInt`, `looseBool`, `looseString`, `stringList`) to accept Kanister's weak decoding.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { defineFunction, looseString, register } from "@quiesce/functions";
 * export const flushRedis = defineFunction({
 *   name: "FlushRedis",
 *   args: z.object({ namespace: looseString(), pod: looseString() }),
 *   async exec(ctx, args) {
 *     await ctx.cluster.exec({ namespace: args.namespace, pod: args.pod }, ["redis-cli", "SAVE"], { signal: ctx.signal });
 *     return { flushed: "true" };
 *   },
 * });
 * register(flushRedis);
 * ```
 */
export function defineFunction<S extends ArgsSchema>(definition: FunctionDefinition<S>): KanisterFunction<S> {
  if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(definition.name)) {
    throw new TypeError(`invalid function name "${definition.name}"`);
  }
  // Kanister registers a version with semver.MustParse (pkg/kanister.go RegisterVersion).
  const version = definition.version ?? DEFAULT_FUNCTION_VERSION;
  const parsed = parseFunctionVersion(version);
  if (typeof parsed === "string") {
    throw new TypeError(`invalid version "${version}" of function ${definition.name}: ${parsed}`);
  }
  const args = definition.args.strict() as unknown as S;
  return Object.freeze({
    name: definition.name,
    version,
    args,
    outputs: Object.freeze([...(definition.outputs ?? [])]),
    rawArgs: definition.rawArgs ?? false,
    timeoutFromArgs: definition.timeoutFromArgs,
    exec: definition.exec,
  });
}
