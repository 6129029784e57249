/**
 * KubeStash's rules (kubestash.dev docs "Hook's Behaviors"; kubestash/apimachinery
 * apis/core/v1alpha1/types.go HookInfo.ExecutionPolicy): pre hooks in order, the first failure
 * skips the rest and the backup and fails the session; post hooks each per executionPolicy
 * (`Always` default, `OnSuccess`, `OnFailure`), all of them even after one failed; a failed post
 * hook fails the session.
 */
import type { HookRecord } from "../result.js";
import { firstFailure, type HookPolicy, RANK, type RankedDecision, runGate } from "./policy.js";

/** KubeStash `pre` / `post` hooks. */
export const kubestashPolicy: HookPolicy = {
  name: "kubestash",

  async before(unit, session) {
    await runGate(unit, unit.slots.pre, session);
  },

  async after(unit, session) {
    const failed = session.statusOf(unit).phase === "Failed";
    for (const slot of unit.slots.post) {
      const policy = slot.hook?.executionPolicy ?? "Always";
      const runs = policy === "Always" || (policy === "OnSuccess" ? !failed : failed);
      if (!runs) session.skip(slot, "execution-policy");
      // OnSuccess hooks belong to a successful operation: a cancelled one does not get them.
      else if (policy === "OnSuccess" && session.signal.aborted) session.skip(slot, "cancelled");
      else {
        // Always and OnFailure hooks are cleanup: they run under the cleanup signal.
        const signal = policy === "OnSuccess" ? session.signal : session.cleanupSignal;
        await session.runSlot(unit, slot, signal, { status: session.statusOf(unit) });
      }
    }
  },

  failures(records: readonly HookRecord[]): RankedDecision[] {
    return [
      ...firstFailure(records, ["pre"], RANK.pre, "pre-hook-failed"),
      ...firstFailure(records, ["post"], RANK.post, "post-hook-failed"),
    ];
  },
};
