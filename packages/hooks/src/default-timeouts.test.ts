import { ErrorCodes } from "@quiesce/core";
import { type ExecutorContext, ExecutorRegistry } from "@quiesce/executors";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runWithHooks } from "./lifecycle.js";
import { hook, subject } from "./test-support/function-hooks.js";

// No default wall clock on a working hook: Kanister gives a phase no deadline
// (pkg/controller/controller.go runs it with the ActionSet's context), KubeStash's
// HookInfo.timeout has no default (kubestash/apimachinery apis/core/v1alpha1/types.go, no
// kubebuilder default, no webhook default) and its prober execs with context.Background()
// (kmodules.xyz/client-go tools/exec). Only the spec's `timeout` or the host's defaultHookTimeout
// bound an attempt.

const SIX_MINUTES = 6 * 60_000;

afterEach(() => {
  vi.useRealTimers();
});

describe("hooks without a timeout", () => {
  it("a function hook that runs longer than five minutes is not cut off", async () => {
    vi.useFakeTimers();
    const slow = hook("slow", () => new Promise((r) => setTimeout(r, SIX_MINUTES)));
    const running = runWithHooks({ subject, hooks: { pre: [slow.spec] } }, async () => {});
    await vi.advanceTimersByTimeAsync(SIX_MINUTES + 1);
    const result = await running;
    expect(result.outcome).toBe("succeeded");
    expect(result.hooks[0]?.attempts[0]?.timedOut).toBeUndefined();
  });

  it("the host's defaultHookTimeout bounds the hooks that set none, not those that set one", async () => {
    vi.useFakeTimers();
    const slow = hook("slow", () => new Promise((r) => setTimeout(r, SIX_MINUTES)));
    const own = hook("own", () => new Promise((r) => setTimeout(r, 2 * 60_000)), { timeout: "3m" });
    const running = runWithHooks(
      { subject, defaultHookTimeout: "1m", hooks: { pre: [own.spec, slow.spec] } },
      async () => {},
    );
    await vi.advanceTimersByTimeAsync(SIX_MINUTES + 1);
    const result = await running;
    expect(result.hooks.map((h) => [h.name, h.status])).toEqual([
      ["own", "succeeded"],
      ["slow", "failed"],
    ]);
    expect(result.hooks[1]?.attempts[0]?.timedOut).toBe(true);
    expect(result.hooks[1]?.error?.code).toBe(ErrorCodes.TIMEOUT);
  });

  it("a KubeStash hook runs its action with no deadline unless its reference sets a timeout", async () => {
    const seen: Array<{ hook: string; deadline: number; probeTimeoutMs: number }> = [];
    const executorRegistry = new ExecutorRegistry();
    executorRegistry.register({
      type: "Recorder",
      async targets() {
        return [{ kind: "Host", name: "recorder" }];
      },
      async run(_target, ctx: ExecutorContext) {
        seen.push({
          hook: ctx.action.exec?.command[0] ?? "",
          deadline: ctx.deadline,
          probeTimeoutMs: ctx.settings.probeTimeoutMs,
        });
        return { status: "succeeded" };
      },
    });
    const inline = (name: string, timeout?: string) => ({
      name,
      action: { exec: { command: [name] } },
      executor: { type: "Recorder" },
      ...(timeout ? { timeout } : {}),
    });
    const before = Date.now();
    const result = await runWithHooks(
      { subject, executorRegistry, hooks: { pre: [inline("unbounded"), inline("bounded", "45s")] } },
      async () => {},
    );
    expect(result.outcome).toBe("succeeded");
    expect(seen[0]).toEqual({
      hook: "unbounded",
      deadline: Number.POSITIVE_INFINITY,
      probeTimeoutMs: 300_000,
    });
    expect(seen[1]?.deadline).toBeGreaterThanOrEqual(before + 45_000);
    expect(seen[1]?.deadline).toBeLessThanOrEqual(Date.now() + 45_000);
  });
});
