/** The settings every hook kind shares, and what preparing a hook needs from the runner's options. */
import { ErrorCodes, parseDuration, QuiesceError } from "@quiesce/core";
import type { Action, ExecutorRegistry, FunctionDefinition, TlsOptions } from "@quiesce/executors";
import type { FunctionRegistry, ProfileInput } from "@quiesce/functions";
import type { Cluster, SessionRecordSettings } from "@quiesce/kube";
import type { TemplateLimits } from "@quiesce/template";
import type { HookInvoker } from "./hook-invoker.js";
import type { PreparedHook } from "./hook-spec.js";
import type { HookTemplate } from "./hook-template.js";
import type { HookPhase } from "./result.js";
import type { HookTemplateSource } from "./template-source.js";

/** What the runner tells an action transform about the hook. */
export interface ActionTransformInfo {
  hook: string;
  phase: HookPhase;
  namespace: string;
  /** The HookTemplate, when the hook has one. */
  template: HookTemplate | undefined;
}

/** Runner options that shape KubeStash hooks. */
export interface KubeStashEnv {
  cluster: Cluster | undefined;
  /** Where references find their templates (default: CRs on the cluster). */
  templates: HookTemplateSource | undefined;
  executorRegistry: ExecutorRegistry | undefined;
  /** Targets in flight per hook (ExecuteOnAll). */
  actionConcurrency: number | undefined;
  allowLocalExec: boolean | undefined;
  tls: TlsOptions | undefined;
  /** The run's insecureSkipTLSVerify. */
  insecureSkipTLSVerify: boolean | undefined;
  functions: Readonly<Record<string, FunctionDefinition>> | undefined;
  outputLimitBytes: number | undefined;
  /**
   * Rewrites an action after validation and before it runs (e.g. send a webhook to a staging
   * receiver or through a proxy). The result is validated again by the executor.
   */
  transformAction: ((action: Action, info: ActionTransformInfo) => Action) | undefined;
  /** The run's invoker: a template's usage policy is checked from its namespace. */
  invoker: HookInvoker | undefined;
}

/** Runner options that shape Blueprint hooks. */
export interface BlueprintEnv {
  functionRegistry: FunctionRegistry | undefined;
  /** How Blueprint actions with a deferPhase record it (the session's own settings). */
  sessionRecord: SessionRecordSettings | false | undefined;
  /**
   * `.Profile` of Blueprint hooks: checked once for the whole session (see
   * `RunWithHooksOptions.profile`), then the reference or value each action gets.
   */
  profile: (() => Promise<ProfileInput>) | undefined;
}

/** Runner options that shape every templated hook. */
export interface TemplateEnv {
  /** Limits of every template a hook renders (KubeStash actions, Blueprint arguments). */
  templateLimits: TemplateLimits | undefined;
}

/** What preparing a hook needs from the runner's options. */
export interface PrepareEnv extends KubeStashEnv, BlueprintEnv, TemplateEnv {
  cluster: Cluster | undefined;
  signal: AbortSignal | undefined;
  /** Per-attempt timeout when a spec gives none: only what the host set (no default wall clock). */
  defaultTimeoutMs: number | undefined;
  /** Retries of preHook/onSuccess hooks whose spec gives no maxRetry. */
  k10MaxRetry: number;
}

/** The settings shared by every spec kind, validated for the phase. */
export interface CommonSettings {
  name: string;
  maxRetry: number;
  /** Per-attempt limit; undefined: none (neither the spec nor the host set one). */
  timeoutMs: number | undefined;
  executionPolicy: PreparedHook["executionPolicy"];
  continueOnError: boolean;
}

function invalid(path: string, message: string): QuiesceError {
  return new QuiesceError(ErrorCodes.VALIDATION, `${path}: ${message}`, { details: { path } });
}

/** Validates maxRetry / timeout / executionPolicy against the phase's rules. */
export function commonSettings(
  raw: { maxRetry?: unknown; timeout?: unknown; executionPolicy?: unknown; continueOnError?: unknown },
  name: string,
  phase: HookPhase,
  path: string,
  env: Pick<PrepareEnv, "defaultTimeoutMs" | "k10MaxRetry">,
): CommonSettings {
  if (raw.maxRetry !== undefined && (!Number.isInteger(raw.maxRetry) || (raw.maxRetry as number) < 0)) {
    throw invalid(`${path}.maxRetry`, `expected a non-negative integer, got ${JSON.stringify(raw.maxRetry)}`);
  }
  if (
    phase === "onFailure" &&
    (raw.maxRetry as number | undefined) !== undefined &&
    (raw.maxRetry as number) > 0
  ) {
    throw invalid(`${path}.maxRetry`, "onFailure hooks are never retried (maxRetry must be 0 or absent)");
  }
  let timeoutMs = env.defaultTimeoutMs;
  if (raw.timeout !== undefined) {
    try {
      timeoutMs = parseDuration(String(raw.timeout));
    } catch (cause) {
      throw new QuiesceError(ErrorCodes.INVALID_DURATION, `${path}.timeout: ${(cause as Error).message}`, {
        cause,
      });
    }
    if (timeoutMs <= 0) throw invalid(`${path}.timeout`, "must be positive");
  }
  // kubestash/apimachinery crds/core.kubestash.com_backupconfigurations.yaml (and restoresessions,
  // backupblueprints): HookInfo.executionPolicy has `default: Always`, so the API server writes it
  // on every preBackup/preRestore reference too — a document read back from a cluster carries it.
  const apiServerDefault = phase === "pre" && raw.executionPolicy === "Always";
  if (raw.executionPolicy !== undefined && phase !== "post" && !apiServerDefault) {
    throw invalid(
      `${path}.executionPolicy`,
      phase === "pre"
        ? `a pre hook runs before the step, whose outcome ${JSON.stringify(raw.executionPolicy)} would depend on; only Always (the API server's default) is taken here`
        : `only post hooks take an executionPolicy (this is a ${phase} hook)`,
    );
  }
  const policy = raw.executionPolicy as PreparedHook["executionPolicy"];
  if (policy !== undefined && !["Always", "OnSuccess", "OnFailure"].includes(policy)) {
    throw invalid(
      `${path}.executionPolicy`,
      `expected Always, OnSuccess or OnFailure, got ${JSON.stringify(policy)}`,
    );
  }
  if (raw.continueOnError !== undefined && typeof raw.continueOnError !== "boolean") {
    throw invalid(
      `${path}.continueOnError`,
      `expected true or false, got ${JSON.stringify(raw.continueOnError)}`,
    );
  }
  const defaultRetry = phase === "preHook" || phase === "onSuccess" ? env.k10MaxRetry : 0;
  return {
    name,
    maxRetry: phase === "onFailure" ? 0 : ((raw.maxRetry as number | undefined) ?? defaultRetry),
    timeoutMs,
    executionPolicy: phase === "post" ? (policy ?? "Always") : undefined,
    continueOnError: raw.continueOnError === true,
  };
}
