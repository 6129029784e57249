import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { createLifecycleEvents } from "./events.js";
import type { FunctionHookSpec, HookRunContext } from "./hook-spec.js";
import { InMemoryHookJournal } from "./journal.js";
import { runWithHooks } from "./lifecycle.js";
import type { HookRecord } from "./result.js";

// These tests exercise the runner's own rules with hooks implemented in the test (function hooks):
// what they do is irrelevant, only whether they succeed, fail, hang or produce artifacts.

const subject = { kind: "StatefulSet", namespace: "db", name: "mysql" };
const fast = { backoff: { baseMs: 1, maxMs: 2, jitter: 0 } };

function hook(
  name: string,
  behaviour: (ctx: HookRunContext) => unknown = () => undefined,
  extra: Partial<FunctionHookSpec> = {},
) {
  const calls: HookRunContext[] = [];
  const spec: FunctionHookSpec = {
    name,
    async run(ctx) {
      calls.push(ctx);
      const out = await behaviour(ctx);
      return out as never;
    },
    ...extra,
  };
  return { spec, calls };
}

const fail = (message = "boom") => {
  throw new QuiesceError(ErrorCodes.HOOK_FAILED, message);
};

function find(hooks: HookRecord[], name: string, namespace?: string): HookRecord {
  const found = hooks.find((h) => h.name === name && (namespace === undefined || h.namespace === namespace));
  if (!found) throw new Error(`no record for ${name}`);
  return found;
}

describe("runWithHooks: KubeStash rules", () => {
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

  it("rejects a unit-less timeout and executionPolicy outside post hooks before anything runs", async () => {
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
      { subject, hooks: { pre: [{ ...hook("c").spec, executionPolicy: "Always" }] } },
      async () => {},
    );
    expect(policy.error?.message).toContain("hooks.pre[0].executionPolicy");
  });
});

describe("runWithHooks: resolution", () => {
  it("rejects two hooks of one name in a phase", async () => {
    const result = await runWithHooks(
      { subject, hooks: { post: [hook("notify").spec, hook("notify").spec] } },
      async () => {},
    );
    expect(result.decidedBy).toBe("hook-resolution-failed");
    expect(result.error?.message).toBe('hooks.post[1].name: duplicate hook name "notify" in post');
  });
});

describe("runWithHooks: K10 rules", () => {
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

describe("runWithHooks: namespaces, cancellation, events", () => {
  it("runs hooks once per namespace within the concurrency limit", async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: string[] = [];
    const pre = hook("pre", async (ctx) => {
      seen.push(ctx.namespace);
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 10));
      inFlight--;
    });
    const namespaces = ["a", "b", "c", "d", "e"];
    const result = await runWithHooks(
      { namespaces, concurrency: 2, hooks: { pre: [pre.spec] } },
      async () => {},
    );
    expect(seen.sort()).toEqual(namespaces);
    expect(peak).toBe(2);
    expect(result.hooks.map((h) => h.namespace)).toEqual(namespaces);
    expect(pre.calls[0]?.subject).toEqual({ kind: "Namespace", name: "a", namespace: "a" });
  });

  it("abort mid-hook cancels it, skips the step, and still runs the cleanup hooks with a live signal", async () => {
    const controller = new AbortController();
    const freeze = hook("freeze", (ctx) => {
      controller.abort(new QuiesceError(ErrorCodes.ABORTED, "operator cancelled"));
      return Promise.reject(ctx.signal.reason);
    });
    const thaw = hook("thaw", (ctx) => {
      expect(ctx.signal.aborted).toBe(false);
    });
    const okOnly = hook("ok-only");
    const onFailure = hook("k10-cleanup");
    const result = await runWithHooks(
      {
        subject,
        signal: controller.signal,
        hooks: {
          pre: [freeze.spec],
          post: [thaw.spec, { ...okOnly.spec, executionPolicy: "OnSuccess" }],
          onFailure: onFailure.spec,
        },
      },
      async () => {},
    );
    expect(result).toMatchObject({
      outcome: "cancelled",
      decidedBy: "cancelled",
      step: { status: "skipped" },
    });
    expect(result.error?.message).toBe("operator cancelled");
    expect(find(result.hooks, "freeze").status).toBe("cancelled");
    expect(find(result.hooks, "thaw").status).toBe("succeeded");
    expect(find(result.hooks, "k10-cleanup").status).toBe("succeeded");
    expect(find(result.hooks, "ok-only").status).toBe("skipped");
  });

  it("after cancellation, cleanup hooks are bounded by cleanupTimeout", async () => {
    const controller = new AbortController();
    const hanging = hook(
      "hanging-thaw",
      (ctx) =>
        new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason))),
    );
    const result = await runWithHooks(
      { subject, signal: controller.signal, cleanupTimeout: "50ms", hooks: { post: [hanging.spec] } },
      async () => {
        controller.abort(new Error("stop"));
      },
    );
    expect(result.outcome).toBe("cancelled");
    const rec = find(result.hooks, "hanging-thaw");
    expect(rec.status).toBe("failed");
    expect(rec.error?.message).toContain("cleanup hooks after cancellation timed out after 50ms");
  });

  it("abort during the step cancels it", async () => {
    const controller = new AbortController();
    const thaw = hook("thaw");
    const result = await runWithHooks(
      { subject, signal: controller.signal, hooks: { post: [thaw.spec] } },
      (ctx) => {
        setTimeout(() => controller.abort(new Error("stop")), 5);
        return new Promise((_, reject) =>
          ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)),
        );
      },
    );
    expect(result).toMatchObject({ outcome: "cancelled", step: { status: "cancelled" } });
    expect(thaw.calls).toHaveLength(1);
  });

  it("emits an event for every transition", async () => {
    const events = createLifecycleEvents();
    const seen: string[] = [];
    for (const name of [
      "session:started",
      "session:finished",
      "step:started",
      "step:finished",
      "hook:started",
      "hook:succeeded",
      "hook:failed",
      "hook:skipped",
      "hook:attempt-failed",
    ] as const) {
      events.on(name, () => seen.push(name));
    }
    await runWithHooks(
      {
        subject,
        events,
        hooks: {
          pre: [hook("a").spec],
          post: [{ ...hook("b", () => fail()).spec }, { ...hook("c").spec, executionPolicy: "OnFailure" }],
        },
      },
      async () => {},
    );
    expect(seen).toEqual([
      "session:started",
      "hook:started",
      "hook:succeeded",
      "step:started",
      "step:finished",
      "hook:started",
      "hook:attempt-failed",
      "hook:failed",
      "hook:skipped",
      "session:finished",
    ]);
  });
});
