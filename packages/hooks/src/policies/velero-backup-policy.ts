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
 * Velero's `status.hookStatus`: a hook is attempted once Velero reached it (hookTracker.Add) —
 * run, or not run after an earlier Fail — and failed when it failed.
 */
export function reportHookStatus(result: SessionResult): void {
  const velero = result.hooks.filter((h) => h.kind === "velero");
  const attempted = velero.filter(
    (h) => h.status !== "skipped" || h.skippedBecause === "earlier-hook-failed",
  );
  result.hookStatus = {
    hooksAttempted: attempted.length,
    hooksFailed: velero.filter((h) => h.status === "failed").length,
  };
}
