import { describe, expect, it } from "vitest";
import { runDemo } from "./scenario.js";

const podNames = ["inventory-db-0/db", "inventory-db-1/db"];

describe("the demo scenario", () => {
  it("backs up a frozen database on both pods, thaws it, and restores it from the backup", async () => {
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

    expect(lines.some((l) => /backup\s+pre\s+freeze\s+succeeded/.test(l))).toBe(true);
    expect(lines.some((l) => /restore\s+deferPhase\s+scaleUp\s+succeeded/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes("\x1b["))).toBe(false);
    expect(lines.at(-1)).toMatch(/^VERDICT: PASS/);
  });

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

    // Nothing to restore from: the restore is not attempted.
    expect(outcome.restore).toBeUndefined();
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
