/** Options of the lifecycle runner and the context the host's step receives. */

import type { BackoffOptions, Logger } from "@quiesce/core";
import type { Action, ExecutorRegistry, FunctionDefinition, TlsOptions } from "@quiesce/executors";
import type { FunctionRegistry, ProfileInput } from "@quiesce/functions";
import type { Cluster, SessionRecordSettings } from "@quiesce/kube";
import type { TemplateLimits } from "@quiesce/template";
import type { LifecycleEmitter } from "./events.js";
import type { HookInvoker, HookSpec, HookSubject } from "./hook-spec.js";
import type { Artifact, HookJournal } from "./journal.js";
import type { KubeStashSessionRef } from "./kubestash-status.js";
import type { ActionTransformInfo } from "./prepare-settings.js";
import type { StepTarget } from "./session/unit.js";
import type { HookTemplateSource } from "./template-source.js";

/**
 * The hooks around a step: KubeStash `pre`/`post` lists and K10 `preHook`/`onSuccess`/`onFailure`;
 * or Velero hooks (from `resolveVeleroBackupHooks` / `resolveVeleroRestoreHooks`) in `pre`/`post`
 * alone, which then run under Velero's rules.
 */
export interface LifecycleHooks {
  /** KubeStash preBackup/preRestore: in order; the first failure skips the rest and the step. Or Velero pre hooks. */
  pre?: readonly HookSpec[];
  /** KubeStash postBackup/postRestore: each per its executionPolicy; a failure fails the session. Or Velero post hooks. */
  post?: readonly HookSpec[];
  /** K10 preHook: before the step (after the KubeStash pre hooks). */
  preHook?: HookSpec | readonly HookSpec[];
  /** K10 onSuccess: after the step succeeded. */
  onSuccess?: HookSpec | readonly HookSpec[];
  /** K10 onFailure: after a failure, once the host has no retry left (`finalAttempt`); never retried. */
  onFailure?: HookSpec | readonly HookSpec[];
}

/** Options of {@link runWithHooks}. */
export interface RunWithHooksOptions {
  /** The cluster hooks run against (required by Pod/Function executors, Blueprints, CR templates, Selector policies). */
  cluster?: Cluster | undefined;
  /** What the operation is about; hooks run once, in its namespace. */
  subject?: HookSubject | undefined;
  /** A multi-namespace operation: hooks run once per namespace (subject `Namespace/<ns>`). */
  namespaces?: readonly string[] | undefined;
  hooks: LifecycleHooks;
  /** Identifies the operation across host retries (keys the journal). Default: a random UUID. */
  operationId?: string | undefined;
  /**
   * The session name templates see as `.Name` (KubeStash: the BackupSession's name). Default: the
   * `kubestashSession`'s name, else the operation id.
   */
  sessionName?: string | undefined;
  /**
   * The KubeStash object that invokes the hooks — a BackupConfiguration or RestoreSession
   * (`loadHookReferences(…).invoker`) — which templates see as `.Invoker`. Default: none (nil).
   */
  invoker?: HookInvoker | undefined;
  /**
   * Also record the hooks' results in this KubeStash BackupSession or RestoreSession, as KubeStash
   * does: `status.hooks.preHooks/postHooks` (name, phase) and the Pre/Post…HooksExecutionSucceeded
   * conditions (through the status subresource; a failed write is logged, not a hook failure).
   */
  kubestashSession?: KubeStashSessionRef | undefined;
  /** Remembers succeeded K10 hooks so a retried operation does not run them again. */
  journal?: HookJournal | undefined;
  /**
   * False when the host will retry this operation after a failure: onFailure then waits for the
   * last attempt (K10 runs it only once retries are exhausted). Default true.
   */
  finalAttempt?: boolean | undefined;
  /**
   * Velero backup hooks only: `"target"` calls the step once per pod, between that pod's pre and
   * post hooks (Velero's item-block order: pre hooks of a pod → its items → its post hooks);
   * default `"session"`: every pod's pre hooks, the step once, then every post hook.
   */
  stepPer?: "session" | "target" | undefined;
  /** Namespaces processed at once. Default 4. */
  concurrency?: number | undefined;
  signal?: AbortSignal | undefined;
  logger?: Logger | undefined;
  events?: LifecycleEmitter | undefined;
  /** Where KubeStash references find HookTemplates. Default: CRs on `cluster`. */
  templates?: HookTemplateSource | undefined;
  /**
   * Per-attempt timeout of KubeStash, Blueprint and function hooks whose spec sets none (a Go
   * duration). Default: none — a hook without `timeout` is not cut off (Kanister gives a phase no
   * deadline; KubeStash's HookInfo.timeout has no default). Velero hooks keep Velero's own limits.
   */
  defaultHookTimeout?: string | undefined;
  /** Time cleanup hooks get once the session is cancelled (Go duration). Default "2m". */
  cleanupTimeout?: string | undefined;
  /** Retries of preHook/onSuccess hooks whose spec gives no maxRetry. Default 2. */
  k10MaxRetry?: number | undefined;
  /** Delay between attempts (core's backoffDelay). Default base 200 ms, max 10 s. */
  backoff?: BackoffOptions | undefined;
  /** Bytes of stdout/stderr kept per target in the result. Default 4096. */
  outputTailBytes?: number | undefined;
  /** Registry of executor types (default: the global one). */
  executorRegistry?: ExecutorRegistry | undefined;
  /** Registry of Kanister functions for Blueprint hooks (default: the global one). */
  functionRegistry?: FunctionRegistry | undefined;
  /**
   * `.Profile` of Blueprint (K10) hooks: a Kanister Profile resource by `{ namespace, name }` —
   * read with its credential Secret once, while the hooks are resolved, so a bad Profile fails the
   * session (QUIESCE_PROFILE_INVALID, naming the field) before any hook runs — or a Profile already
   * built (`loadProfile`). Its credentials are redacted from results, errors and events.
   */
  profile?: ProfileInput | undefined;
  /** Targets in flight per hook (ExecuteOnAll). */
  actionConcurrency?: number | undefined;
  /** Let Operator-executor hooks run exec actions as local processes. Default false. */
  allowLocalExec?: boolean | undefined;
  /** TLS of httpGet/httpPost hooks with scheme HTTPS: an extra trusted `ca`; verification is on by default. */
  tls?: TlsOptions | undefined;
  /**
   * Skip HTTPS certificate verification for every httpGet/httpPost hook of the run — what
   * KubeStash's prober always does (`InsecureSkipVerify: true`). Default false: certificates are
   * verified, so a hook that works in KubeStash against a self-signed endpoint fails here until
   * you set this (here or on the hook) or pass the endpoint's CA as `tls.ca`.
   */
  insecureSkipTLSVerify?: boolean | undefined;
  /** KubeStash Function definitions by name, for Function-executor hooks. */
  functions?: Readonly<Record<string, FunctionDefinition>> | undefined;
  /** Rewrites a KubeStash action before it runs (staging receivers, proxies, tests). */
  transformAction?: ((action: Action, info: ActionTransformInfo) => Action) | undefined;
  /**
   * Crash safety. Before the first hook of a namespace (or Velero pod) that runs before the step —
   * a freeze, when cleanup hooks follow it — the session records its cleanup hooks in the cluster:
   * one ConfigMap per session (their specs with HookTemplates and Blueprints embedded, params,
   * targets, preHook artifacts; Secret values never) guarded by a `coordination.k8s.io/v1` Lease
   * this process renews. If this process dies, `recoverSessions` runs the owed cleanup elsewhere.
   * Cleanup hooks are claimed before and discharged after they run; the record is deleted at the
   * end, or kept (Lease released) when a cleanup hook did not succeed. A record that cannot be
   * written fails the hook before it runs (`QUIESCE_SESSION_RECORD_FAILED`). Settings (default: on
   * whenever there is a cluster, in the subject's namespace, 30 s Lease), or `false` for no record.
   */
  sessionRecord?: SessionRecordSettings | false | undefined;
  /**
   * Limits of every template the hooks render — KubeStash exec commands and httpPost bodies,
   * Blueprint arguments, objects, conditions and artifacts: steps, work, value and output sizes,
   * time. Default: `DEFAULT_LIMITS` of `@quiesce/template`. A template that reaches one fails its
   * hook with `QUIESCE_TEMPLATE_LIMIT`.
   */
  templateLimits?: TemplateLimits | undefined;
}

/** What the host's step receives. */
export interface StepContext {
  /** Aborts when the session is cancelled. */
  signal: AbortSignal;
  operationId: string;
  namespaces: readonly string[];
  subject: HookSubject | undefined;
  /** Output artifacts of each namespace's preHook, by namespace then artifact name. */
  artifacts: Readonly<Record<string, Record<string, Artifact>>>;
  logger: Logger;
  /** Velero backups with `stepPer: "target"`: the pod this call is for. */
  target?: StepTarget;
  /**
   * Velero backups with `stepPer: "session"`: every pod that has hooks, in order; `excluded` ones
   * had a pre hook fail with `onError: Fail` — Velero backs up the rest of their item block but
   * not the pod itself, and runs none of their post hooks.
   */
  targets?: readonly StepTarget[];
}

/** The host's backup or restore step; its resolved object becomes `result.step.outputs`. */
// biome-ignore lint/suspicious/noConfusingVoidType: an async function that returns nothing is a valid hook/step
export type Step = (ctx: StepContext) => Promise<Record<string, unknown> | undefined | void>;
