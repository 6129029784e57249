/** The Function port's types: what a Kanister function is and what it receives. */
import type { Logger } from "@quiesce/core";
import type { Cluster } from "@quiesce/kube";
import type { TemplateLimits } from "@quiesce/template";
import type { z } from "zod";
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
  /**
   * Time left for the function's own calls in ms, read as each call starts: it runs out slightly
   * before the phase's limit, whose end `signal` marks, so a call's own timeout error (an exec's
   * "may still be running") comes first; `Infinity` when the phase has none (the default, as in
   * Kanister).
   */
  readonly timeoutMs: number;
  /** How long a pod the function creates may take to start (Kanister's pod-ready wait); default 15 minutes. */
  readonly podReadyTimeoutMs?: number;
  readonly logger: Logger;
  /** Reports progress (`phase:progress` events). */
  progress(update: ProgressUpdate): void;
  /** The registry the action runs with (functions may call other functions). */
  readonly registry: FunctionLookup;
  /**
   * Limits of the templates the function renders itself (Wait conditions), from the runner's
   * `templateLimits`; undefined: the defaults.
   */
  readonly templateLimits?: TemplateLimits | undefined;
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

/** Read access to a function registry (what {@link FunctionContext.registry} offers). */
export interface FunctionLookup {
  // biome-ignore lint/suspicious/noExplicitAny: a registry holds functions of every argument type
  get(name: string, preferredVersion?: string): KanisterFunction<any>;
  // biome-ignore lint/suspicious/noExplicitAny: a registry holds functions of every argument type
  find(name: string, preferredVersion?: string): KanisterFunction<any> | undefined;
  has(name: string): boolean;
  names(): string[];
}
