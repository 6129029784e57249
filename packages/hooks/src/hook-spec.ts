/** The hooks a host hands to the lifecycle runner, and the contract every kind of hook is prepared into. */
import type { Logger, SerializedError } from "@quiesce/core";
import type { Action, ExecutorSpec } from "@quiesce/executors";
import type { HookInvoker } from "./hook-invoker.js";
import type { HookReferenceInput } from "./hook-reference.js";
import type { HookTemplate, ParamDefinition } from "./hook-template.js";
import type { Artifact } from "./journal.js";
import type { HookKind, HookPhase, TargetRecord } from "./result.js";
import type { HookTemplateSource } from "./template-source.js";
import type { Variable } from "./variables.js";
import type { VeleroExecHook, VeleroHookSpec } from "./velero/velero-hook-spec.js";

/** What the operation is about: a workload, an object, or a namespace. */
export interface HookSubject {
  kind: string;
  name: string;
  namespace?: string;
  apiVersion?: string;
  /** The API group (`apps`), when `apiVersion` is not given; KubeStash's `.Target.APIGroup`. */
  apiGroup?: string;
}

export type { HookInvoker } from "./hook-invoker.js";

/** Settings every hook spec may carry. */
export interface HookRetrySettings {
  /** Retries after the first attempt (onFailure hooks never retry: a value above 0 is an error). */
  maxRetry?: number;
  /** Per-attempt time limit, a Go duration (`30s`); a unit-less number is an error. */
  timeout?: string;
  /** Post hooks only: `Always` (default), `OnSuccess`, `OnFailure`. */
  executionPolicy?: "Always" | "OnSuccess" | "OnFailure";
  /**
   * When true, a failure of this hook is recorded (status `failed`) but neither skips later hooks
   * nor the step, nor fails the session (Velero's `onError: Continue`). Default false.
   */
  continueOnError?: boolean;
}

/**
 * A KubeStash hook reference. Its template comes from `template` (an object or a source), else
 * from the runner's `templates` source.
 */
export type KubeStashHookSpec = HookReferenceInput & {
  template?: HookTemplate | HookTemplateSource;
  /** Skip HTTPS certificate verification for this hook (see RunWithHooksOptions.insecureSkipTLSVerify). */
  insecureSkipTLSVerify?: boolean;
};

/** A KubeStash action and executor given inline, without a HookTemplate. */
export interface InlineHookSpec extends HookRetrySettings {
  name: string;
  action: Action;
  executor: ExecutorSpec;
  params?: Record<string, unknown>;
  paramDefinitions?: ParamDefinition[];
  /**
   * KubeStash `variables` (core/v1 EnvVars): `value`, or `valueFrom` a Secret/ConfigMap key of the
   * hook's namespace (read before anything runs) or a field (left to a Function executor's Job).
   */
  variables?: Variable[];
  /** Skip HTTPS certificate verification for this hook (see RunWithHooksOptions.insecureSkipTLSVerify). */
  insecureSkipTLSVerify?: boolean;
}

/** A Kanister Blueprint action used as a hook (how K10 references hooks). */
export interface BlueprintHookSpec extends HookRetrySettings {
  /** Defaults to the action name. */
  name?: string;
  /** A loaded Blueprint, or its YAML text / object. */
  blueprint: unknown;
  actionName: string;
  /** Template `.Options`. */
  options?: Record<string, string>;
}

/** A hook implemented by the host in code. */
export interface FunctionHookSpec extends HookRetrySettings {
  name: string;
  // biome-ignore lint/suspicious/noConfusingVoidType: an async function that returns nothing is a valid hook/step
  run(ctx: HookRunContext): Promise<HookRunOutput | undefined | void>;
}

/** Any hook the runner accepts. */
export type HookSpec =
  | KubeStashHookSpec
  | InlineHookSpec
  | BlueprintHookSpec
  | FunctionHookSpec
  | VeleroHookSpec;

/** The session status a post hook sees (`.Status` in KubeStash templates). */
export interface SessionStatusView {
  phase: "Succeeded" | "Failed";
  durationMs: number;
  error: string;
}

/** What a hook implementation gets for one attempt. */
export interface HookRunContext {
  /** Aborts on session cancellation (non-cleanup hooks) or when the attempt times out. */
  signal: AbortSignal;
  /** 1-based attempt number. */
  attempt: number;
  operationId: string;
  /** The session name, `.Name` in templates. */
  sessionName: string;
  phase: HookPhase;
  namespace: string;
  subject: HookSubject;
  /** Output artifacts of this namespace's preHook (for onSuccess/onFailure, and later phases). */
  artifactsIn: Record<string, Artifact>;
  /** Post-step phases: how the operation went so far. */
  status: SessionStatusView | undefined;
  /** The KubeStash invoker the host named (`invoker` option), for `.Invoker`. */
  invoker: HookInvoker | undefined;
  logger: Logger;
}

/** What an attempt produced. Throwing, or `status: "failed"`, fails the attempt. */
export interface HookRunOutput {
  status?: "succeeded" | "failed";
  error?: unknown;
  targets?: TargetRecord[];
  outputs?: Record<string, unknown>;
  artifacts?: Record<string, Artifact>;
  /** The failure is deterministic (bad template, invalid combination): do not retry. */
  noRetry?: boolean;
  /** What went wrong without failing the hook (a Blueprint action's `warnings`): kept in its record. */
  warnings?: SerializedError[];
}

/** A hook resolved and validated for one phase and namespace, ready to run. */
export interface PreparedHook {
  name: string;
  kind: HookKind;
  phase: HookPhase;
  namespace: string;
  maxRetry: number;
  /**
   * Per-attempt limit in milliseconds; undefined: none. Only the spec's `timeout` or the host's
   * `defaultHookTimeout` set one — Kanister gives a phase no deadline and KubeStash's HookInfo.timeout
   * has no default; Velero hooks carry Velero's own (30s unless set).
   */
  timeoutMs: number | undefined;
  executionPolicy: "Always" | "OnSuccess" | "OnFailure" | undefined;
  continueOnError: boolean;
  /**
   * How long a stopped attempt may still take to settle (default: the session's short grace). A
   * Blueprint action needs its deferPhase's cleanup budget: it runs after the abort, and the
   * attempt must wait for it so the thaw is neither abandoned nor missing from the record.
   */
  settleGraceMs?: number;
  /** Velero hooks: where and how the hook runs, for the Velero policies. */
  velero?: VeleroExecHook;
  /**
   * The spec as JSON that prepares this same hook again — its HookTemplate or Blueprint resolved
   * and embedded; a host function by its name only — what a session record keeps of a cleanup hook.
   */
  stored?: unknown;
  /** Releases what preparing the hook holds (redaction of the Secret values its variables read); the session calls it when it ends. */
  release?(): void;
  // biome-ignore lint/suspicious/noConfusingVoidType: an async function that returns nothing is a valid hook/step
  run(ctx: HookRunContext): Promise<HookRunOutput | undefined | void>;
}

/** Which kind of spec this is (by its distinguishing field). */
export function specKind(spec: HookSpec): "kubestash" | "inline" | "blueprint" | "function" | "velero" {
  if ("velero" in spec) return "velero";
  if ("hookTemplate" in spec) return "kubestash";
  if ("blueprint" in spec) return "blueprint";
  if ("action" in spec) return "inline";
  return "function";
}
