import { describe, expect, it } from "vitest";
import { runScenario } from "./scenario.js";

describe("freeze → CSI snapshot → thaw", () => {
  it("snapshots what was written before the freeze and none of the orders accepted during it", async () => {
    const outcome = await runScenario();

    expect(outcome.session).toMatchObject({ outcome: "succeeded", decidedBy: "all-succeeded" });
    const hooks = Object.fromEntries(outcome.session.hooks.map((h) => [h.name, h.status]));
    expect(hooks).toEqual({ freeze: "succeeded", thaw: "succeeded" });
    expect(outcome.snapshot?.status).toBe("succeeded");
    expect(outcome.snapshot?.outputArtifacts.snapshotInfo?.KeyValue).toMatchObject({
      name: expect.stringMatching(/^inventory-data-snapshot-\w{5}$/),
      pvc: "inventory-data",
      namespace: "shop",
      restoreSize: "1Gi",
    });
    // The snapshot was cut while the database was still frozen, holding orders in memory.
    expect(outcome.heldWhenSnapshotted).toBeGreaterThanOrEqual(3);

    const frozenAt = outcome.frozenAt!;
    const thawedAt = outcome.thawedAt!;
    expect(frozenAt.record).toBeGreaterThanOrEqual(20);

    // The snapshot ends exactly at the record acknowledged by the freeze, and is the live
    // journal's prefix: nothing written after the freeze, nothing missing before it.
    const snapshot = outcome.snapshotJournal;
    const live = outcome.liveJournal;
    expect(snapshot.at(-1)?.seq).toBe(frozenAt.record);
    expect(snapshot).toEqual(live.slice(0, snapshot.length));

    // The orders accepted inside the freeze window were written after the thaw — and are not in the snapshot.
    const duringFreeze = live.filter((r) => r.acceptedAt >= frozenAt.at && r.acceptedAt <= thawedAt);
    expect(duringFreeze.length).toBeGreaterThanOrEqual(3);
    const inSnapshot = new Set(snapshot.map((r) => r.seq));
    expect(duringFreeze.filter((r) => inSnapshot.has(r.seq))).toEqual([]);
    expect(duringFreeze.every((r) => r.seq > frozenAt.record)).toBe(true);

    // The restored claim was read in the cluster too, by a one-off pod that waited for it.
    expect(outcome.restoreCopy?.status).toBe("succeeded");
    expect(outcome.inspectCopy?.phases[0]?.output).toEqual({
      records: String(snapshot.length),
      lastRecord: String(frozenAt.record),
    });
    expect(outcome.deleted?.status).toBe("succeeded");
  });
});
