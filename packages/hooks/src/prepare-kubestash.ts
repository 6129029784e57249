/** Preparing KubeStash hooks: resolve the template, enforce its usage policy and params, then run via an executor. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import {
  type Action,
  type ActionRunResult,
  parseAction,
  parseExecutor,
  runAction,
  type TlsOptions,
} from "@quiesce/executors";
import { compileAction } from "./compiled-action.js";
import { parseHookReference } from "./hook-reference.js";
import type {
  HookRunContext,
  HookRunOutput,
  InlineHookSpec,
  KubeStashHookSpec,
  PreparedHook,
} from "./hook-spec.js";
import { type HookTemplate, loadHookTemplate, type ParamDefinition } from "./hook-template.js";
import { resolveParams } from "./params.js";
import { type CommonSettings, commonSettings, type PrepareEnv } from "./prepare-settings.js";
import type { HookPhase, TargetRecord } from "./result.js";
import { hookSummary } from "./summary.js";
import { clusterTemplates, type HookTemplateSource } from "./template-source.js";
import { checkUsagePolicy } from "./usage-policy.js";
import { type ResolvedVariables, resolveVariables } from "./variables.js";

/** A spec as plain JSON (what a session record can hold). */
export function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function isSource(value: unknown): value is HookTemplateSource {
  return typeof (value as { get?: unknown }).get === "function";
}

function stringParams(params: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}

function checkInsecure(value: unknown, path: string): void {
  if (value !== undefined && typeof value !== "boolean") {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `${path}.insecureSkipTLSVerify: expected true or false, got ${JSON.stringify(value)}`,
      { details: { path: `${path}.insecureSkipTLSVerify` } },
    );
  }
}

/** Maps an executor's result to a hook attempt's output. */
export function toRunOutput(result: ActionRunResult): HookRunOutput {
  const targets: TargetRecord[] = result.targets.map((t) => {
    const rec: TargetRecord = {
      name: t.container ? `${t.name}/${t.container}` : t.name,
      status: t.status === "succeeded" ? "succeeded" : t.status === "cancelled" ? "cancelled" : "failed",
      stdout: t.stdout,
      stderr: t.stderr,
    };
    if (t.namespace !== undefined) rec.namespace = t.namespace;
    if (t.exitCode !== undefined) rec.exitCode = t.exitCode;
    if (t.httpStatus !== undefined) rec.httpStatus = t.httpStatus;
    if (t.possiblyStillRunning) rec.possiblyStillRunning = true;
    if (t.error !== undefined) rec.error = t.error;
    return rec;
  });
  const outputs: Record<string, unknown> = {};
  const body = result.targets.find((t) => t.responseBody !== undefined)?.responseBody;
  if (body !== undefined) outputs.responseBody = body;
  if (result.status === "succeeded") return { status: "succeeded", targets, outputs };
  return {
    status: "failed",
    targets,
    outputs,
    error: new QuiesceError(
      (result.error?.code as `QUIESCE_${string}` | undefined) ?? ErrorCodes.HOOK_FAILED,
      result.error?.message ?? `${result.action} on the ${result.executor} executor ${result.status}`,
      {
        details: {
          executor: result.executor,
          action: result.action,
          possiblyStillRunning: result.possiblyStillRunning,
        },
      },
    ),
  };
}

/** What a KubeStash action runs with, besides its action and executor. */
interface RunnerSettings {
  name: string;
  phase: HookPhase;
  namespace: string;
  template: HookTemplate | undefined;
  params: Record<string, unknown>;
  variables: ResolvedVariables;
  /** Undefined: no limit (HookInfo.timeout unset; the prober still bounds each http/tcp probe). */
  timeoutMs: number | undefined;
  /** The hook's own insecureSkipTLSVerify. */
  insecure: boolean | undefined;
}

// Verification is on unless the hook or the run skips it (KubeStash's prober never verifies).
function tlsFor(insecure: boolean | undefined, env: PrepareEnv): TlsOptions | undefined {
  if (insecure === true || env.insecureSkipTLSVerify === true)
    return { ...env.tls, rejectUnauthorized: false };
  return env.tls;
}

function actionRunner(
  settings: RunnerSettings,
  action: Action | undefined,
  executor: unknown,
  env: PrepareEnv,
): (ctx: HookRunContext) => Promise<HookRunOutput> {
  const { name, phase, namespace, template, params, variables, timeoutMs } = settings;
  // `action` and `executor` arrive validated; a transformed action is validated again. A Function
  // hook may have no action: its Function's container is the hook.
  const finalAction =
    action && env.transformAction
      ? parseAction(
          env.transformAction(action, { hook: name, phase, namespace, template }),
          `${name}: transformed action`,
        )
      : action;
  const compiled = finalAction
    ? compileAction(finalAction, template ? `HookTemplate ${template.metadata.name}` : `hook ${name}`)
    : undefined;
  const strParams = stringParams(params);
  return async (ctx) => {
    let rendered: Action | undefined;
    try {
      rendered = compiled?.render(hookSummary(ctx), { limits: env.templateLimits, signal: ctx.signal });
    } catch (error) {
      // A missing key or a failing template function fails the same way on every attempt.
      return { status: "failed", error, noRetry: true };
    }
    let result: ActionRunResult;
    try {
      result = await runAction({
        action: rendered,
        executor,
        namespace,
        cluster: env.cluster,
        params: strParams,
        variables: variables.values,
        variableEnv: variables.env,
        signal: ctx.signal,
        timeoutMs: timeoutMs ?? Number.POSITIVE_INFINITY,
        concurrency: env.actionConcurrency,
        allowLocalExec: env.allowLocalExec,
        tls: tlsFor(settings.insecure, env),
        outputLimitBytes: env.outputLimitBytes,
        logger: ctx.logger,
        functions: env.functions,
        executorRegistry: env.executorRegistry,
      });
    } catch (error) {
      // runAction throws only for what is wrong before anything runs (e.g. exec on the Operator
      // executor without allowLocalExec): retrying cannot help.
      return { status: "failed", error, noRetry: true };
    }
    return toRunOutput(result);
  };
}

/** Prepares a KubeStash reference: template lookup, usage policy, params. */
export async function prepareKubeStashHook(
  spec: KubeStashHookSpec,
  phase: HookPhase,
  namespace: string,
  path: string,
  env: PrepareEnv,
): Promise<PreparedHook> {
  const { template: given, insecureSkipTLSVerify, ...rawRef } = spec;
  checkInsecure(insecureSkipTLSVerify, path);
  const ref = parseHookReference(rawRef, path);
  const settings: CommonSettings = commonSettings(ref, ref.name, phase, path, env);
  const templateRef = { name: ref.hookTemplate.name, namespace: ref.hookTemplate.namespace ?? namespace };
  let template: HookTemplate;
  if (given !== undefined && isSource(given)) template = await given.get(templateRef, { signal: env.signal });
  else if (given !== undefined) template = loadHookTemplate(given);
  else if (env.templates) template = await env.templates.get(templateRef, { signal: env.signal });
  else if (env.cluster)
    template = await clusterTemplates(env.cluster).get(templateRef, { signal: env.signal });
  else {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `${path}: no template source for HookTemplate ${templateRef.namespace}/${templateRef.name} (pass templates, a cluster, or spec.template)`,
    );
  }
  // kubestash/apimachinery webhooks/core/v1alpha1/backupconfiguration.go and restoresession.go
  // validateHookTemplatesAgainstUsagePolicy: UsageAllowed is asked for the invoker's namespace.
  await checkUsagePolicy(template, env.invoker?.namespace ?? namespace, {
    cluster: env.cluster,
    signal: env.signal,
    templateNamespace: templateRef.namespace,
  });
  const params = resolveParams(template.spec.params, ref.params, ref.name);
  const variables = await resolveVariables(ref.variables, namespace, path, env);
  const executor =
    template.spec.executor.type === "Function" && (ref.volumes || ref.volumeMounts || ref.runtimeSettings)
      ? withReference(template.spec.executor, ref)
      : template.spec.executor;
  return {
    ...settings,
    kind: "kubestash",
    phase,
    namespace,
    stored: asJson({
      ...rawRef,
      template,
      ...(insecureSkipTLSVerify !== undefined ? { insecureSkipTLSVerify } : {}),
    }),
    release: variables.release,
    run: actionRunner(
      {
        name: ref.name,
        phase,
        namespace,
        template,
        params,
        variables,
        timeoutMs: settings.timeoutMs,
        insecure: insecureSkipTLSVerify,
      },
      template.spec.action,
      executor,
      env,
    ),
  };
}

// A reference's volumes/volumeMounts add to the Function executor's own, and its runtimeSettings
// apply to the hook Job (HookInfo: "Use this field only for `Function` type hook executor").
function withReference(
  executor: HookTemplate["spec"]["executor"],
  ref: Pick<ReturnType<typeof parseHookReference>, "volumes" | "volumeMounts" | "runtimeSettings">,
) {
  const fn = (executor as { function?: Record<string, unknown> }).function ?? {};
  const out: Record<string, unknown> = {
    ...fn,
    volumes: [...((fn.volumes as unknown[] | undefined) ?? []), ...(ref.volumes ?? [])],
    volumeMounts: [...((fn.volumeMounts as unknown[] | undefined) ?? []), ...(ref.volumeMounts ?? [])],
  };
  if (ref.runtimeSettings) {
    const own = (fn.runtimeSettings as { pod?: object; container?: object } | undefined) ?? {};
    out.runtimeSettings = {
      pod: { ...own.pod, ...ref.runtimeSettings.pod },
      container: { ...own.container, ...ref.runtimeSettings.container },
    };
  }
  return { ...executor, function: out };
}

/** Prepares an inline action + executor (validated by the executors package when it runs and here up front). */
export async function prepareInlineHook(
  spec: InlineHookSpec,
  phase: HookPhase,
  namespace: string,
  path: string,
  env: PrepareEnv,
): Promise<PreparedHook> {
  if (typeof spec.name !== "string" || spec.name === "") {
    throw new QuiesceError(ErrorCodes.VALIDATION, `${path}.name: an inline hook needs a name`);
  }
  const settings: CommonSettings = commonSettings(spec, spec.name, phase, path, env);
  checkInsecure(spec.insecureSkipTLSVerify, path);
  const defs: ParamDefinition[] =
    spec.paramDefinitions ?? Object.keys(spec.params ?? {}).map((name) => ({ name }));
  const params = resolveParams(defs, spec.params, spec.name);
  const action = parseAction(spec.action, `${path}.action`);
  parseExecutor(spec.executor, `${path}.executor`);
  const variables = await resolveVariables(spec.variables, namespace, path, env);
  return {
    ...settings,
    kind: "kubestash",
    phase,
    namespace,
    stored: asJson(spec),
    release: variables.release,
    run: actionRunner(
      {
        name: spec.name,
        phase,
        namespace,
        template: undefined,
        params,
        variables,
        timeoutMs: settings.timeoutMs,
        insecure: spec.insecureSkipTLSVerify,
      },
      action,
      spec.executor,
      env,
    ),
  };
}
