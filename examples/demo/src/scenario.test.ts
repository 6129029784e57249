import { resticTestsUnavailable } from "@quiesce/testing";
import { describe, expect, it } from "vitest";
import { runDemo } from "./scenario.js";

const podNames = ["inventory-db-0/db", "inventory-db-1/db"];

describe("the demo scenario", () => {
  it("backs up a frozen database on both pods, thaws it, restores it from the backup, then backs it up and restores it with BackupData and RestoreData", async () => {
    const lines: string[] = [];
    const outcome = await runDemo({ out: (line) => lines.push(line) });

    expect(outcome.problems).toEqual([]);
    expect(outcome.ok).toBe(true);
    expect(outcome.backup).toMatchObject({ outcome: "succeeded", decidedBy: "all-succeeded" });
    const hooks = Object.fromEntries(outcome.backup.hooks.map((h) => [h.name, h]));
    for (const name of ["freeze", "thaw"]) {
      expect(hooks[name]?.status).toBe("succeeded");
      expect(hooks[name]?.targets.map((t) => t.name).sort()).toEqual(podNames);
      expect(hooks[name]?.targets.every((t) => t.exitCode === 0)).toBe(true);
    }
    expect(hooks["notify-on-failure"]).toMatchObject({
      status: "skipped",
      skippedBecause: "execution-policy",
    });
    expect(outcome.webhook).toEqual([]);

    // The copy happened while frozen: it ends exactly at the acknowledged record on each claim.
    expect(outcome.copied.map((c) => c.claim).sort()).toEqual(["data-inventory-db-0", "data-inventory-db-1"]);
    for (const c of outcome.copied) {
      expect(c.consistent).toBe(true);
      expect(c.records).toBe(c.frozenAtRecord);
      expect(c.records).toBeGreaterThan(0);
    }

    // The restore brought the damaged journals back and the database up again.
    expect(outcome.damage).toHaveLength(2);
    expect(outcome.restore?.status).toBe("succeeded");
    expect(outcome.restore?.phases.map((p) => [p.name, p.status])).toEqual([
      ["scaleDown", "succeeded"],
      ["restoreData", "succeeded"],
    ]);
    expect(outcome.restore?.phases[0]?.output).toEqual({ originalReplicaCount: 2 });
    expect(outcome.restore?.deferPhase).toMatchObject({ name: "scaleUp", status: "succeeded" });
    expect(outcome.restored).toHaveLength(2);
    for (const r of outcome.restored) {
      expect(r.matches).toBe(true);
      expect(r.backupRecords).toBe(outcome.copied.find((c) => c.claim === r.claim)?.records);
      expect(r.newRecords).toBeGreaterThan(0);
    }

    // The data functions: restic in the sidecars and one-off pods, the local S3 server.
    const unavailable = await resticTestsUnavailable();
    if (unavailable !== undefined) {
      expect(outcome.data.skipped).toBe(unavailable);
    } else {
      const { data } = outcome;
      expect(data.skipped).toBeUndefined();
      expect(data.backup?.phases.map((p) => [p.name, p.status])).toEqual([
        ["freeze", "succeeded"],
        ["backupPod0", "succeeded"],
        ["backupPod1", "succeeded"],
      ]);
      expect(data.backup?.deferPhase).toMatchObject({ name: "thaw", status: "succeeded" });
      // Every reported backup is a snapshot in the repository, holding the journal.
      expect(data.snapshots.map((s) => s.claim).sort()).toEqual([
        "data-inventory-db-0",
        "data-inventory-db-1",
      ]);
      for (const [i, s] of data.snapshots.entries()) {
        expect(s.backupID).toBe(data.backup?.phases[i + 1]?.output.backupID);
        expect(s.listed).toBe(true);
        expect(s.records).toBeGreaterThan(0);
      }
      expect(data.restore?.phases.map((p) => [p.name, p.status])).toEqual([
        ["scaleDown", "succeeded"],
        ["restorePod0", "succeeded"],
        ["restorePod1", "succeeded"],
      ]);
      expect(data.restore?.deferPhase).toMatchObject({ name: "scaleUp", status: "succeeded" });
      expect(data.restored).toHaveLength(2);
      for (const r of data.restored) {
        expect(r.matches).toBe(true);
        expect(r.backupRecords).toBe(data.snapshots.find((s) => s.claim === r.claim)?.records);
        expect(r.newRecords).toBeGreaterThan(0);
      }
    }

    expect(lines.some((l) => /backup\s+pre\s+freeze\s+succeeded/.test(l))).toBe(true);
    expect(lines.some((l) => /restore\s+deferPhase\s+scaleUp\s+succeeded/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes("\x1b["))).toBe(false);
    expect(lines.at(-1)).toMatch(/^VERDICT: PASS/);
  }, 120_000);

  it("with a failing backup step, still thaws both pods, notifies the webhook once and fails", async () => {
    const lines: string[] = [];
    const outcome = await runDemo({ failBackup: true, out: (line) => lines.push(line) });

    expect(outcome.ok).toBe(false);
    expect(outcome.backup).toMatchObject({ outcome: "failed", decidedBy: "step-failed" });
    expect(outcome.backup.step.status).toBe("failed");
    const hooks = Object.fromEntries(outcome.backup.hooks.map((h) => [h.name, h]));
    expect(hooks.freeze?.status).toBe("succeeded");
    expect(hooks.thaw?.status).toBe("succeeded");
    expect(hooks.thaw?.targets.map((t) => t.name).sort()).toEqual(podNames);
    expect(hooks["notify-on-failure"]?.status).toBe("succeeded");

    expect(outcome.webhook).toHaveLength(1);
    const [notification] = outcome.webhook;
    expect(notification).toMatchObject({
      method: "POST",
      path: "/hooks/backup-failed",
      contentType: "application/json",
    });
    expect(notification?.json).toEqual({
      session: "inventory-db-backup",
      namespace: "shop",
      target: "StatefulSet/inventory-db",
      phase: "Failed",
      error: expect.stringContaining("object store unreachable"),
    });

    // Nothing to restore from: the restore is not attempted, nor the data step.
    expect(outcome.restore).toBeUndefined();
    expect(outcome.data.skipped).toBeDefined();
    expect(outcome.data.backup).toBeUndefined();
    expect(outcome.problems.join("\n")).toContain("step-failed");
    expect(lines.at(-1)).toMatch(/^VERDICT: FAIL/);
  });

  it("with a failing restore copy, still scales the database back up in the deferPhase and fails", async () => {
    const lines: string[] = [];
    const outcome = await runDemo({ failRestore: true, out: (line) => lines.push(line) });

    expect(outcome.ok).toBe(false);
    expect(outcome.backup.outcome).toBe("succeeded");
    expect(outcome.restore?.status).toBe("failed");
    expect(outcome.restore?.phases.map((p) => [p.name, p.status])).toEqual([
      ["scaleDown", "succeeded"],
      ["restoreData", "failed"],
    ]);
    expect(outcome.restore?.phases[1]?.error?.details?.logs).toContain("the backup has no data");
    expect(outcome.restore?.deferPhase).toMatchObject({ name: "scaleUp", status: "succeeded" });
    expect(outcome.restored).toEqual([]);
    expect(outcome.webhook).toEqual([]);
    expect(lines.some((l) => /restore\s+deferPhase\s+scaleUp\s+succeeded/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^VERDICT: FAIL — restore failed/);
  });
});
