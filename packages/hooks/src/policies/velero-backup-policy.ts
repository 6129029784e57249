/**
 * Velero's backup hook rules, pod by pod (pkg/backup/backup.go backupItemBlock,
 * handleItemBlockPreHooks, handleItemBlockPostHooks; internal/hook/item_hook_handler.go
 * HandleHooks; internal/hook/hook_tracker.go):
 *
 * - a pod's pre hooks run in order; after one with `onError: Fail` fails, the pod's remaining pre
 *   hooks are not run (Velero only collects them), the pod itself is left out of the backup and
 *   none of its post hooks run — every other pod goes on as if nothing happened;
 * - `onError` unset or `Continue`: the failure is recorded and the next hook runs;
 * - post hooks run, in order and with the same Fail/Continue rule, for each pod whose pre hooks
 *   passed, whatever happened to the backup of its items;
 * - any failed hook makes the backup PartiallyFailed (Velero logs it as an error, and
 *   pkg/controller/backup_controller.go turns any logged error into PartiallyFailed);
 * - `hooksAttempted` counts every hook of every pod reached (including those not run after a
 *   Fail), `hooksFailed` those that failed.
 */
import type { HookRecord, SessionResult } from "../result.js";
import type { Slot, Unit } from "../session/unit.js";
import type { HookPolicy, RankedDecision, SessionApi } from "./policy.js";
import { RANK } from "./policy.js";

const stops = (slot: Slot) => slot.record.status === "failed" && slot.hook?.velero?.onError === "Fail";

/** Runs one pod's hooks of a phase in order, under Velero's Fail rule; true when a Fail hook failed. */
async function runInOrder(unit: Unit, slots: readonly Slot[], session: SessionApi, signal: AbortSignal) {
  let failed = false;
  for (const slot of slots) {
    if (signal.aborted) session.skip(slot, "cancelled");
    // "The remaining hooks will only be executed if modeFailError is nil" (item_hook_handler.go).
    else if (failed) session.skip(slot, "earlier-hook-failed");
    else {
      await session.runSlot(unit, slot, signal);
      if (slot.record.status === "failed") {
        // Velero logs each failure at error level: that is what makes the backup PartiallyFailed.
        session.logger.error(
          `Error executing hook ${slot.record.name}: ${slot.record.error?.message ?? ""}`,
          {
            hookSource: slot.hook?.velero?.source,
            hookPhase: slot.record.phase,
          },
        );
      }
      if (stops(slot)) {
        failed = true;
        unit.firstError ??= slot.record.error?.message;
      }
    }
  }
  return failed;
}

/** Velero backup `pre` / `post` exec hooks, one unit per pod. */
export const veleroBackupPolicy: HookPolicy = {
  name: "velero-backup",

  async before(unit, session) {
    unit.reached = !session.signal.aborted;
    const failed = await runInOrder(unit, unit.slots.pre, session, session.signal);
    if (failed) {
      // backupItemBlock: "if pre hook fails, flag pod as backed-up and move on".
      unit.preFailed = true;
      if (unit.target) unit.target.excluded = true;
    }
  },

  async after(unit, session) {
    if (unit.preFailed) {
      for (const slot of unit.slots.post) session.skip(slot, "pre-hook-failed");
      return;
    }
    if (!unit.reached) {
      for (const slot of unit.slots.post) session.skip(slot, "cancelled");
      return;
    }
    // Post hooks undo pre hooks (an unfreeze): they run under the cleanup signal.
    await runInOrder(unit, unit.slots.post, session, session.cleanupSignal);
  },

  failures: veleroFailures,
  report: reportHookStatus,
};

/** Any failed Velero hook makes the operation partially failed; the first one is the error. */
export function veleroFailures(records: readonly HookRecord[]): RankedDecision[] {
  const order = records.findIndex((r) => r.kind === "velero" && r.status === "failed");
  const record = records[order];
  return record
    ? [
        {
          rank: RANK.partial,
          order,
          outcome: "partiallyFailed",
          decidedBy: "partially-failed",
          error: record.error,
        },
      ]
    : [];
}

/**
 * Velero's `status.hookStatus` as internal/hook/hook_tracker.go counts it: a hook is attempted
 * once Velero reached it (`Add`) — `reached` says which — and failed when its first recorded
 * result failed (`Record`). The tracker keys a hook by pod, source, container as declared, phase,
 * rule name and index: two rules of one name whose hooks share all of these count once, and only
 * the first result of the key counts.
 */
export function trackHookStatus(
  result: SessionResult,
  units: readonly Unit[],
  reached: (record: HookRecord) => boolean,
): void {
  const added = new Set<string>();
  const recorded = new Set<string>();
  let failed = 0;
  for (const unit of units) {
    for (const slot of [...unit.slots.pre, ...unit.slots.post]) {
      const v = slot.hook?.velero;
      if (slot.record.kind !== "velero" || !reached(slot.record)) continue;
      const key = v
        ? JSON.stringify([
            v.namespace,
            v.pod,
            v.source,
            v.declaredContainer ?? v.container,
            v.phase,
            v.rule,
            v.index,
          ])
        : slot.record.name;
      added.add(key);
      const ran = slot.record.status === "succeeded" || slot.record.status === "failed";
      if (!ran || recorded.has(key)) continue;
      recorded.add(key);
      if (slot.record.status === "failed") failed++;
    }
  }
  result.hookStatus = { hooksAttempted: added.size, hooksFailed: failed };
}

/** Backups: a hook not run after an earlier Fail was still added to the tracker. */
export function reportHookStatus(result: SessionResult, units: readonly Unit[]): void {
  trackHookStatus(result, units, (h) => h.status !== "skipped" || h.skippedBecause === "earlier-hook-failed");
}
