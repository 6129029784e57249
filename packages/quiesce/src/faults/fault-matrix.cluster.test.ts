/**
 * The fault matrix: each fault the local cluster can inject, thrown at a Blueprint action (freeze,
 * copy, deferPhase thaw) and at a runWithHooks session (pre freeze and copy, post thaw `Always`).
 * For every cell: the run ends, reports truthfully (the failing step, its code, whether the
 * command may still run), runs its cleanup (the thaw) — or, when the cleanup cannot run, says so —
 * and leaves no one-off pod or Job behind unreported.
 */
import "../builtins.js";
import type { LocalCluster } from "@quiesce/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ActionResult, HookRecord, SessionResult } from "../index.js";
import {
  copyHooks,
  copyPhases,
  leftovers,
  ran,
  registerStreamFunction,
  runAction,
  runSession,
  startMatrixCluster,
  waitScaled,
} from "./test-support/matrix-env.js";

let lc: LocalCluster;
let unregister: () => void;
beforeAll(async () => {
  lc = await startMatrixCluster();
  unregister = registerStreamFunction();
});
beforeEach(() => {
  ran.length = 0;
});
afterEach(() => lc.faults.clear());
afterAll(async () => {
  unregister();
  await lc.stop();
});

const phase = (r: ActionResult, name: string) => r.phases.find((p) => p.name === name);
const hook = (r: SessionResult, name: string) => r.hooks.find((h) => h.name === name) as HookRecord;

/** The Blueprint cell: the copy failed with `code`, the thaw ran after it and succeeded, nothing is left. */
async function expectActionCleanedUp(result: ActionResult, code: string): Promise<void> {
  expect(result.status).toBe("failed");
  expect(phase(result, "copy")?.status).toBe("failed");
  expect(phase(result, "copy")?.error?.code).toBe(code);
  expect(result.deferPhase).toMatchObject({ name: "thaw", status: "succeeded" });
  expect(ran.at(-1)).toBe("thaw");
  expect(result.leaked).toEqual([]);
  expect(await leftovers(lc)).toEqual([]);
}

/**
 * The runWithHooks cell: the copy hook failed with `code` (for a K10 hook: its failed phase's, the
 * hook's own being the action's QUIESCE_HOOK_FAILED), the step was skipped, the thaw ran and succeeded.
 */
async function expectSessionCleanedUp(result: SessionResult, code: string): Promise<void> {
  expect([result.outcome, result.decidedBy]).toEqual(["failed", "pre-hook-failed"]);
  const copy = hook(result, "copy");
  expect(copy.status).toBe("failed");
  if (copy.kind === "k10") {
    expect(copy.error?.code).toBe("QUIESCE_HOOK_FAILED");
    expect(
      copy.targets.find((t) => t.name === "copy (StreamToWorker)" || t.name === "copy (ScaleWorkload)")?.error
        ?.code,
    ).toBe(code);
  } else expect(copy.error?.code).toBe(code);
  expect(result.step.status).toBe("skipped");
  expect(hook(result, "thaw").status).toBe("succeeded");
  expect(ran).not.toContain("step");
  expect(ran.at(-1)).toBe("thaw");
  expect(result.leaked).toEqual([]);
  expect(await leftovers(lc)).toEqual([]);
}

describe("a response lost after the server acted (the create of a one-off pod or Job)", () => {
  it("Blueprint action: the KubeTask fails, its pod (created all the same) is deleted, the thaw runs", async () => {
    lc.faults.add({ verb: "create", resource: "pods", loseResponse: true });
    const result = await runAction(lc, [copyPhases.task]);
    await expectActionCleanedUp(result, "QUIESCE_KUBE_API");
    expect(lc.faults.requests.filter((r) => r.verb === "delete" && r.resource === "pods")).toHaveLength(1);
  });

  it("runWithHooks: the Function-executor hook fails, its Job is deleted, the thaw runs", async () => {
    lc.faults.add({ verb: "create", resource: "jobs", loseResponse: true });
    const result = await runSession(lc, copyHooks.job);
    await expectSessionCleanedUp(result, "QUIESCE_KUBE_API");
  });
});

describe("a connection that stalls forever (an exec session blackholed mid-stream)", () => {
  it("Blueprint action: the copy fails with CONNECTION_LOST, possibly still running, and the thaw runs", async () => {
    lc.faults.execFault({ pod: "worker-0", stream: "stdout", afterBytes: 3, action: "stall" });
    const result = await runAction(lc, [copyPhases.exec]);
    await expectActionCleanedUp(result, "QUIESCE_KUBE_CONNECTION_LOST");
    expect(phase(result, "copy")?.error?.details?.possiblyStillRunning).toBe(true);
  });

  it("runWithHooks: the copy hook fails with CONNECTION_LOST, possibly still running, and the thaw runs", async () => {
    lc.faults.execFault({ pod: "worker-0", stream: "stdout", afterBytes: 3, action: "stall" });
    const result = await runSession(lc, copyHooks.exec);
    await expectSessionCleanedUp(result, "QUIESCE_KUBE_CONNECTION_LOST");
    expect(hook(result, "copy").targets[0]?.possiblyStillRunning).toBe(true);
  });
});

describe("a cut on stderr", () => {
  it("Blueprint action: the copy fails as a stream ended without a status, with its output so far", async () => {
    lc.faults.execFault({ pod: "worker-0", stream: "stderr", afterBytes: 4, action: "cut" });
    const result = await runAction(lc, [copyPhases.exec]);
    await expectActionCleanedUp(result, "QUIESCE_KUBE_API");
    expect(phase(result, "copy")?.error?.message).toContain("exec stream ended without a status");
    expect(phase(result, "copy")?.error?.details).toMatchObject({ stdout: "copying…\n", stderr: "prog" });
  });

  it("runWithHooks: the copy hook fails the same way, and the thaw runs", async () => {
    lc.faults.execFault({ pod: "worker-0", stream: "stderr", afterBytes: 4, action: "cut" });
    const result = await runSession(lc, copyHooks.exec);
    await expectSessionCleanedUp(result, "QUIESCE_KUBE_API");
    expect(hook(result, "copy").targets[0]?.stderr).toBe("prog");
  });
});

describe("a cut on stdin", () => {
  it("Blueprint action: a function streaming to a pod fails when the cut lands mid-stdin", async () => {
    lc.faults.execFault({ pod: "worker-0", stream: "stdin", afterBytes: 1000, action: "cut" });
    const result = await runAction(lc, [copyPhases.stream]);
    await expectActionCleanedUp(result, "QUIESCE_KUBE_API");
  });

  it("runWithHooks: the same function in a K10 hook fails, and the thaw runs", async () => {
    lc.faults.execFault({ pod: "worker-0", stream: "stdin", afterBytes: 1000, action: "cut" });
    const result = await runSession(lc, copyHooks.blueprint(copyPhases.stream));
    await expectSessionCleanedUp(result, "QUIESCE_KUBE_API");
  });
});

describe("an exec upgrade that hangs", () => {
  it("Blueprint action: the copy fails with CONNECTION_LOST (the upgrade was never answered)", async () => {
    lc.faults.add({ verb: "exec", name: "worker-0", stall: true });
    const result = await runAction(lc, [copyPhases.exec]);
    await expectActionCleanedUp(result, "QUIESCE_KUBE_CONNECTION_LOST");
    expect(phase(result, "copy")?.error?.details?.upgraded).toBe(false);
  });

  it("runWithHooks: the copy hook fails the same way, and the thaw runs", async () => {
    lc.faults.add({ verb: "exec", name: "worker-0", stall: true });
    const result = await runSession(lc, copyHooks.exec);
    await expectSessionCleanedUp(result, "QUIESCE_KUBE_CONNECTION_LOST");
  });
});

describe("pods stuck Terminating", () => {
  afterEach(async () => {
    lc.faults.clear();
    await lc.cluster.scaleWorkload({ kind: "Deployment", namespace: "shop", name: "cache" }, 2);
    await waitScaled(lc, 2);
  });

  it("Blueprint action: a scale-down whose pods never go ends at its time limit, and the thaw runs", async () => {
    lc.faults.stickTerminating({ namespace: "shop" });
    const result = await runAction(lc, [copyPhases.scaleDown], "1s");
    await expectActionCleanedUp(result, "QUIESCE_TIMEOUT");
  });

  it("runWithHooks: the same scale-down in a K10 hook ends at the hook's timeout, and the thaw runs", async () => {
    lc.faults.stickTerminating({ namespace: "shop" });
    const result = await runSession(lc, copyHooks.blueprint(copyPhases.scaleDown, "1s"));
    await expectSessionCleanedUp(result, "QUIESCE_TIMEOUT");
  });
});

describe("a node lost (its pods turn Unknown)", () => {
  afterEach(async () => {
    lc.faults.clear();
    await lc.cluster.waitFor(
      { version: "v1", resource: "pods", namespace: "shop", name: "db-0" },
      (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
    );
  });
  const loseNodeOnceCopying = () => {
    const timer = setInterval(() => {
      if (!ran.includes("copy")) return;
      clearInterval(timer);
      lc.faults.loseNode();
    }, 5);
    return () => clearInterval(timer);
  };

  it("Blueprint action: the copy fails (pod Unknown, possibly still running); the thaw cannot reach db-0 and says so", async () => {
    const stop = loseNodeOnceCopying();
    const result = await runAction(lc, [copyPhases.exec]);
    stop();
    expect(result.status).toBe("failed");
    expect(phase(result, "copy")?.error).toMatchObject({
      code: "QUIESCE_KUBE_POD_NOT_RUNNING",
      details: { possiblyStillRunning: true, podPhase: "Unknown" },
    });
    // The cleanup ran and reports truthfully why it could not thaw: db-0 sits on the lost node.
    expect(result.deferPhase?.status).toBe("failed");
    expect(result.deferPhase?.error?.message).toContain("Unknown");
    expect(ran).not.toContain("thaw");
    expect(result.leaked).toEqual([]);
    expect(await leftovers(lc)).toEqual([]);
  });

  it("runWithHooks: the copy hook fails the same way; the thaw hook finds no running pod and fails", async () => {
    const stop = loseNodeOnceCopying();
    const result = await runSession(lc, copyHooks.exec);
    stop();
    expect([result.outcome, result.decidedBy]).toEqual(["failed", "pre-hook-failed"]);
    expect(hook(result, "copy").error?.code).toBe("QUIESCE_KUBE_POD_NOT_RUNNING");
    expect(hook(result, "thaw").status).toBe("failed");
    expect(ran).not.toContain("thaw");
    expect(result.leaked).toEqual([]);
    expect(await leftovers(lc)).toEqual([]);
  });
});

describe("watch events duplicated and reordered", () => {
  afterEach(() => waitScaled(lc, 2));

  it("Blueprint action: a KubeTask and a scale-down and up through disordered watches all succeed", async () => {
    lc.faults.add({
      verb: "watch",
      duplicateEvents: true,
      reorderEvents: true,
      times: Number.POSITIVE_INFINITY,
    });
    const result = await runAction(lc, [
      copyPhases.task,
      { ...copyPhases.scaleDown, name: "scaleDown" },
      copyPhases.scaleUp,
    ]);
    expect(result.status).toBe("succeeded");
    expect(result.phases.map((p) => p.status)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
    expect(result.deferPhase?.status).toBe("succeeded");
    expect(ran.at(-1)).toBe("thaw");
    expect(result.leaked).toEqual([]);
    expect(await leftovers(lc)).toEqual([]);
  });

  it("runWithHooks: a Function-executor Job through disordered watches succeeds", async () => {
    lc.faults.add({
      verb: "watch",
      duplicateEvents: true,
      reorderEvents: true,
      times: Number.POSITIVE_INFINITY,
    });
    const result = await runSession(lc, copyHooks.job);
    expect(result.outcome).toBe("succeeded");
    expect(hook(result, "copy").status).toBe("succeeded");
    expect(hook(result, "thaw").status).toBe("succeeded");
    expect(ran).toEqual(["freeze", "task", "step", "thaw"]);
    expect(result.leaked).toEqual([]);
    expect(await leftovers(lc)).toEqual([]);
  });
});
