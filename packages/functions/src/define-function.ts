/** The Function port: what a Kanister function is, and `defineFunction` to declare one. */
import type { Logger } from "@quiesce/core";
import type { Cluster } from "@quiesce/kube";
import type { z } from "zod";
import type { FunctionRegistry } from "./registry.js";
import type { TemplateParams } from "./template-params.js";

/** Kanister's default function version: a function registered without a version has this one. */
export const DEFAULT_FUNCTION_VERSION = "v0.0.0";

/** A progress update from a running function: a percentage (0–100) or a message. */
export type ProgressUpdate = number | string;

/** What a function receives besides its arguments. */
export interface FunctionContext {
  /** The only way to reach Kubernetes. */
  readonly cluster: Cluster;
  /** Kanister's TemplateParams for this action (`.Phases` holds the earlier phases' outputs). */
  readonly params: TemplateParams;
  /** The phase being run. */
  readonly phase: string;
  /** The Blueprint action being run. */
  readonly action: string;
  /** Aborts on cancellation or when the phase's time limit passes; pass it to every Cluster call. */
  readonly signal: AbortSignal;
  /** Time limit of the phase in ms (the signal fires when it passes). */
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Reports progress (`phase:progress` events). */
  progress(update: ProgressUpdate): void;
  /** The registry the action runs with (functions may call other functions). */
  readonly registry: FunctionRegistry;
}

/** The arguments schema of a function: a zod object (unknown keys are rejected, as Kanister does). */
export type ArgsSchema = z.ZodObject<z.ZodRawShape>;

/** Outputs a function returns: they land under `.Phases.<phase>.Output`. */
export type FunctionOutput = Record<string, unknown>;

/** A Kanister function, as registered. */
export interface KanisterFunction<S extends ArgsSchema = ArgsSchema> {
  readonly name: string;
  /** A semver-like version ("v1.0.0"); default {@link DEFAULT_FUNCTION_VERSION}. */
  readonly version: string;
  /** Arguments schema (strict: unknown arguments are errors). */
  readonly args: S;
  /** Names of the outputs the function documents (informational). */
  readonly outputs: readonly string[];
  /**
   * When true the runner passes the arguments unrendered and the function renders what it needs
   * itself (Kanister's Wait and WaitV2, whose conditions are evaluated against another object).
   */
  readonly rawArgs: boolean;
  /** Time limit of a phase running this function, from its (validated) arguments; else the runner's default. */
  readonly timeoutFromArgs?: ((args: z.output<S>) => number | undefined) | undefined;
  // biome-ignore lint/suspicious/noConfusingVoidType: a function may simply return nothing
  exec(ctx: FunctionContext, args: z.output<S>): Promise<FunctionOutput | undefined | void>;
}

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
  const args = definition.args.strict() as unknown as S;
  return Object.freeze({
    name: definition.name,
    version: definition.version ?? DEFAULT_FUNCTION_VERSION,
    args,
    outputs: Object.freeze([...(definition.outputs ?? [])]),
    rawArgs: definition.rawArgs ?? false,
    timeoutFromArgs: definition.timeoutFromArgs,
    exec: definition.exec,
  });
}
