/**
 * Running the deferPhase a recorded Blueprint action owes after its host died: the same Blueprint,
 * subject, options, artifacts and `.Time`, Secrets and ConfigMaps read again from their
 * references, and `.Phases.<name>.Output` of the phases that ended as the record kept them.
 */
import {
  ErrorCodes,
  type Logger,
  QuiesceError,
  type SerializedError,
  serializeError,
  toLogger,
} from "@quiesce/core";
import { type Cluster, type LeakedObject, type SessionRecord, trackLeaks } from "@quiesce/kube";
import { loadBlueprint } from "../blueprint/load.js";
import type { BlueprintPhase } from "../blueprint/schema.js";
import { profileOf, resolveProfile } from "../profile/resolve.js";
import { type FunctionRegistry, globalRegistry } from "../registry.js";
import { SecretScope } from "../secrets.js";
import {
  buildTemplateParams,
  emptyTemplateParams,
  type PhaseParams,
  type TemplateParams,
} from "../template-params.js";
import { type ActionRecordPayload, RECORDED_OPTIONS } from "./action-record.js";
import { registerProfileSecrets, renderArtifacts, resolveDefaultTimeout } from "./action-support.js";
import { runDeferPhase } from "./defer-phase.js";
import type { BlueprintEvents } from "./events.js";
import { type ActionObjects, readObjects, renderActionObjects } from "./object-refs.js";
import type { RunActionOptions } from "./options.js";
import type { ActionResult, PhaseResult } from "./result.js";
import { deferPhaseRun, skipped, wrapPhaseError } from "./run-phase.js";

/** Options of {@link recoverBlueprintAction}. */
export interface RecoverActionOptions {
  cluster: Cluster;
  /** Where the deferPhase's function is registered (default: the global registry). */
  registry?: FunctionRegistry | undefined;
  /** Aborting starts the deferPhase's `deferTimeout` budget, as in a live action. */
  signal?: AbortSignal | undefined;
  logger?: Logger | undefined;
  events?: BlueprintEvents | undefined;
  /** `.Profile` for an action whose Profile was recorded without its credentials. */
  profile?: unknown;
}

const hostLost = (what: string) =>
  new QuiesceError(ErrorCodes.SESSION_HOST_LOST, `the host running ${what} stopped before it ended`);

/**
 * Runs the deferPhase a Blueprint action's session record owes (taken over with
 * `takeExpiredSessions`), records its progress, and closes the record: deleted when the deferPhase
 * succeeded (or had already), kept as `failed` otherwise. Resolves with the action's result as far as
 * it is known: the phases the record kept, the phase that was running when the host died
 * (`QUIESCE_SESSION_HOST_LOST`), and the deferPhase's run. Never rejects for a failure.
 */
export async function recoverBlueprintAction(
  record: SessionRecord<ActionRecordPayload>,
  options: RecoverActionOptions,
): Promise<ActionResult> {
  const started = new Date();
  const payload = record.payload;
  const actionName = payload.actionName;
  const logger = toLogger(options.logger);
  const leaked: LeakedObject[] = [];
  const cluster = trackLeaks(options.cluster, (leak) => {
    leaked.push(leak);
    options.events?.emit("resource:leaked", { ...leak, action: actionName });
  });
  const scope = new SecretScope();
  const phases: PhaseResult[] = [];
  let deferResult: PhaseResult | undefined = payload.defer.result;
  let failure: unknown;
  let outputArtifacts: ActionResult["outputArtifacts"] = {};
  try {
    const bp = loadBlueprint(payload.blueprint).blueprint;
    const action = bp.actions[actionName];
    const deferPhase = action?.deferPhase;
    if (!action || !deferPhase)
      throw new QuiesceError(
        ErrorCodes.SESSION_RECORD_INVALID,
        `the record's Blueprint has no action ${actionName} with a deferPhase`,
      );
    const ran = payload.phases;
    action.phases.forEach((phase, i) => {
      const kept = ran[i];
      if (kept) phases.push({ name: kept.name, func: kept.func, status: kept.status, output: kept.output });
      else if (i === ran.length)
        phases.push({
          ...skipped(phase),
          status: "failed",
          error: serializeError(hostLost(`phase ${phase.name}`)),
        });
      else phases.push(skipped(phase));
    });
    const failedPhase = phases.find((p) => p.status === "failed" || p.status === "cancelled");
    failure = failedPhase
      ? failedPhase.error?.code === ErrorCodes.SESSION_HOST_LOST
        ? hostLost(`action ${actionName}`)
        : wrapPhaseError(
            failedPhase,
            new QuiesceError(ErrorCodes.HOOK_FAILED, failedPhase.error?.message ?? "failed"),
          )
      : undefined;
    if (payload.defer.state !== "done") {
      const opts = actionOptions(payload, { ...options, cluster });
      // A Profile reference is read again; a Profile given as a value was recorded without credentials.
      const profile = await resolveProfile(opts.cluster, profileFor(payload, options, deferPhase), {
        signal: options.signal,
        secretScope: scope,
      });
      const params = await paramsFor(payload, opts, profile, scope, options.signal);
      registerProfileSecrets(profileOf(params.Profile), scope);
      // Rendered over the params as they were before any phase, as the live action rendered them.
      const objects = renderActionObjects(action, params, actionName);
      await restorePhases(
        action.phases,
        ran.length,
        payload,
        params,
        objects,
        { opts, scope, signal: options.signal },
        logger,
        actionName,
      );
      await record.update((p) => {
        p.defer = { ...p.defer, state: "running", runs: p.defer.runs + 1, by: record.lease.identity };
      });
      const registry = options.registry ?? globalRegistry();
      const defaultTimeout = resolveDefaultTimeout(bp, opts);
      const deferred = await runDeferPhase(
        deferPhase,
        options.signal,
        opts,
        deferPhaseRun({
          objects: objects.deferPhase,
          params,
          opts,
          registry,
          logger,
          scope,
          actionName,
          defaultTimeout,
        }),
      );
      deferResult = deferred.result;
      await record.update((p) => {
        p.defer = {
          ...p.defer,
          state: deferred.result.status === "succeeded" ? "done" : "failed",
          result: deferred.result,
        };
      });
      if (deferred.error !== undefined && failure === undefined)
        failure = wrapPhaseError(deferred.result, deferred.error);
      if (failure === undefined) outputArtifacts = renderArtifacts(action, params);
    }
  } catch (err) {
    // What kept the deferPhase from running (or from being recorded) is the recovery's failure.
    failure = err;
  } finally {
    scope.dispose();
  }
  const done = record.payload.defer.state === "done";
  await record.close(done ? "done" : "failed").catch((err: unknown) => {
    logger.warn(`session record ${record.namespace}/${record.name} not closed`, {
      error: serializeError(err).message,
    });
  });
  const finished = new Date();
  const result: ActionResult = {
    action: actionName,
    status: failure === undefined && done ? "succeeded" : "failed",
    phases,
    ...(deferResult ? { deferPhase: deferResult } : {}),
    outputArtifacts,
    leaked,
    ...(failure !== undefined ? { error: serializeError(failure) as SerializedError } : {}),
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
  };
  options.events?.emit("action:finished", result);
  return result;
}

// The runner's options as the live action had them (what the record kept), on this process' cluster.
function actionOptions(payload: ActionRecordPayload, options: RecoverActionOptions): RunActionOptions {
  const opts: RunActionOptions = { cluster: options.cluster, sessionRecord: false };
  if (options.registry) opts.registry = options.registry;
  if (options.logger) opts.logger = options.logger;
  if (options.events) opts.events = options.events;
  for (const k of RECORDED_OPTIONS) {
    if (payload[k] !== undefined) (opts as unknown as Record<string, unknown>)[k] = payload[k];
  }
  return opts;
}

// A Profile recorded without its credentials needs the caller's, if the deferPhase reads it.
function profileFor(payload: ActionRecordPayload, options: RecoverActionOptions, deferPhase: BlueprintPhase) {
  if (options.profile !== undefined) return options.profile;
  if (payload.profileCredentialsOmitted && JSON.stringify(deferPhase).includes("Profile")) {
    throw new QuiesceError(
      ErrorCodes.SESSION_HOOK_UNAVAILABLE,
      `the deferPhase of action ${payload.actionName} reads .Profile, whose credentials were not recorded: pass profile to recover it`,
    );
  }
  return payload.params?.Profile ?? payload.profile;
}

async function paramsFor(
  payload: ActionRecordPayload,
  opts: RunActionOptions,
  profile: unknown,
  scope: SecretScope,
  signal: AbortSignal | undefined,
): Promise<TemplateParams> {
  // `.Time` is the live action's, to the nanosecond (the string its templates saw).
  if (payload.params) {
    return {
      ...emptyTemplateParams(),
      ...payload.params,
      Time: payload.time,
      Profile: profile ?? null,
      Phases: {},
      Secrets: {},
      ConfigMaps: {},
    } as TemplateParams;
  }
  if (!payload.subject)
    throw new QuiesceError(ErrorCodes.SESSION_RECORD_INVALID, "the record has neither a subject nor params");
  const params = await buildTemplateParams(payload.subject, {
    cluster: opts.cluster,
    secretScope: scope,
    ...(opts.options ? { options: opts.options } : {}),
    ...(opts.artifacts ? { artifacts: opts.artifacts } : {}),
    ...(opts.secrets ? { secrets: opts.secrets } : {}),
    ...(opts.configMaps ? { configMaps: opts.configMaps } : {}),
    ...(profile !== null && profile !== undefined ? { profile } : {}),
    ...(opts.podOverride ? { podOverride: opts.podOverride } : {}),
    ...(opts.podLabels ? { podLabels: opts.podLabels } : {}),
    ...(opts.podAnnotations ? { podAnnotations: opts.podAnnotations } : {}),
    ...(signal ? { signal } : {}),
  });
  params.Time = payload.time;
  return params;
}

// `.Phases.<name>` of every phase that started: the outputs the record kept, the objects read again.
async function restorePhases(
  all: readonly BlueprintPhase[],
  ended: number,
  payload: ActionRecordPayload,
  params: TemplateParams,
  objects: ActionObjects,
  run: { opts: RunActionOptions; scope: SecretScope; signal: AbortSignal | undefined },
  logger: Logger,
  actionName: string,
): Promise<void> {
  for (const [i, phase] of all.slice(0, ended + 1).entries()) {
    const target: PhaseParams = {
      Secrets: {},
      ConfigMaps: {},
      Output: { ...(payload.phases[i]?.output ?? {}) },
    };
    params.Phases[phase.name ?? ""] = target;
    try {
      await readObjects(objects.phases[i], target, run, `actions.${actionName}.phases[${i}]`);
    } catch (err) {
      // As in the live action, where a phase whose objects could not be read failed before running.
      logger.warn(`phase ${phase.name}: objects not read again`, { error: serializeError(err).message });
    }
  }
}
