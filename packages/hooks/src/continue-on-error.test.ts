import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import type { FunctionHookSpec } from "./hook-spec.js";
import { runWithHooks } from "./lifecycle.js";

// continueOnError: a failure is recorded but decides nothing (Velero's onError: Continue).

const subject = { kind: "Backup", namespace: "velero", name: "b1" };
const failing = (name: string, extra: Partial<FunctionHookSpec> = {}): FunctionHookSpec => ({
  name,
  run: async () => {
    throw new QuiesceError(ErrorCodes.HOOK_FAILED, `${name} broke`);
  },
  ...extra,
});

describe("runWithHooks: continueOnError", () => {
  it("a tolerated pre hook failure runs the next hooks and the step, and the session succeeds", async () => {
    const ran: string[] = [];
    const result = await runWithHooks(
      {
        subject,
        hooks: {
          pre: [
            failing("freeze", { continueOnError: true }),
            { name: "flush", run: async () => void ran.push("flush") },
          ],
          post: [failing("thaw", { continueOnError: true })],
        },
      },
      async () => {
        ran.push("step");
      },
    );
    expect(ran).toEqual(["flush", "step"]);
    expect(result.outcome).toBe("succeeded");
    expect(result.decidedBy).toBe("all-succeeded");
    const freeze = result.hooks.find((h) => h.name === "freeze");
    expect(freeze).toMatchObject({ status: "failed", continueOnError: true });
    expect(freeze?.error?.message).toBe("freeze broke");
    expect(result.hooks.find((h) => h.name === "thaw")).toMatchObject({
      status: "failed",
      continueOnError: true,
    });
  });

  it("without it the same failure skips the rest and fails the session", async () => {
    const result = await runWithHooks(
      { subject, hooks: { pre: [failing("freeze"), { name: "flush", run: async () => {} }] } },
      async () => {},
    );
    expect(result.outcome).toBe("failed");
    expect(result.decidedBy).toBe("pre-hook-failed");
    expect(result.hooks.find((h) => h.name === "flush")?.skippedBecause).toBe("earlier-hook-failed");
    expect(result.hooks.find((h) => h.name === "freeze")?.continueOnError).toBeUndefined();
  });

  it("a tolerated onSuccess failure does not fail the session; a non-boolean value is refused before anything runs", async () => {
    const ok = await runWithHooks(
      { subject, hooks: { onSuccess: failing("report", { continueOnError: true, maxRetry: 0 }) } },
      async () => {},
    );
    expect(ok.outcome).toBe("succeeded");
    let stepRan = false;
    const bad = await runWithHooks(
      { subject, hooks: { pre: [failing("x", { continueOnError: "yes" as unknown as boolean })] } },
      async () => {
        stepRan = true;
      },
    );
    expect(stepRan).toBe(false);
    expect(bad.decidedBy).toBe("hook-resolution-failed");
    expect(bad.error?.message).toBe('hooks.pre[0].continueOnError: expected true or false, got "yes"');
  });
});
