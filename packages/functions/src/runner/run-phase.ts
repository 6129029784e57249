/** One phase of a Blueprint action: objects read, arguments rendered and validated, the function run under a time limit. */
import {
  type CleanupScope,
  createDeadline,
  ErrorCodes,
  type Logger,
  QuiesceError,
  raceAbort,
  redactText,
  serializeError,
  settleWithin,
  toMilliseconds,
} from "@quiesce/core";
import { formatPath, joinPath } from "../blueprint/issues.js";
import { UNNAMED_DEFER_PHASE } from "../blueprint/load.js";
import type { BlueprintPhase } from "../blueprint/schema.js";
import type { FunctionContext, ProgressUpdate } from "../define-function.js";
import type { FunctionRegistry } from "../registry.js";
import type { SecretScope } from "../secrets.js";
import { renderTree } from "../template-engine.js";
import type { PhaseParams, TemplateParams } from "../template-params.js";
import { cancellationError } from "./defer-phase.js";
import { type RenderedObjects, readObjects } from "./object-refs.js";
import type { RunActionOptions } from "./options.js";
import type { PhaseResult } from "./result.js";

/** How long an aborted function may take to wind down (cleanup) before the runner moves on. */
const SETTLE_AFTER_ABORT_MS = 10_000;

/** Everything one phase run needs. */
export interface PhaseRun {
  phase: BlueprintPhase;
  /** The phase's `objects`, rendered before the action started (see renderActionObjects). */
  objects: RenderedObjects | undefined;
  index: number | "defer";
  signal: AbortSignal | undefined;
  /** The deferPhase's cleanup scope (its signal is `signal`): its budget running out is a failure, not a cancellation. */
  cleanup?: CleanupScope;
  params: TemplateParams;
  opts: RunActionOptions;
  registry: FunctionRegistry;
  logger: Logger;
  scope: SecretScope;
  actionName: string;
  defaultTimeout: number;
}

/** runDeferPhase's `run`: the deferPhase through {@link runPhase}, under the cleanup scope's signal. */
export function deferPhaseRun(base: Omit<PhaseRun, "phase" | "index" | "signal" | "cleanup">) {
  return (phase: BlueprintPhase, cleanup: CleanupScope) =>
    runPhase({ ...base, phase, index: "defer", signal: cleanup.signal, cleanup });
}

/** Runs one phase; never throws (the outcome carries the error). */
export async function runPhase(run: PhaseRun): Promise<{ result: PhaseResult; error?: unknown }> {
  const { phase, params, opts, actionName } = run;
  const deferred = run.index === "defer";
  const name = phase.name || UNNAMED_DEFER_PHASE;
  const path = deferred ? `actions.${actionName}.deferPhase` : `actions.${actionName}.phases[${run.index}]`;
  const base = { action: actionName, phase: name, func: phase.func, deferred };
  const startedAt = new Date();
  opts.events?.emit("phase:started", { ...base, startedAt: startedAt.toISOString() });
  // Output stays nil until the phase completes (Kanister pkg/param/param.go UpdatePhaseParams).
  const phaseParams: PhaseParams = { Secrets: {}, ConfigMaps: {}, Output: null };
  let output: Record<string, unknown> = {};
  let returned: Record<string, unknown> | null = null;
  try {
    const fn = run.registry.get(phase.func, opts.preferredVersion);
    // Kanister (pkg/phase.go, pkg/param/param.go): a phase's params live under .Phases by its name,
    // "" for an unnamed one; the deferPhase's under .DeferPhase.
    if (deferred) params.DeferPhase = phaseParams;
    else params.Phases[phase.name ?? ""] = phaseParams;
    await readObjects(run.objects, phaseParams, run, path);

    const rawArgs = fn.rawArgs
      ? phase.args
      : (renderAt(
          () => renderTree(phase.args, params, { limits: opts.templateLimits, signal: run.signal }),
          `${path}.args`,
        ) as unknown);
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
    // (which reports the command as possibly still running) fires before the phase's. It is the
    // time left when a call starts, not a fresh budget per call: a command started after a slow
    // lookup must still time out before the phase does.
    const innerEnd = performance.now() + timeoutMs - Math.min(2_000, Math.ceil(timeoutMs * 0.1));
    try {
      const ctx: FunctionContext = {
        cluster: opts.cluster,
        // Kanister pkg/phase.go Exec sets tp.CurrentPhase = tp.Phases[p.name] after the arguments
        // are rendered, on the copy of the params the function gets: templates (arguments,
        // artifacts) see a nil .CurrentPhase, the function (and Wait's conditions) this phase's —
        // for the deferPhase, .Phases[its name], usually nothing.
        params: { ...params, CurrentPhase: params.Phases[phase.name ?? ""] ?? null },
        phase: name,
        action: actionName,
        signal: deadline.signal,
        get timeoutMs() {
          return Number.isFinite(timeoutMs)
            ? Math.max(1, Math.floor(innerEnd - performance.now()))
            : timeoutMs;
        },
        ...(opts.podReadyTimeout !== undefined
          ? { podReadyTimeoutMs: toMilliseconds(opts.podReadyTimeout) }
          : {}),
        logger: run.logger,
        registry: run.registry,
        templateLimits: opts.templateLimits,
        progress: (update: ProgressUpdate) => {
          opts.events?.emit(
            "phase:progress",
            // A plugin's message may quote what it is working on: redacted like its errors.
            typeof update === "number"
              ? { ...base, percent: update }
              : { ...base, message: redactText(update) },
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
      returned = (out as Record<string, unknown> | undefined) ?? null;
      output = returned ?? {};
    } finally {
      deadline.dispose();
    }
    // A function that returns nothing leaves a nil map, as Kanister's functions that return nil
    // outputs do (`toJson` of it prints null).
    phaseParams.Output = returned;
    const result = finished(name, phase.func, "succeeded", startedAt, output);
    opts.events?.emit("phase:succeeded", { ...base, result });
    return { result };
  } catch (err) {
    const status = run.signal?.aborted && !run.cleanup?.timedOut ? "cancelled" : "failed";
    const cause = run.cleanup?.timedOut ? run.signal?.reason : err;
    const error = serializeError(
      status === "cancelled" ? cancellationError(actionName, run.signal?.reason) : cause,
    );
    const result: PhaseResult = { ...finished(name, phase.func, status, startedAt, output), error };
    run.logger.warn(`phase ${name} ${status}`, {
      action: actionName,
      func: phase.func,
      error: error.message,
    });
    opts.events?.emit("phase:failed", { ...base, result, error });
    return { result, error: run.cleanup?.timedOut ? cause : err };
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

/** The result of a phase that did not run. */
export function skipped(phase: BlueprintPhase): PhaseResult {
  return { name: phase.name || UNNAMED_DEFER_PHASE, func: phase.func, status: "skipped", output: {} };
}

/** The action's error for a failed phase. */
export function wrapPhaseError(result: PhaseResult, err: unknown): unknown {
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
