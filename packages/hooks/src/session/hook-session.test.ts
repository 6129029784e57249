import { describe, expect, it } from "vitest";
import { fail, find, hook } from "../test-support/function-hooks.js";
import { HookSession } from "./hook-session.js";

describe("HookSession: one method per stage", () => {
  it("runs the stages in the order the caller drives them, and finish() reports them", async () => {
    const order: string[] = [];
    const session = new HookSession({
      namespaces: ["a", "b"],
      hooks: {
        pre: [hook("freeze", (ctx) => void order.push(`freeze ${ctx.namespace}`)).spec],
        post: [hook("thaw", (ctx) => void order.push(`thaw ${ctx.namespace}`)).spec],
      },
    });
    expect(await session.resolve()).toBe(true);
    const [a, b] = session.units;
    if (!a || !b) throw new Error("expected two units");
    // A host may drive units one at a time: b's hooks wait until it asks for them.
    await session.pre([a]);
    await session.runStep(async () => {
      order.push("step");
    });
    await session.pre([b]);
    await session.post([b, a]);
    const result = session.finish();
    expect(order).toEqual(["freeze a", "step", "freeze b", "thaw b", "thaw a"]);
    expect(result).toMatchObject({ outcome: "succeeded", namespaces: ["a", "b"] });
    expect(result.hooks.map((h) => `${h.name} ${h.namespace} ${h.status}`)).toEqual([
      "freeze a succeeded",
      "thaw a succeeded",
      "freeze b succeeded",
      "thaw b succeeded",
    ]);
  });

  it("a failed resolution skips every resolved hook and the step; finish() still reports every hook", async () => {
    const session = new HookSession({
      namespaces: ["a"],
      hooks: { pre: [hook("ok").spec, { name: "bad", run: "not a function" } as never] },
    });
    expect(await session.resolve()).toBe(false);
    const result = session.finish();
    expect(result).toMatchObject({ outcome: "failed", decidedBy: "hook-resolution-failed" });
    expect(find(result.hooks, "ok")).toMatchObject({
      status: "skipped",
      skippedBecause: "resolution-failed",
    });
    expect(find(result.hooks, "bad").status).toBe("failed");
    expect(result.step.skippedBecause).toBe("resolution-failed");
  });

  it("a failed pre hook blocks the step for the whole session", async () => {
    const session = new HookSession({
      subject: { kind: "Deployment", namespace: "web", name: "shop" },
      hooks: { pre: [hook("freeze", () => fail("no")).spec] },
    });
    await session.resolve();
    await session.pre();
    let ran = false;
    await session.runStep(async () => {
      ran = true;
    });
    expect(ran).toBe(false);
    expect(session.step).toMatchObject({ status: "skipped", skippedBecause: "pre-hook-failed" });
    expect(session.finish().decidedBy).toBe("pre-hook-failed");
  });
});
