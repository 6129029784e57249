/** recoverSessions: the owed cleanup of sessions whose host died, run once, by one of however many recoverers. */
import { mapSettledLimit, serializeError, toLogger, toMilliseconds } from "@quiesce/core";
import {
  type ActionRecordPayload,
  BLUEPRINT_ACTION_SESSION,
  recoverBlueprintAction,
} from "@quiesce/functions";
import { recordSessionEvent, type SessionRecord, takeExpiredSessions } from "@quiesce/kube";
import { HOOK_SESSION, type HooksPayload } from "../session/ledger-payload.js";
import { recoverHookSession } from "./recover-hook-session.js";
import type { RecoveredSession, RecoverSessionsOptions, RecoveryReport } from "./recovery-options.js";

/**
 * Finds the sessions whose host is gone and runs the cleanup they owe: the cleanup hooks of
 * `runWithHooks` sessions (post `Always`/`OnFailure`, K10 onFailure or — after a step recorded as
 * succeeded — onSuccess, Velero post hooks) and the deferPhase of Blueprint actions, with the
 * templates, params, targets and artifacts the session recorded.
 *
 * A session is taken when its `coordination.k8s.io/v1` Lease was released, or has not changed for
 * its `leaseDurationSeconds` while this call watched it — so a call that finds held Leases waits
 * that long once (client-go's leader-election rule; no clock is compared with another host's). The
 * Lease is taken with an update carrying the resourceVersion it was read at: when several replicas
 * call this at once, each session goes to exactly one of them. The taker renews the Lease while it
 * runs the cleanup and records each hook's progress, so a recovery that dies in turn is resumed by
 * the next without running again what completed (a hook that was running is run again: it may have
 * run). Each session's outcome is recorded as a Kubernetes Event on its record and returned.
 *
 * Resolves with a report; rejects only when the sessions cannot be listed.
 *
 * @example
 * ```ts
 * // Blueprint functions registered first (quiesce/builtins, plugins), as where the sessions ran.
 * const report = await recoverSessions({ cluster: connect() });
 * for (const s of report.recovered) console.log(s.namespace, s.name, s.cleanup);
 * ```
 */
export async function recoverSessions(options: RecoverSessionsOptions): Promise<RecoveryReport> {
  const started = Date.now();
  const logger = toLogger(options.logger);
  const lost = new Map<SessionRecord, AbortController>();
  const taken = await takeExpiredSessions({
    cluster: options.cluster,
    namespaces: options.namespaces,
    identity: options.identity,
    leaseDurationSeconds: options.leaseDurationSeconds,
    renewIntervalMs: options.renewInterval === undefined ? undefined : toMilliseconds(options.renewInterval),
    kinds: [HOOK_SESSION, BLUEPRINT_ACTION_SESSION],
    retryFailed: options.retryFailed,
    signal: options.signal,
    logger,
    onLost: (record, error) => lost.get(record)?.abort(error),
    onWait: (info) => options.events?.emit("sessions:watching", info),
  });
  for (const skipped of taken.skipped) options.events?.emit("session:skipped", skipped);
  const recovered: RecoveredSession[] = [];
  await mapSettledLimit(taken.taken, Math.max(1, options.concurrency ?? 4), async (record) => {
    const controller = new AbortController();
    lost.set(record, controller);
    const signal = AbortSignal.any([...(options.signal ? [options.signal] : []), controller.signal]);
    recovered.push(await recoverOne(record, options, signal));
  });
  const finished = Date.now();
  return {
    identity: taken.taken[0]?.lease.identity ?? options.identity ?? "",
    recovered,
    skipped: taken.skipped,
    removedLeases: taken.removedLeases,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - started,
  };
}

async function recoverOne(
  record: SessionRecord,
  options: RecoverSessionsOptions,
  signal: AbortSignal,
): Promise<RecoveredSession> {
  const startedAt = new Date().toISOString();
  const envelope = record.envelope;
  const previousHolder = envelope.previousHolder ?? "";
  const base = { namespace: record.namespace, name: record.name, kind: envelope.kind, previousHolder };
  options.events?.emit("session:recovering", base);
  let out: RecoveredSession;
  try {
    if (envelope.kind === HOOK_SESSION) {
      const hooks = record as SessionRecord<HooksPayload>;
      const session = await recoverHookSession(hooks, options, signal);
      out = {
        ...base,
        operation: hooks.payload.operationId,
        cleanup: session.sessionRecord?.state === "done" ? "completed" : "failed",
        session,
        startedAt,
        finishedAt: new Date().toISOString(),
      };
    } else {
      const action = record as SessionRecord<ActionRecordPayload>;
      const result = await recoverBlueprintAction(action, {
        cluster: options.cluster,
        registry: options.functionRegistry,
        signal,
        logger: options.logger,
        events: options.blueprintEvents,
        profile: options.profile,
      });
      const completed = action.payload.defer.state === "done";
      out = {
        ...base,
        operation: action.payload.actionName,
        cleanup: completed ? "completed" : "failed",
        action: result,
        startedAt,
        finishedAt: new Date().toISOString(),
      };
      await recordSessionEvent(
        options.cluster,
        { namespace: record.namespace, name: record.name, uid: record.uid },
        completed
          ? {
              type: "Normal",
              reason: "SessionRecovered",
              message: `the deferPhase of action ${out.operation} ran`,
            }
          : {
              type: "Warning",
              reason: "SessionRecoveryFailed",
              message: `the deferPhase of action ${out.operation} is still owed: ${result.deferPhase?.error?.message ?? result.error?.message ?? "it did not run"}`,
            },
        { identity: record.lease.identity, logger: options.logger },
      );
    }
  } catch (err) {
    // Unexpected (the runners never reject for a hook's failure): keep the record for a later try.
    await record.close("failed").catch(() => {});
    out = {
      ...base,
      operation: "",
      cleanup: "failed",
      error: serializeError(err),
      startedAt,
      finishedAt: new Date().toISOString(),
    };
  }
  options.events?.emit("session:recovered", out);
  return out;
}
