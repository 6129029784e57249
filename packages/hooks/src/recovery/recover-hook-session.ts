/**
 * Running the cleanup a hook session owes after its host died: the session is rebuilt from its
 * record — the units whose hooks before the step started, their cleanup hooks' specs (HookTemplates
 * and Blueprints embedded), preHook artifacts and how the step ended — and the format's own
 * policies run its hooks after the step, skipping those an earlier holder completed.
 */
import { ErrorCodes, QuiesceError, serializeError, toLogger } from "@quiesce/core";
import type { ProfileInput } from "@quiesce/functions";
import type { SessionRecord } from "@quiesce/kube";
import type { FunctionHookSpec, HookRunOutput, HookSpec } from "../hook-spec.js";
import type { RunWithHooksOptions } from "../lifecycle-options.js";
import type { HookPhase, SessionResult } from "../result.js";
import { HookSession } from "../session/hook-session.js";
import { HookLedger } from "../session/ledger.js";
import type { HooksPayload, StoredUnit } from "../session/ledger-payload.js";
import type { SessionPlan } from "../session/session-units.js";
import { newUnit, type Unit } from "../session/unit.js";
import type { RecoverSessionsOptions } from "./recovery-options.js";

type HostFunction = FunctionHookSpec["run"];

// A host function hook is recorded by name: this process runs the one it was given under that name.
function specOf(stored: unknown, functionHooks: RecoverSessionsOptions["functionHooks"]): HookSpec {
  const spec = stored as { hostFunction?: boolean; name?: string } | null;
  if (!spec?.hostFunction) return stored as HookSpec;
  const { hostFunction: _marker, ...rest } = spec;
  const name = String(rest.name);
  const given = functionHooks?.[name];
  const unavailable: HostFunction = async (): Promise<HookRunOutput> => ({
    status: "failed",
    noRetry: true,
    error: new QuiesceError(
      ErrorCodes.SESSION_HOOK_UNAVAILABLE,
      `host function hook "${name}" is not available to this recovery: pass it in functionHooks`,
      { details: { hook: name } },
    ),
  });
  return { ...(rest as object), name, run: given ?? unavailable } as FunctionHookSpec;
}

function restoreUnit(stored: StoredUnit): Unit {
  const unit = newUnit(stored.namespace, stored.subject, stored.target ? { ...stored.target } : undefined);
  unit.reached = true;
  unit.preFailed = stored.preFailed;
  unit.onSuccessFailed = stored.onSuccessFailed;
  unit.firstError = stored.firstError;
  unit.artifacts = { ...stored.artifacts };
  return unit;
}

/**
 * Runs the owed cleanup of a hook session's record (taken over with `takeExpiredSessions`) and
 * closes the record: deleted when every owed hook ran to success, kept as `failed` otherwise.
 * Resolves with the recovered session's result; never rejects for a failure.
 */
export async function recoverHookSession(
  record: SessionRecord<HooksPayload>,
  options: RecoverSessionsOptions,
  signal: AbortSignal,
): Promise<SessionResult> {
  const p = record.payload;
  const byUnit = new Map<Unit, StoredUnit>();
  const units = p.units.map((stored) => {
    const unit = restoreUnit(stored);
    byUnit.set(unit, stored);
    return unit;
  });
  const plan: SessionPlan = {
    format: p.format,
    namespaces: [...new Set(units.map((u) => u.namespace))].sort(),
    units,
    specsFor: (unit: Unit, phase: HookPhase) =>
      (byUnit.get(unit)?.cleanup ?? [])
        .filter((s) => s.phase === phase)
        .map((s, index) => ({ spec: specOf(s.spec, options.functionHooks), index })),
  };
  const s = p.settings;
  const hookOptions: RunWithHooksOptions = {
    cluster: options.cluster,
    hooks: {},
    operationId: p.operationId,
    sessionName: p.sessionName,
    invoker: p.invoker,
    // The crash ended the attempt: no retry of it is sure to come, so onFailure hooks run.
    finalAttempt: true,
    defaultHookTimeout: s.defaultHookTimeout,
    cleanupTimeout: s.cleanupTimeout,
    k10MaxRetry: s.k10MaxRetry,
    outputTailBytes: s.outputTailBytes,
    backoff: s.backoff,
    insecureSkipTLSVerify: s.insecureSkipTLSVerify,
    actionConcurrency: s.actionConcurrency,
    // The Profile the session was given by reference is read again; one given as a value was not
    // recorded (credentials), so the recoverer passes it.
    ...(options.profile !== undefined
      ? { profile: options.profile as ProfileInput }
      : s.profile
        ? { profile: s.profile }
        : {}),
    signal,
    logger: options.logger,
    events: options.hookEvents,
    executorRegistry: options.executorRegistry,
    functionRegistry: options.functionRegistry,
    functions: options.functions,
    tls: options.tls,
    allowLocalExec: options.allowLocalExec,
    transformAction: options.transformAction,
    sessionRecord: {
      leaseDurationSeconds: options.leaseDurationSeconds,
      renewInterval: options.renewInterval,
      identity: record.lease.identity,
    },
  };
  const session = new HookSession(hookOptions, {
    plan,
    ledger: (us) => HookLedger.recovering(record, us, toLogger(options.logger)),
    tolerateUnresolvable: true,
  });
  await session.resolve();
  if (p.step.status === "pending") {
    session.step.status = "failed";
    session.step.error = serializeError(
      new QuiesceError(
        ErrorCodes.SESSION_HOST_LOST,
        `the host of session ${p.operationId} stopped before its step ended; recovered by ${record.lease.identity}`,
        { details: { operationId: p.operationId, previousHolder: record.envelope.previousHolder } },
      ),
    );
  } else {
    session.step.status = p.step.status;
    if (p.step.skippedBecause) session.step.skippedBecause = p.step.skippedBecause;
    if (p.step.error) session.step.error = p.step.error;
  }
  session.stepBlocked = p.stepBlocked;
  await session.post();
  await session.close();
  return session.finish();
}
