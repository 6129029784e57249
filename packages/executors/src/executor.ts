/** The Executor port: a strategy deciding where an action runs (pods, the host, a Job) and running it there. */
import type { Logger } from "@quiesce/core";
import type { Cluster, V1Pod } from "@quiesce/kube";
import type { Action, ActionKind } from "./action-schema.js";
import type { EnvVar, ExecutorSpec } from "./executor-schema.js";
import type { ContainerRuntimeSettings } from "./executors/runtime-settings.js";
import type { TargetKind, TargetOutcome } from "./result.js";

/** TLS settings of httpGet/httpPost with scheme HTTPS. */
export interface TlsOptions {
  /** Verify the server certificate (default true). `false` is KubeStash's insecureSkipTLSVerify. */
  rejectUnauthorized?: boolean;
  /** Extra trusted CA certificate(s), PEM. */
  ca?: string | readonly string[];
}

/** A KubeStash Function (`addons.kubestash.com/v1alpha1`, `spec`): the container a Function executor runs. */
export interface FunctionDefinition {
  image: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  volumeMounts?: Record<string, unknown>[];
  /**
   * Container-level runtime settings (a KubeStash Function's `spec.runtimeSettings` is an
   * offshoot-api ContainerRuntimeSettings: resources, probes, lifecycle, securityContext, nice,
   * ionice, env, envFrom).
   */
  runtimeSettings?: ContainerRuntimeSettings;
}

/** Settings of a run after defaults were applied; what executors see. */
export interface ResolvedRunSettings {
  /** The whole run's limit; `Infinity` when there is none (the default). */
  timeoutMs: number;
  /** One http request (redirects included) or tcp connection: the prober's limit (5 min). */
  probeTimeoutMs: number;
  concurrency: number;
  allowLocalExec: boolean;
  tls: { rejectUnauthorized: boolean; ca?: string | readonly string[] };
  outputLimitBytes: number;
  logger: Logger;
  /** Function definitions the host supplies by name (looked up before the cluster's Function CRs). */
  functions: Readonly<Record<string, FunctionDefinition>>;
}

/** What an executor knows about the run it takes part in. */
export interface ExecutorContext {
  /** The validated action, with templated fields already rendered. */
  readonly action: Action;
  readonly actionKind: ActionKind;
  readonly executor: ExecutorSpec;
  /** The namespace the hook runs for (where pods are selected and Jobs created). */
  readonly namespace: string;
  /** The cluster; undefined only for executors that need none (Operator with http/tcp). */
  readonly cluster: Cluster | undefined;
  /** HookTemplate params, after defaults. */
  readonly params: Readonly<Record<string, string>>;
  /** Hook reference variables (KubeStash `variables`), name → value. */
  readonly variables: Readonly<Record<string, string>>;
  /** The variables as EnvVars (with `valueFrom`) for a Function's Job, when the caller gave them. */
  readonly variableEnv?: readonly EnvVar[];
  readonly settings: ResolvedRunSettings;
  /** Aborts when the caller aborts (reason: the caller's) or the run's time limit passes (a TIMEOUT error). */
  readonly signal: AbortSignal;
  /** Epoch milliseconds at which the run's time limit passes (`Infinity`: no limit). */
  readonly deadline: number;
}

/** One place an action runs. */
export interface ExecutionTarget {
  kind: TargetKind;
  name: string;
  namespace?: string;
  /** The container named by `action.containerName`, when given. */
  container?: string;
  /** The selected pod (Pod executor): its IP and container ports resolve host and named ports. */
  pod?: V1Pod;
}

/**
 * An executor strategy. Built-ins: `Pod`, `Operator`, `Function`; a host adds its own with
 * {@link registerExecutor}. Every executor passes the shared conformance suite
 * (`describeExecutorConformance`).
 *
 * @example
 * ```ts
 * const echo: Executor = {
 *   type: "Echo",
 *   async targets() { return [{ kind: "Host", name: "echo" }]; },
 *   async run(_target, ctx) { return { status: "succeeded", stdout: JSON.stringify(ctx.action) }; },
 * };
 * ```
 */
export interface Executor {
  /** The `executor.type` this strategy serves. */
  readonly type: string;
  /**
   * Rejects impossible combinations before anything runs (throw a QuiesceError such as
   * `QUIESCE_VALIDATION` or `QUIESCE_POLICY_REFUSED`). Called with the validated, unrendered action.
   */
  check?(ctx: Omit<ExecutorContext, "signal" | "deadline">): void;
  /** Where the action runs. Throwing (or an empty list) fails the run with that reason. */
  targets(ctx: ExecutorContext): Promise<ExecutionTarget[]>;
  /**
   * Runs the action on one target. A failed action is returned (`status: "failed"` with `error`),
   * not thrown; a throw is recorded as a failed (or, on abort, cancelled) target.
   */
  run(target: ExecutionTarget, ctx: ExecutorContext): Promise<TargetOutcome>;
}
