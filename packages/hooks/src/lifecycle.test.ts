import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { createLifecycleEvents } from "./events.js";
import { runWithHooks } from "./lifecycle.js";
import { fail, find, hook, subject } from "./test-support/function-hooks.js";

// The session's own rules (resolution, namespaces, cancellation, events); the formats' rules are
// tested with their policies.

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
