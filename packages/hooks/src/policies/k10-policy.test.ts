import { describe, expect, it } from "vitest";
import { InMemoryHookJournal } from "../journal.js";
import { runWithHooks } from "../lifecycle.js";
import { fail, fast, find, hook, subject } from "../test-support/function-hooks.js";

// K10's execution-hook rules, shown with hooks implemented in the test.

describe("K10 policy", () => {
  it("onFailure runs after a failure and is never retried; onSuccess is skipped", async () => {
    const onFailure = hook("unfreeze", () => fail("still broken"));
    const onSuccess = hook("ok");
    const result = await runWithHooks(
      { subject, ...fast, hooks: { onFailure: onFailure.spec, onSuccess: onSuccess.spec } },
      async () => {
        throw new Error("backup failed");
      },
    );
    expect(onFailure.calls).toHaveLength(1);
    expect(find(result.hooks, "unfreeze").attempts).toHaveLength(1);
    expect(find(result.hooks, "ok")).toMatchObject({ status: "skipped", skippedBecause: "step-failed" });
    expect(result.decidedBy).toBe("step-failed");

    const refused = await runWithHooks(
      { subject, hooks: { onFailure: { ...hook("x").spec, maxRetry: 2 } } },
      async () => {},
    );
    expect(refused.error?.message).toContain("onFailure hooks are never retried");
  });

  it("only one of onSuccess and onFailure runs: a failed onSuccess does not bring on onFailure", async () => {
    const onSuccess = hook("thaw", () => fail("thaw failed"));
    const onFailure = hook("alert");
    const result = await runWithHooks(
      { subject, ...fast, k10MaxRetry: 0, hooks: { onSuccess: onSuccess.spec, onFailure: onFailure.spec } },
      async () => {},
    );
    expect(onFailure.calls).toHaveLength(0);
    expect(find(result.hooks, "alert")).toMatchObject({
      status: "skipped",
      skippedBecause: "step-succeeded",
    });
    expect(result).toMatchObject({ outcome: "failed", decidedBy: "on-success-failed" });
  });

  it("preHook and onSuccess are retried up to the K10 limit", async () => {
    let n = 0;
    const pre = hook("quiesce", () => {
      if (++n < 3) fail();
    });
    const result = await runWithHooks(
      { subject, ...fast, k10MaxRetry: 2, hooks: { preHook: pre.spec } },
      async () => {},
    );
    expect(find(result.hooks, "quiesce").attempts).toHaveLength(3);
    expect(result.outcome).toBe("succeeded");
  });

  it("onFailure waits for the final attempt, and succeeded hooks are not rerun for the same operation", async () => {
    const journal = new InMemoryHookJournal();
    const preHook = hook("freeze", () => ({ artifacts: { snap: { KeyValue: { lsn: "0/42" } } } }));
    const onSuccess = hook("thaw");
    const onFailure = hook("cleanup");
    const hooks = { preHook: preHook.spec, onSuccess: onSuccess.spec, onFailure: onFailure.spec };
    const first = await runWithHooks(
      { subject, operationId: "op-1", journal, finalAttempt: false, hooks },
      async () => {
        throw new Error("transient");
      },
    );
    expect(find(first.hooks, "cleanup")).toMatchObject({
      status: "skipped",
      skippedBecause: "retries-remaining",
    });
    expect(preHook.calls).toHaveLength(1);

    let seen: unknown;
    const second = await runWithHooks({ subject, operationId: "op-1", journal, hooks }, async (ctx) => {
      seen = ctx.artifacts.db;
    });
    expect(preHook.calls).toHaveLength(1);
    expect(find(second.hooks, "freeze")).toMatchObject({
      status: "skipped",
      skippedBecause: "already-succeeded",
    });
    expect(seen).toEqual({ snap: { KeyValue: { lsn: "0/42" } } });
    expect(onSuccess.calls[0]?.artifactsIn).toEqual({ snap: { KeyValue: { lsn: "0/42" } } });
    expect(second.outcome).toBe("succeeded");

    await runWithHooks({ subject, operationId: "op-2", journal, hooks }, async () => {});
    expect(preHook.calls).toHaveLength(2);
  });

  it("preHook artifacts flow to onFailure", async () => {
    const preHook = hook("freeze", () => ({ artifacts: { pos: { KeyValue: { file: "bin.0001" } } } }));
    const onFailure = hook("cleanup");
    await runWithHooks({ subject, hooks: { preHook: preHook.spec, onFailure: onFailure.spec } }, async () => {
      throw new Error("x");
    });
    expect(onFailure.calls[0]?.artifactsIn).toEqual({ pos: { KeyValue: { file: "bin.0001" } } });
  });
});
