/** The Blueprint action runner: phases in order, lazy rendering, deferPhase always, artifacts on success. */
import { ErrorCodes, QuiesceError, type SerializedError, serializeError, toLogger } from "@quiesce/core";
import { type LeakedObject, trackLeaks } from "@quiesce/kube";
import { loadBlueprint } from "../blueprint/load.js";
import type { Blueprint, BlueprintAction } from "../blueprint/schema.js";
import { validateBlueprint } from "../blueprint/validate.js";
import { preciseNow } from "../go-time.js";
import { profileOf, resolveProfile } from "../profile/resolve.js";
import { globalRegistry } from "../registry.js";
import { SecretScope } from "../secrets.js";
import { type Artifact, buildTemplateParams, type Subject, type TemplateParams } from "../template-params.js";
import { ActionRecorder } from "./action-record.js";
import { registerProfileSecrets, renderArtifacts, resolveDefaultTimeout } from "./action-support.js";
import { cancellationError, runDeferPhase } from "./defer-phase.js";
import { type ActionObjects, renderActionObjects } from "./object-refs.js";
import type { RunActionOptions } from "./options.js";
import type { ActionResult, PhaseResult } from "./result.js";
import { deferPhaseRun, runPhase, skipped, wrapPhaseError } from "./run-phase.js";

export { PHASE_TIMEOUT_ANNOTATION, type RunActionOptions } from "./options.js";

/**
 * Runs one action of a Blueprint. Phases run in order; each phase's `objects` are read first (into
 * `.Phases.<name>.Secrets` / `.ConfigMaps`), then its arguments are rendered (seeing earlier
 * phases' outputs under `.Phases.<name>.Output`), validated against the function's schema and
 * executed under a time limit. A failure stops the action; the `deferPhase` always runs, shielded
 * from the caller's abort (an abort before or during it only bounds it by `deferTimeout`); output
 * artifacts are rendered only when everything succeeded. An abort that stops or skips a phase
 * makes the action `cancelled` with a coded error (`QUIESCE_ABORTED` unless the abort reason is a
 * QuiesceError). Never throws for a failure: the result carries it. Secret data read during the action
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
  options: RunActionOptions,
): Promise<ActionResult> {
  // `.Time` is the action's start, as precise as Kanister's (pkg/param/param.go New).
  const startTime = preciseNow();
  const started = new Date(Number(startTime.unixNanos / 1_000_000n));
  // One-off pods and Jobs its functions could not delete are listed in the result and announced.
  const leaked: LeakedObject[] = [];
  const opts: RunActionOptions = {
    ...options,
    cluster: options.cluster
      ? trackLeaks(options.cluster, (leak) => {
          leaked.push(leak);
          options.events?.emit("resource:leaked", { ...leak, action: actionName });
        })
      : options.cluster,
  };
  const scope = new SecretScope();
  const registry = opts.registry ?? globalRegistry();
  const logger = toLogger(opts.logger);
  const phases: PhaseResult[] = [];
  let deferResult: PhaseResult | undefined;
  let outputArtifacts: Record<string, Artifact> = {};
  let failure: unknown;
  let cancelled = false;
  let warnings: SerializedError[] = [];

  const finish = (): ActionResult => {
    const finished = new Date();
    const status = cancelled ? "cancelled" : failure === undefined ? "succeeded" : "failed";
    const result: ActionResult = {
      action: actionName,
      status,
      phases,
      ...(deferResult ? { deferPhase: deferResult } : {}),
      outputArtifacts,
      leaked: [...leaked],
      ...(warnings.length > 0 ? { warnings } : {}),
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
    } catch (err) {
      failure = err;
      return finish();
    }

    const parentSignal = opts.signal;
    let params: TemplateParams;
    try {
      // A Profile reference is loaded (and its problems reported) before anything runs.
      const profile = await resolveProfile(opts.cluster, opts.profile, {
        signal: parentSignal,
        secretScope: scope,
      });
      params =
        opts.params ??
        (await buildTemplateParams(requireSubject(opts.subject), {
          cluster: opts.cluster,
          time: opts.time ?? startTime,
          secretScope: scope,
          ...(opts.options ? { options: opts.options } : {}),
          ...(opts.artifacts ? { artifacts: opts.artifacts } : {}),
          ...(opts.secrets ? { secrets: opts.secrets } : {}),
          ...(opts.configMaps ? { configMaps: opts.configMaps } : {}),
          ...(profile !== null ? { profile } : {}),
          ...(opts.podOverride ? { podOverride: opts.podOverride } : {}),
          ...(opts.podLabels ? { podLabels: opts.podLabels } : {}),
          ...(opts.podAnnotations ? { podAnnotations: opts.podAnnotations } : {}),
          ...(parentSignal ? { signal: parentSignal } : {}),
        }));
    } catch (err) {
      cancelled = parentSignal?.aborted ?? false;
      failure = cancelled ? cancellationError(actionName, err) : err;
      for (const p of action.phases) phases.push(skipped(p));
      if (action.deferPhase) deferResult = skipped(action.deferPhase);
      return finish();
    }

    registerProfileSecrets(profileOf(params.Profile), scope);
    const defaultTimeout = resolveDefaultTimeout(bp, opts);
    let objects: ActionObjects;
    try {
      objects = renderActionObjects(action, params, actionName, {
        limits: opts.templateLimits,
        signal: parentSignal,
      });
    } catch (err) {
      // Kanister renders every phase's objects before it starts the action (pkg/phase.go
      // GetPhases): a reference that does not render fails it with nothing run, deferPhase included.
      failure = err;
      for (const p of action.phases) phases.push(skipped(p));
      if (action.deferPhase) deferResult = skipped(action.deferPhase);
      return finish();
    }

    // The deferPhase is owed from the first phase on: record it in the cluster before anything runs.
    const lost = new AbortController();
    let recorder: ActionRecorder;
    try {
      recorder = await ActionRecorder.open({
        blueprint: bp,
        actionName,
        opts,
        time: params.Time,
        namespace: recordNamespace(opts.subject, params),
        logger,
        onLost: (error) => lost.abort(error),
      });
    } catch (err) {
      failure = err;
      for (const p of action.phases) phases.push(skipped(p));
      if (action.deferPhase) deferResult = skipped(action.deferPhase);
      return finish();
    }
    // Another host that took the session over owns the deferPhase: this one stops its phases.
    const runSignal = recorder.record
      ? AbortSignal.any([...(parentSignal ? [parentSignal] : []), lost.signal])
      : parentSignal;

    for (const [i, phase] of action.phases.entries()) {
      if (failure !== undefined || runSignal?.aborted) {
        if (runSignal?.aborted && failure === undefined) {
          cancelled = true;
          failure = cancellationError(actionName, runSignal.reason);
        }
        phases.push(skipped(phase));
        continue;
      }
      const outcome = await runPhase({
        phase,
        objects: objects.phases[i],
        index: i,
        signal: runSignal,
        params,
        opts,
        registry,
        logger,
        scope,
        actionName,
        defaultTimeout,
      });
      phases.push(outcome.result);
      await recorder.phaseEnded(outcome.result);
      if (outcome.error !== undefined) {
        cancelled = outcome.result.status === "cancelled";
        failure = cancelled
          ? cancellationError(actionName, runSignal?.reason ?? outcome.error)
          : wrapPhaseError(outcome.result, outcome.error);
      }
    }

    if (action.deferPhase && !(await recorder.claimDefer())) {
      // Taken over: the deferPhase runs where the session now is, not here.
      deferResult = { ...skipped(action.deferPhase), error: serializeError(lost.signal.reason) };
      failure ??= lost.signal.reason;
      cancelled = true;
    } else if (action.deferPhase) {
      const deferred = await runDeferPhase(
        action.deferPhase,
        runSignal,
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
      recorder.deferEnded(deferred.result);
      if (deferred.error !== undefined && failure === undefined)
        failure = wrapPhaseError(deferred.result, deferred.error);
    }

    if (failure === undefined) {
      try {
        outputArtifacts = renderArtifacts(action, params, {
          limits: opts.templateLimits,
          signal: parentSignal,
        });
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
    const closeError = await recorder.close();
    if (closeError) logger.warn(`session record not closed: ${closeError.message}`, { action: actionName });
    warnings = recorder.warnings(closeError);
    return finish();
  } finally {
    scope.dispose();
  }
}

// The record lives with the subject: its namespace (a Namespace subject: itself), else the
// namespace the prebuilt params name, else "default".
function recordNamespace(subject: Subject | undefined, params: TemplateParams): string {
  if (subject?.namespace) return subject.namespace;
  if (subject && subject.kind.toLowerCase() === "namespace") return subject.name;
  return (
    params.Namespace?.Name ??
    params.StatefulSet?.Namespace ??
    params.Deployment?.Namespace ??
    params.PVC?.Namespace ??
    params.Object?.metadata?.namespace ??
    "default"
  );
}

function requireSubject(subject: Subject | undefined): Subject {
  if (!subject) throw new QuiesceError(ErrorCodes.VALIDATION, "runBlueprintAction needs a subject or params");
  return subject;
}

function preferred(opts: RunActionOptions): { preferredVersion?: string } {
  return opts.preferredVersion ? { preferredVersion: opts.preferredVersion } : {};
}

export type { SerializedError };
