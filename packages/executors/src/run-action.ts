/** runAction: validate an action and executor, pick targets, run the action on each, and report everything. */
import {
  createDeadline,
  ErrorCodes,
  formatDuration,
  type Logger,
  parseDuration,
  QuiesceError,
  type SerializedError,
  serializeError,
  toLogger,
} from "@quiesce/core";
import type { Cluster } from "@quiesce/kube";
import type { TemplateLimits } from "@quiesce/template";
import { type Action, type ActionKind, actionKind } from "./action-schema.js";
import { defaultExecutorRegistry } from "./default-registry.js";
import { ExecutorErrorCodes, isSerializedError } from "./errors.js";
import type {
  ExecutionTarget,
  Executor,
  ExecutorContext,
  FunctionDefinition,
  ResolvedRunSettings,
  TlsOptions,
} from "./executor.js";
import type { EnvVar } from "./executor-schema.js";
import type { ExecutorRegistry } from "./registry.js";
import { renderAction } from "./render.js";
import type { ActionRunResult, RunStatus, TargetResult } from "./result.js";
import { runTargets } from "./run-targets.js";
import { parseAction, parseExecutor } from "./validate.js";

/** Defaults of {@link runAction}. */
export const RUN_ACTION_DEFAULTS = Object.freeze({
  /**
   * Time limit of a whole run (all targets): none. A KubeStash hook reference without `timeout`
   * has no limit (kubestash/apimachinery HookInfo.Timeout has no default), and the prober execs
   * with a context that never ends (kmodules.xyz/client-go tools/exec ExecIntoPod).
   */
  timeoutMs: Number.POSITIVE_INFINITY,
  /**
   * Time limit of one httpGet/httpPost request (redirects included) or tcpSocket connection:
   * kmodules.xyz/prober api.DefaultProbeTimeout (5 minutes), which probe.RunProbe passes to every
   * http and tcp probe.
   */
  probeTimeoutMs: 5 * 60_000,
  /** Targets in flight at once (ExecuteOnAll). */
  concurrency: 8,
  /** Bytes kept of each of stdout, stderr and an HTTP response body (the tail). */
  outputLimitBytes: 64 * 1024,
});

/** Input of {@link runAction}. */
export interface RunActionInput {
  /**
   * A HookTemplate `spec.action` (validated here). May be left out for the Function executor, whose
   * Function's container is the hook (KubeStash's HookTemplate webhook requires an action only for
   * the Pod and Operator executors).
   */
  action?: unknown;
  /** A HookTemplate `spec.executor` (validated here). */
  executor: unknown;
  /** Namespace the hook runs for: where pods are selected and Jobs created. */
  namespace: string;
  /** Required by the Pod and Function executors. */
  cluster?: Cluster | undefined;
  /**
   * Data for KubeStash's templated fields. When given, each `exec.command` element and the
   * `httpPost.body` are rendered as Go templates over it (e.g. the hook summary `.Name`,
   * `.Namespace`, `.Target`, `.Status`). When absent they run verbatim (the caller rendered them).
   */
  templateData?: unknown;
  /** HookTemplate params (after defaults): `${VAR:=default}` in Function image/command/args. */
  params?: Readonly<Record<string, string>> | undefined;
  /** Hook reference variables: substituted like params, and set as env of a Function's Job. */
  variables?: Readonly<Record<string, string>> | undefined;
  /**
   * The variables as core/v1 EnvVars for a Function's Job, when some take their value from a
   * Secret, ConfigMap or field (`valueFrom`, resolved by Kubernetes in the Job): used instead of
   * `variables` for the env, so a Secret's value does not appear in the Job's spec.
   */
  variableEnv?: readonly EnvVar[] | undefined;
  /** Cancels the run; the result then has status "cancelled" (the promise still resolves). */
  signal?: AbortSignal | undefined;
  /**
   * Time limit of the whole run, all targets included, in milliseconds. Default: none (as
   * KubeStash); each http request and tcp connection is still bounded by the prober's 5 minutes.
   */
  timeoutMs?: number | undefined;
  /**
   * The same limit as a Go duration string (`"30s"`, `"1m30s"`), as hook references write it; a
   * unit-less number is rejected (`QUIESCE_INVALID_DURATION`). Give `timeout` or `timeoutMs`, not both.
   */
  timeout?: string | undefined;
  /**
   * Time limit of one httpGet/httpPost request (redirects included) or tcpSocket connection, in
   * milliseconds. Default 5 min, the prober's (kmodules.xyz/prober api.DefaultProbeTimeout).
   */
  probeTimeoutMs?: number | undefined;
  /** Targets in flight at once (ExecuteOnAll). Default 8. */
  concurrency?: number | undefined;
  /** Let the Operator executor run `exec` actions as local processes. Default false. */
  allowLocalExec?: boolean | undefined;
  /** TLS of HTTPS actions; verification is on unless `rejectUnauthorized: false`. */
  tls?: TlsOptions | undefined;
  /** Bytes kept of stdout, stderr and response bodies (tails). Default 64 KiB. */
  outputLimitBytes?: number | undefined;
  logger?: Logger | undefined;
  /** KubeStash Function definitions by name, used before reading Function CRs from the cluster. */
  functions?: Readonly<Record<string, FunctionDefinition>> | undefined;
  /** Registry to find `executor.type` in. Default: the global one. */
  executorRegistry?: ExecutorRegistry | undefined;
  /** Limits of rendering `templateData` into the action. Default: `DEFAULT_LIMITS` of `@quiesce/template`. */
  templateLimits?: TemplateLimits | undefined;
}

/**
 * Runs a KubeStash action (exec, httpGet, httpPost, tcpSocket) with an executor (Pod, Operator,
 * Function, or a registered one) and returns a complete {@link ActionRunResult}.
 *
 * It throws only for input that is invalid before anything runs (a `QUIESCE_VALIDATION`,
 * `QUIESCE_POLICY_REFUSED` or `QUIESCE_NOT_REGISTERED` QuiesceError). Every failure after that —
 * no pod matched, a non-zero exit, an HTTP 500, a timeout, a template error — is in the result.
 * When `signal` aborts, the promise resolves with status `"cancelled"`, the targets that ran
 * (running ones `cancelled`, unstarted ones `skipped`) and the abort reason as `error`.
 *
 * @example
 * ```ts
 * const result = await runAction({
 *   action: { exec: { command: ["/bin/sh", "-c", "fsfreeze -f /data"] }, containerName: "db" },
 *   executor: { type: "Pod", pod: { selector: "app=db", strategy: "ExecuteOnAll" } },
 *   namespace: "prod",
 *   cluster,
 *   timeoutMs: 30_000,
 * });
 * if (result.status !== "succeeded") console.error(result.error?.message, result.targets);
 * ```
 */
export async function runAction(input: RunActionInput): Promise<ActionRunResult> {
  const startedAt = Date.now();
  const executorSpec = parseExecutor(input.executor);
  const action: Action =
    input.action === undefined && executorSpec.type === "Function" ? {} : parseAction(input.action);
  if (typeof input.namespace !== "string" || input.namespace === "") {
    throw new QuiesceError(ErrorCodes.VALIDATION, "runAction needs a namespace");
  }
  const registry = input.executorRegistry ?? defaultExecutorRegistry();
  const executor = registry.require(executorSpec.type);
  const settings = resolveSettings(input);
  const kind = actionKind(action);
  const base = {
    action,
    actionKind: kind,
    executor: executorSpec,
    namespace: input.namespace,
    cluster: input.cluster,
    params: { ...input.params },
    variables: { ...input.variables },
    ...(input.variableEnv !== undefined ? { variableEnv: [...input.variableEnv] } : {}),
    settings,
  };
  executor.check?.(base);

  const finish = (status: RunStatus, targets: TargetResult[], error?: unknown): ActionRunResult => {
    const finishedAt = Date.now();
    const result: ActionRunResult = {
      executor: executorSpec.type,
      action: kind,
      namespace: input.namespace,
      status,
      targets,
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      durationMs: finishedAt - startedAt,
      possiblyStillRunning: targets.some((t) => t.possiblyStillRunning === true),
    };
    if (error !== undefined) result.error = toSerialized(error);
    return result;
  };

  if (input.signal?.aborted) return finish("cancelled", [], input.signal.reason);

  let rendered = action;
  if (input.templateData !== undefined) {
    try {
      rendered = renderAction(action, input.templateData, {
        limits: input.templateLimits,
        signal: input.signal,
      });
    } catch (err) {
      return finish("failed", [], err);
    }
  }

  const what = `${kind} action (${executorSpec.type} executor)`;
  const deadline = createDeadline({ signal: input.signal, timeoutMs: settings.timeoutMs }, what);
  const ctx: ExecutorContext = {
    ...base,
    action: rendered,
    signal: deadline.signal,
    deadline: startedAt + settings.timeoutMs,
  };
  const cancelled = () => input.signal?.aborted === true && !deadline.timedOut;
  try {
    let targets: ExecutionTarget[];
    try {
      targets = await selectTargets(executor, ctx);
    } catch (err) {
      if (cancelled()) return finish("cancelled", [], input.signal?.reason);
      return finish("failed", [], err);
    }
    settings.logger.debug("hook action targets selected", {
      executor: executorSpec.type,
      action: kind,
      namespace: input.namespace,
      targets: targets.map((t) => t.name),
    });
    const results = await runTargets(executor, targets, ctx, { cancelled });
    if (cancelled()) return finish("cancelled", results, input.signal?.reason);
    const failed = results.filter((r) => r.status !== "succeeded");
    if (failed.length === 0) return finish("succeeded", results);
    // The port's own exec/job time limit (set to the time left) may fire a moment before the deadline.
    const timedOut = deadline.timedOut || failed.every((t) => t.error?.code === ErrorCodes.TIMEOUT);
    return finish("failed", results, summarize(what, kind, results, failed, timedOut, settings));
  } finally {
    deadline.dispose();
  }
}

async function selectTargets(executor: Executor, ctx: ExecutorContext): Promise<ExecutionTarget[]> {
  const targets = await executor.targets(ctx);
  if (targets.length === 0) {
    throw new QuiesceError(
      ExecutorErrorCodes.NO_TARGETS,
      `the ${ctx.executor.type} executor found no target to run on`,
      {
        details: { executor: ctx.executor.type, namespace: ctx.namespace },
      },
    );
  }
  return targets;
}

function summarize(
  what: string,
  kind: ActionKind,
  all: TargetResult[],
  failed: TargetResult[],
  timedOut: boolean,
  settings: ResolvedRunSettings,
): SerializedError {
  const first = failed[0] as TargetResult;
  if (all.length === 1 && first.error !== undefined && !timedOut) return first.error;
  const names = failed.map((t) => `${t.name} (${describeFailure(t)})`);
  const after = Number.isFinite(settings.timeoutMs) ? ` after ${formatDuration(settings.timeoutMs)}` : "";
  const message = timedOut
    ? `${what} timed out${after}: ${failed.length} of ${all.length} targets did not succeed: ${names.join(", ")}`
    : `${kind} failed on ${failed.length} of ${all.length} targets: ${names.join(", ")}`;
  const error = new QuiesceError(timedOut ? ErrorCodes.TIMEOUT : ErrorCodes.HOOK_FAILED, message, {
    details: { failedTargets: failed.map((t) => t.name), targets: all.length },
  });
  const out = serializeError(error);
  if (first.error !== undefined) out.cause = first.error;
  return out;
}

function describeFailure(t: TargetResult): string {
  if (t.status === "skipped") return "not started";
  if (t.exitCode !== undefined && t.exitCode !== 0) return `exit ${t.exitCode}`;
  if (t.httpStatus !== undefined) return `HTTP ${t.httpStatus}`;
  return t.error?.code ?? t.status;
}

function toSerialized(error: unknown): SerializedError {
  return isSerializedError(error) ? error : serializeError(error);
}

function resolveSettings(input: RunActionInput): ResolvedRunSettings {
  if (input.timeout !== undefined && input.timeoutMs !== undefined) {
    throw new QuiesceError(ErrorCodes.VALIDATION, "runAction takes timeout or timeoutMs, not both", {
      details: { timeout: input.timeout, timeoutMs: input.timeoutMs },
    });
  }
  const timeoutMs =
    input.timeoutMs ??
    (input.timeout !== undefined ? parseDuration(input.timeout) : RUN_ACTION_DEFAULTS.timeoutMs);
  const concurrency = input.concurrency ?? RUN_ACTION_DEFAULTS.concurrency;
  const probeTimeoutMs = input.probeTimeoutMs ?? RUN_ACTION_DEFAULTS.probeTimeoutMs;
  const outputLimitBytes = input.outputLimitBytes ?? RUN_ACTION_DEFAULTS.outputLimitBytes;
  const positive = (name: string, value: number, integer: boolean) => {
    const finite = Number.isFinite(value) || (name === "timeoutMs" && value === Number.POSITIVE_INFINITY);
    if (!finite || value <= 0 || (integer && !Number.isInteger(value))) {
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        `runAction option ${name} must be a positive ${integer ? "integer" : "number"} (got ${value})`,
        { details: { option: name, value } },
      );
    }
  };
  positive("timeoutMs", timeoutMs, false);
  positive("probeTimeoutMs", probeTimeoutMs, false);
  positive("concurrency", concurrency, true);
  positive("outputLimitBytes", outputLimitBytes, true);
  const tls: ResolvedRunSettings["tls"] = { rejectUnauthorized: input.tls?.rejectUnauthorized ?? true };
  if (input.tls?.ca !== undefined) tls.ca = input.tls.ca;
  return {
    timeoutMs,
    probeTimeoutMs,
    concurrency,
    outputLimitBytes,
    allowLocalExec: input.allowLocalExec ?? false,
    tls,
    logger: toLogger(input.logger),
    functions: input.functions ?? {},
  };
}
