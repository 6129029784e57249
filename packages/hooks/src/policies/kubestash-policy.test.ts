import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { createLifecycleEvents } from "../events.js";
import { runWithHooks } from "../lifecycle.js";
import { fail, fast, find, hook, subject } from "../test-support/function-hooks.js";

// KubeStash's rules (kubestash.dev "Hook's Behaviors"), shown with hooks implemented in the test.

describe("KubeStash policy", () => {
  // kubestash/apimachinery crds/core.kubestash.com_backupconfigurations.yaml: HookInfo.executionPolicy
  // defaults to Always in the CRD, so a preBackup reference read back from a cluster carries it.
  it("takes executionPolicy: Always on a pre hook, as the API server writes it, and refuses the others there", async () => {
    const freeze = hook("freeze");
    const ok = await runWithHooks(
      { subject, ...fast, hooks: { pre: [{ ...freeze.spec, executionPolicy: "Always" }] } },
      async () => {},
    );
    expect(ok).toMatchObject({ outcome: "succeeded", step: { status: "succeeded" } });
    expect(freeze.calls).toHaveLength(1);
    expect(find(ok.hooks, "freeze").executionPolicy).toBeUndefined();
    for (const policy of ["OnSuccess", "OnFailure"] as const) {
      const refused = await runWithHooks(
        { subject, ...fast, hooks: { pre: [{ ...freeze.spec, executionPolicy: policy }] } },
        async () => {},
      );
      expect(refused.decidedBy).toBe("hook-resolution-failed");
      expect(refused.error?.message).toContain(
        `hooks.pre[0].executionPolicy: a pre hook runs before the step`,
      );
    }
    expect(freeze.calls).toHaveLength(1);
  });

  it("a failed pre hook skips the rest and the step; post Always and OnFailure run, OnSuccess does not", async () => {
    const freeze = hook("freeze", () => fail("cannot freeze"));
    const second = hook("second-pre");
    const always = hook("thaw");
    const onSuccess = hook("notify-ok");
    const onFailure = hook("notify-failed");
    let stepRan = false;
    const result = await runWithHooks(
      {
        subject,
        ...fast,
        hooks: {
          pre: [freeze.spec, second.spec],
          post: [
            always.spec,
            { ...onSuccess.spec, executionPolicy: "OnSuccess" },
            { ...onFailure.spec, executionPolicy: "OnFailure" },
          ],
        },
      },
      async () => {
        stepRan = true;
      },
    );
    expect(stepRan).toBe(false);
    expect(result.outcome).toBe("failed");
    expect(result.decidedBy).toBe("pre-hook-failed");
    expect(result.error?.message).toContain("cannot freeze");
    expect(result.step).toMatchObject({ status: "skipped", skippedBecause: "pre-hook-failed" });
    expect(find(result.hooks, "second-pre")).toMatchObject({
      status: "skipped",
      skippedBecause: "earlier-hook-failed",
    });
    expect(find(result.hooks, "thaw").status).toBe("succeeded");
    expect(find(result.hooks, "notify-ok")).toMatchObject({
      status: "skipped",
      skippedBecause: "execution-policy",
    });
    expect(find(result.hooks, "notify-failed").status).toBe("succeeded");
    expect(onFailure.calls[0]?.status).toMatchObject({
      phase: "Failed",
      error: expect.stringContaining("cannot freeze"),
    });
  });

  it("runs pre hooks in order, then the step, then post hooks that see the status", async () => {
    const order: string[] = [];
    const a = hook("a", () => void order.push("a"));
    const b = hook("b", () => void order.push("b"));
    const post = hook("post", (ctx) => void order.push(`post:${ctx.status?.phase}`));
    const result = await runWithHooks(
      { subject, hooks: { pre: [a.spec, b.spec], post: [post.spec] } },
      async () => {
        order.push("step");
        return { bytes: 42 };
      },
    );
    expect(order).toEqual(["a", "b", "step", "post:Succeeded"]);
    expect(result).toMatchObject({
      outcome: "succeeded",
      decidedBy: "all-succeeded",
      step: { outputs: { bytes: 42 } },
    });
  });

  it("a failed step fails the session and runs OnFailure post hooks with the step's error", async () => {
    const notify = hook("notify");
    const result = await runWithHooks(
      { subject, hooks: { post: [{ ...notify.spec, executionPolicy: "OnFailure" }] } },
      async () => {
        throw new QuiesceError(ErrorCodes.KUBE_API, "disk full");
      },
    );
    expect(result).toMatchObject({ outcome: "failed", decidedBy: "step-failed", step: { status: "failed" } });
    expect(notify.calls[0]?.status).toMatchObject({ phase: "Failed", error: "disk full" });
  });

  it("a failed post hook fails the session; the other post hooks still run", async () => {
    const broken = hook("broken", () => fail("thaw failed"));
    const after = hook("after");
    const result = await runWithHooks(
      { subject, ...fast, hooks: { post: [broken.spec, after.spec] } },
      async () => {},
    );
    expect(result).toMatchObject({
      outcome: "failed",
      decidedBy: "post-hook-failed",
      step: { status: "succeeded" },
    });
    expect(result.error?.message).toContain("thaw failed");
    expect(find(result.hooks, "after").status).toBe("succeeded");
  });

  it("retries up to maxRetry, recording every attempt", async () => {
    let n = 0;
    const flaky = hook("flaky", () => {
      n++;
      if (n < 3) fail(`attempt ${n} failed`);
    });
    const events = createLifecycleEvents();
    const retrying: number[] = [];
    events.on("hook:retrying", (e) => retrying.push(e.nextAttempt));
    const result = await runWithHooks(
      { subject, ...fast, events, hooks: { pre: [{ ...flaky.spec, maxRetry: 3 }] } },
      async () => {},
    );
    const rec = find(result.hooks, "flaky");
    expect(rec.status).toBe("succeeded");
    expect(rec.attempts.map((a) => a.status)).toEqual(["failed", "failed", "succeeded"]);
    expect(rec.attempts[0]?.error?.message).toBe("attempt 1 failed");
    expect(retrying).toEqual([2, 3]);

    const never = hook("never", () => fail());
    const exhausted = await runWithHooks(
      { subject, ...fast, hooks: { pre: [{ ...never.spec, maxRetry: 2 }] } },
      async () => {},
    );
    expect(find(exhausted.hooks, "never").attempts).toHaveLength(3);
    expect(exhausted.decidedBy).toBe("pre-hook-failed");
  });

  it("a timeout fails the attempt even when the hook ignores its signal", async () => {
    const slow = hook("slow", () => new Promise(() => {}), { timeout: "30ms" });
    const result = await runWithHooks({ subject, ...fast, hooks: { pre: [slow.spec] } }, async () => {});
    const rec = find(result.hooks, "slow");
    expect(rec.status).toBe("failed");
    expect(rec.attempts[0]).toMatchObject({
      status: "failed",
      timedOut: true,
      error: { code: "QUIESCE_TIMEOUT" },
    });
  });

  it("rejects a unit-less timeout and an executionPolicy other than Always outside post hooks before anything runs", async () => {
    const a = hook("a");
    const result = await runWithHooks(
      { subject, hooks: { pre: [a.spec, { ...hook("b").spec, timeout: "30" }] } },
      async () => {},
    );
    expect(result).toMatchObject({ outcome: "failed", decidedBy: "hook-resolution-failed" });
    expect(result.error).toMatchObject({
      code: "QUIESCE_INVALID_DURATION",
      message: expect.stringContaining("hooks.pre[1].timeout"),
    });
    expect(a.calls).toHaveLength(0);
    expect(find(result.hooks, "a")).toMatchObject({ status: "skipped", skippedBecause: "resolution-failed" });

    const policy = await runWithHooks(
      { subject, hooks: { pre: [{ ...hook("c").spec, executionPolicy: "OnSuccess" }] } },
      async () => {},
    );
    expect(policy.error?.message).toContain("hooks.pre[0].executionPolicy");
  });
});
