/** The Blueprint action runner: phases in order, lazy rendering, deferPhase always, artifacts on success. */
import {
  createDeadline,
  ErrorCodes,
  type Logger,
  noopLogger,
  QuiesceError,
  raceAbort,
  type SerializedError,
  serializeError,
  toMilliseconds,
} from "@quiesce/core";
import type { Cluster } from "@quiesce/kube";
import { formatPath, joinPath } from "../blueprint/issues.js";
import { loadBlueprint, UNNAMED_DEFER_PHASE } from "../blueprint/load.js";
import type { Blueprint, BlueprintAction, BlueprintPhase } from "../blueprint/schema.js";
import { validateBlueprint } from "../blueprint/validate.js";
import type { FunctionContext, ProgressUpdate } from "../define-function.js";
import { type FunctionRegistry, globalRegistry } from "../registry.js";
import { SecretScope } from "../secrets.js";
import { renderString, renderTree } from "../template-engine.js";
import {
  type Artifact,
  buildTemplateParams,
  type NamedObjectRef,
  type PhaseParams,
  readConfigMap,
  readSecret,
  type Subject,
  type TemplateParams,
} from "../template-params.js";
import type { BlueprintEvents } from "./events.js";
import type { ActionResult, PhaseResult } from "./result.js";

/** Default time limit of one phase (Kanister has none). */
export const DEFAULT_PHASE_TIMEOUT_MS = 15 * 60_000;

/** Blueprint annotation overriding the default phase time limit for every phase (a Go duration, e.g. "30m"). */
export const PHASE_TIMEOUT_ANNOTATION = "quiesce.dev/phase-timeout";

/** Options of {@link runBlueprintAction}. */
export interface RunActionOptions {
  cluster: Cluster;
  /** What the action runs against; TemplateParams are built from it. Either this or `params`. */
  subject?: Subject;
  /** Prebuilt TemplateParams (the runner adds `.Phases` to them). */
  params?: TemplateParams;
  /** Default: the global registry. */
  registry?: FunctionRegistry;
  /** Function version to prefer (falls back to the default version). */
  preferredVersion?: string;
  signal?: AbortSignal;
  /** `.Options`. */
  options?: Record<string, string>;
  /** `.ArtifactsIn` (e.g. the `outputArtifacts` of an earlier action). */
  artifacts?: Record<string, Artifact>;
  /** `.Secrets.<name>` (the action's `secretNames` must all be given). */
  secrets?: Record<string, NamedObjectRef>;
  /** `.ConfigMaps.<name>` (the action's `configMapNames` must all be given). */
  configMaps?: Record<string, NamedObjectRef>;
  /** `.Profile`. */
  profile?: unknown;
  podOverride?: Record<string, unknown>;
  podLabels?: Record<string, string>;
  /** `.Time`; default: the action's start. */
  time?: Date;
  logger?: Logger;
  events?: BlueprintEvents;
  /**
   * Time limit of each phase, ms or a Go duration. Precedence: `phaseTimeouts[phase]`, then a
   * function's own (Wait's `timeout` argument), then this, then the Blueprint annotation
   * `quiesce.dev/phase-timeout`, then 15 minutes.
   */
  phaseTimeout?: number | string;
  /** Per-phase time limits by phase name (ms or Go duration). */
  phaseTimeouts?: Record<string, number | string>;
  /** Time limit of the deferPhase when it runs after a cancellation (fresh context); default: the phase limit. */
  deferTimeout?: number | string;
  /** Check the action with `validateBlueprint` before running (default true). */
  validate?: boolean;
}

/**
 * Runs one action of a Blueprint. Phases run in order; each phase's `objects` are read first (into
 * `.Phases.<name>.Secrets` / `.ConfigMaps`), then its arguments are rendered (seeing earlier
 * phases' outputs under `.Phases.<name>.Output`), validated against the function's schema and
 * executed under a time limit. A failure stops the action; the `deferPhase` always runs (after a
 * cancellation with a fresh, bounded context); output artifacts are rendered only when everything
 * succeeded. Never throws for a failure: the result carries it. Secret data read during the action
 * is redacted from errors and events.
 *
 * @example
 * ```ts
 * import "@quiesce/functions/builtins";
 * const { blueprint } = loadBlueprint(text);
 * const result = await runBlueprintAction(blueprint, "backup", {
 *   cluster,
 *   subject: { kind: "StatefulSet", namespace: "db", name: "mysql" },
 * });
 * if (result.status === "succeeded") saveArtifacts(result.outputArtifacts);
 * ```
 */
export async function runBlueprintAction(
  blueprint: Blueprint | string | unknown,
  actionName: string,
  opts: RunActionOptions,
): Promise<ActionResult> {
  const started = new Date();
  const scope = new SecretScope();
  const registry = opts.registry ?? globalRegistry();
  const logger = opts.logger ?? noopLogger;
  const phases: PhaseResult[] = [];
  let deferResult: PhaseResult | undefined;
  let outputArtifacts: Record<string, Artifact> = {};
  let failure: unknown;
  let cancelled = false;

  const finish = (): ActionResult => {
    const finished = new Date();
    const status = cancelled ? "cancelled" : failure === undefined ? "succeeded" : "failed";
    const result: ActionResult = {
      action: actionName,
      status,
      phases,
      ...(deferResult ? { deferPhase: deferResult } : {}),
      outputArtifacts,
      ...(failure !== undefined ? { error: serializeError(failure) } : {}),
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
    };
    opts.events?.emit("action:finished", result);
    return result;
  };

  try {
    let bp: Blueprint;
    let action: BlueprintAction;
    try {
      bp = loadBlueprint(blueprint).blueprint;
      const found = bp.actions[actionName];
      if (!found) {
        throw new QuiesceError(
          ErrorCodes.VALIDATION,
          `Blueprint ${bp.metadata.name ?? ""} has no action "${actionName}" (actions: ${Object.keys(bp.actions).join(", ")})`,
        );
      }
      action = found;
      if (opts.validate ?? true) {
        const check = validateBlueprint(bp, { registry, action: actionName, ...preferred(opts) });
        if (!check.ok) {
          throw new QuiesceError(
            ErrorCodes.VALIDATION,
            `Blueprint action ${actionName} is invalid: ${check.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
            { details: { errors: check.errors, missingFunctions: check.missingFunctions } },
          );
        }
      }
      requireNames(action.secretNames, opts.secrets, "secret", actionName);
      requireNames(action.configMapNames, opts.configMaps, "configMap", actionName);
      requireNames(action.inputArtifactNames, opts.artifacts, "input artifact", actionName);
    } catch (err) {
      failure = err;
      return finish();
    }

    const parentSignal = opts.signal;
    let params: TemplateParams;
    try {
      params =
        opts.params ??
        (await buildTemplateParams(requireSubject(opts.subject), {
          cluster: opts.cluster,
          time: opts.time ?? started,
          secretScope: scope,
          ...(opts.options ? { options: opts.options } : {}),
          ...(opts.artifacts ? { artifacts: opts.artifacts } : {}),
          ...(opts.secrets ? { secrets: opts.secrets } : {}),
          ...(opts.configMaps ? { configMaps: opts.configMaps } : {}),
          ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
          ...(opts.podOverride ? { podOverride: opts.podOverride } : {}),
          ...(opts.podLabels ? { podLabels: opts.podLabels } : {}),
          ...(parentSignal ? { signal: parentSignal } : {}),
        }));
    } catch (err) {
      cancelled = parentSignal?.aborted ?? false;
      failure = err;
      for (const p of action.phases) phases.push(skipped(p));
      if (action.deferPhase) deferResult = skipped(action.deferPhase);
      return finish();
    }

    registerProfileSecrets(opts.profile ?? params.Profile, scope);
    const defaultTimeout = resolveDefaultTimeout(bp, opts);
    const run = (phase: BlueprintPhase, index: number | "defer", signal: AbortSignal | undefined) =>
      runPhase({ phase, index, signal, params, opts, registry, logger, scope, actionName, defaultTimeout });

    for (const [i, phase] of action.phases.entries()) {
      if (failure !== undefined || parentSignal?.aborted) {
        if (parentSignal?.aborted && failure === undefined) {
          cancelled = true;
          failure = parentSignal.reason;
        }
        phases.push(skipped(phase));
        continue;
      }
      const outcome = await run(phase, i, parentSignal);
      phases.push(outcome.result);
      if (outcome.error !== undefined) {
        failure = wrapPhaseError(outcome.result, outcome.error);
        cancelled = outcome.result.status === "cancelled";
      }
    }

    if (action.deferPhase) {
      // After a cancellation the deferPhase still runs, under a fresh signal bounded by its own limit.
      const fresh = cancelled || parentSignal?.aborted;
      const deferSignal = fresh ? undefined : parentSignal;
      const limit = fresh && opts.deferTimeout !== undefined ? toMilliseconds(opts.deferTimeout) : undefined;
      const outcome = await runPhase({
        phase: action.deferPhase,
        index: "defer",
        signal: deferSignal,
        params,
        opts,
        registry,
        logger,
        scope,
        actionName,
        defaultTimeout: limit ?? defaultTimeout,
      });
      deferResult = outcome.result;
      if (outcome.error !== undefined && failure === undefined)
        failure = wrapPhaseError(outcome.result, outcome.error);
    }

    if (failure === undefined) {
      try {
        outputArtifacts = renderArtifacts(action, params);
      } catch (err) {
        failure = new QuiesceError(
          ErrorCodes.HOOK_FAILED,
          `rendering output artifacts failed: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
      }
    }
    return finish();
  } finally {
    scope.dispose();
  }
}

/** How long an aborted function may take to wind down (cleanup) before the runner moves on. */
const SETTLE_AFTER_ABORT_MS = 10_000;

async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
      timer.unref?.();
    }),
  ]);
  if (timer) clearTimeout(timer);
}

interface PhaseRun {
  phase: BlueprintPhase;
  index: number | "defer";
  signal: AbortSignal | undefined;
  params: TemplateParams;
  opts: RunActionOptions;
  registry: FunctionRegistry;
  logger: Logger;
  scope: SecretScope;
  actionName: string;
  defaultTimeout: number;
}

async function runPhase(run: PhaseRun): Promise<{ result: PhaseResult; error?: unknown }> {
  const { phase, params, opts, actionName } = run;
  const deferred = run.index === "defer";
  const name = phase.name || UNNAMED_DEFER_PHASE;
  const path = deferred ? `actions.${actionName}.deferPhase` : `actions.${actionName}.phases[${run.index}]`;
  const base = { action: actionName, phase: name, func: phase.func, deferred };
  const startedAt = new Date();
  opts.events?.emit("phase:started", { ...base, startedAt: startedAt.toISOString() });
  const phaseParams: PhaseParams = { Secrets: {}, ConfigMaps: {}, Output: {} };
  let output: Record<string, unknown> = {};
  try {
    const fn = run.registry.get(phase.func, opts.preferredVersion);
    if (deferred) params.DeferPhase = phaseParams;
    else params.Phases[name] = phaseParams;
    params.CurrentPhase = phaseParams;
    await readObjects(phase, phaseParams, run, path);

    const rawArgs = fn.rawArgs
      ? phase.args
      : (renderAt(() => renderTree(phase.args, params), `${path}.args`) as unknown);
    const parsed = fn.args.safeParse(rawArgs);
    if (!parsed.success) {
      const zodIssues = parsed.error.issues as ReadonlyArray<{ path: PropertyKey[]; message: string }>;
      const issues = zodIssues.map((i) => ({
        path: joinPath(`${path}.args`, formatPath(i.path)),
        message: i.message,
      }));
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        `invalid arguments for ${fn.name}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
        { details: { issues }, cause: parsed.error },
      );
    }
    const override = opts.phaseTimeouts?.[name];
    const timeoutMs =
      override !== undefined
        ? toMilliseconds(override)
        : (fn.timeoutFromArgs?.(parsed.data) ?? run.defaultTimeout);
    const deadline = createDeadline({ signal: run.signal, timeoutMs }, `phase ${name} (${phase.func})`);
    // Functions get a slightly shorter limit for their own calls, so a remote command's timeout
    // (which reports the command as possibly still running) fires before the phase's.
    const inner = Math.max(1, timeoutMs - Math.min(2_000, Math.ceil(timeoutMs * 0.1)));
    try {
      const ctx: FunctionContext = {
        cluster: opts.cluster,
        params,
        phase: name,
        action: actionName,
        signal: deadline.signal,
        timeoutMs: inner,
        logger: run.logger,
        registry: run.registry,
        progress: (update: ProgressUpdate) => {
          opts.events?.emit(
            "phase:progress",
            typeof update === "number" ? { ...base, percent: update } : { ...base, message: update },
          );
        },
      };
      const execution = Promise.resolve().then(() => fn.exec(ctx, parsed.data));
      let out: Awaited<typeof execution>;
      try {
        out = await raceAbort(execution, deadline.signal);
      } catch (err) {
        // Give an aborted function a moment to clean up (delete its pod) before the next step runs.
        if (deadline.signal.aborted) await settleWithin(execution, SETTLE_AFTER_ABORT_MS);
        throw err;
      }
      output = (out as Record<string, unknown> | undefined) ?? {};
    } finally {
      deadline.dispose();
    }
    phaseParams.Output = output;
    const result = finished(name, phase.func, "succeeded", startedAt, output);
    opts.events?.emit("phase:succeeded", { ...base, result });
    return { result };
  } catch (err) {
    const status = run.signal?.aborted ? "cancelled" : "failed";
    const error = serializeError(err);
    const result: PhaseResult = { ...finished(name, phase.func, status, startedAt, output), error };
    run.logger.warn(`phase ${name} ${status}`, {
      action: actionName,
      func: phase.func,
      error: error.message,
    });
    opts.events?.emit("phase:failed", { ...base, result, error });
    return { result, error: err };
  }
}

async function readObjects(
  phase: BlueprintPhase,
  target: PhaseParams,
  run: PhaseRun,
  path: string,
): Promise<void> {
  if (!phase.objects) return;
  const refs = renderAt(() => renderTree(phase.objects, run.params), `${path}.objects`) as Record<
    string,
    { kind?: string; name: string; namespace?: string }
  >;
  for (const [alias, ref] of Object.entries(refs)) {
    const kind = (ref.kind ?? "").toLowerCase();
    const named = { name: ref.name, namespace: ref.namespace || "default" };
    if (kind === "secret")
      target.Secrets[alias] = await readSecret(run.opts.cluster, named, run.scope, run.signal);
    else if (kind === "configmap")
      target.ConfigMaps[alias] = await readConfigMap(run.opts.cluster, named, run.signal);
  }
}

function renderAt<T>(fn: () => T, path: string): T {
  try {
    return fn();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const code = (err as { code?: unknown }).code;
    throw new QuiesceError(
      typeof code === "string" && code.startsWith("QUIESCE_")
        ? (code as `QUIESCE_${string}`)
        : ErrorCodes.TEMPLATE_EXEC,
      `rendering ${path} failed: ${message}`,
      { cause: err, details: { path } },
    );
  }
}

function renderArtifacts(action: BlueprintAction, params: TemplateParams): Record<string, Artifact> {
  const out: Record<string, Artifact> = {};
  for (const [name, artifact] of Object.entries(action.outputArtifacts ?? {})) {
    const rendered: Artifact = {};
    if (artifact.keyValue) {
      rendered.KeyValue = {};
      for (const [k, v] of Object.entries(artifact.keyValue)) rendered.KeyValue[k] = renderString(v, params);
    }
    if (artifact.kopiaSnapshot) rendered.KopiaSnapshot = renderString(artifact.kopiaSnapshot, params);
    out[name] = rendered;
  }
  return out;
}

function finished(
  name: string,
  func: string,
  status: PhaseResult["status"],
  startedAt: Date,
  output: Record<string, unknown>,
): PhaseResult {
  const end = new Date();
  return {
    name,
    func,
    status,
    startedAt: startedAt.toISOString(),
    finishedAt: end.toISOString(),
    durationMs: end.getTime() - startedAt.getTime(),
    output,
  };
}

function skipped(phase: BlueprintPhase): PhaseResult {
  return { name: phase.name || UNNAMED_DEFER_PHASE, func: phase.func, status: "skipped", output: {} };
}

function wrapPhaseError(result: PhaseResult, err: unknown): unknown {
  if (result.status === "cancelled") return err;
  return new QuiesceError(
    ErrorCodes.HOOK_FAILED,
    `phase ${result.name} (${result.func}) failed: ${(err as Error)?.message ?? String(err)}`,
    {
      cause: err,
      details: { phase: result.name, func: result.func },
    },
  );
}

function requireNames(
  names: readonly string[] | undefined,
  given: Record<string, unknown> | undefined,
  what: string,
  action: string,
): void {
  const missing = (names ?? []).filter((n) => !(given && n in given));
  if (missing.length > 0) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `action ${action} requires ${what} ${missing.map((m) => `"${m}"`).join(", ")}`,
      {
        details: { missing },
      },
    );
  }
}

/** Credentials of the Profile (a key pair's secret, a Secret's data) are redacted like Secret data. */
function registerProfileSecrets(profile: unknown, scope: SecretScope): void {
  const credential = (profile as { Credential?: Record<string, unknown> } | null | undefined)?.Credential;
  if (!credential) return;
  const keyPair = credential.KeyPair as { Secret?: unknown } | undefined;
  if (typeof keyPair?.Secret === "string") scope.add(keyPair.Secret);
  const data = (credential.Secret as { Data?: Record<string, unknown> } | undefined)?.Data ?? {};
  for (const value of Object.values(data)) {
    if (typeof value === "string") scope.add(value);
    else if (value instanceof Uint8Array) scope.add(Buffer.from(value).toString("utf8"));
  }
}

function requireSubject(subject: Subject | undefined): Subject {
  if (!subject) throw new QuiesceError(ErrorCodes.VALIDATION, "runBlueprintAction needs a subject or params");
  return subject;
}

function preferred(opts: RunActionOptions): { preferredVersion?: string } {
  return opts.preferredVersion ? { preferredVersion: opts.preferredVersion } : {};
}

function resolveDefaultTimeout(bp: Blueprint, opts: RunActionOptions): number {
  if (opts.phaseTimeout !== undefined) return toMilliseconds(opts.phaseTimeout);
  const annotated = bp.metadata.annotations?.[PHASE_TIMEOUT_ANNOTATION];
  if (annotated) return toMilliseconds(annotated);
  return DEFAULT_PHASE_TIMEOUT_MS;
}

export type { SerializedError };
