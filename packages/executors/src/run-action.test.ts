import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { createExecutorRegistry } from "./default-registry.js";
import { describeExecutorConformance } from "./executor.conformance.js";
import type { Executor } from "./executor.js";
import { runAction } from "./run-action.js";

/** A host's own executor: runs each exec "command" as a tiny in-process script over three hosts. */
const scriptExecutor: Executor = {
  type: "Script",
  async targets() {
    return ["alpha", "beta", "gamma"].map((name) => ({ kind: "Host", name }));
  },
  async run(target, ctx) {
    const [verb] = ctx.action.exec?.command ?? [];
    if (verb === "ok") return { status: "succeeded", stdout: `script-ok on ${target.name}\n` };
    if (verb === "fail")
      return { status: "failed", exitCode: 2, stderr: "script-broke\n", error: new Error("exit 2") };
    await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
    throw ctx.signal.reason;
  },
};

describeExecutorConformance("a host's own executor type (registered)", async () => {
  const registry = createExecutorRegistry();
  registry.register(scriptExecutor);
  return {
    base: { executor: { type: "Script" }, namespace: "default", executorRegistry: registry },
    succeed: { action: { exec: { command: ["ok"] } }, marker: "script-ok" },
    fail: { action: { exec: { command: ["fail"] } }, marker: "script-broke", exitCode: 2 },
    hang: { action: { exec: { command: ["hang"] } } },
    possiblyStillRunningOnTimeout: false,
    targetKind: "Host",
    targets: 3,
  };
});

describe("runAction", () => {
  const registry = createExecutorRegistry();
  registry.register(scriptExecutor);
  const base = { executor: { type: "Script" }, namespace: "default", executorRegistry: registry } as const;

  it("throws before running anything for invalid input", async () => {
    const codeOf = async (p: Promise<unknown>) =>
      p.then(
        () => "resolved",
        (e: unknown) => (e as QuiesceError).code,
      );
    expect(await codeOf(runAction({ ...base, action: { exec: {} } }))).toBe(ErrorCodes.VALIDATION);
    expect(await codeOf(runAction({ ...base, action: { exec: { command: ["ok"] } }, concurrency: 0 }))).toBe(
      ErrorCodes.VALIDATION,
    );
    expect(await codeOf(runAction({ ...base, action: { exec: { command: ["ok"] } }, namespace: "" }))).toBe(
      ErrorCodes.VALIDATION,
    );
    expect(
      await codeOf(runAction({ ...base, action: { exec: { command: ["ok"] } }, executor: { type: "Nope" } })),
    ).toBe(ErrorCodes.NOT_REGISTERED);
  });

  it("takes a Go duration string as timeout and rejects a unit-less one", async () => {
    const result = await runAction({ ...base, action: { exec: { command: ["hang"] } }, timeout: "150ms" });
    expect(result.error?.message).toContain("timed out after 150ms");
    const err = await runAction({ ...base, action: { exec: { command: ["ok"] } }, timeout: "30" }).catch(
      (e: unknown) => e,
    );
    expect(QuiesceError.is(err, ErrorCodes.INVALID_DURATION)).toBe(true);
    expect((err as Error).message).toContain('invalid duration "30": missing unit');
  });

  it("summarizes several failed targets, naming each, with the first failure as cause", async () => {
    const result = await runAction({ ...base, action: { exec: { command: ["fail"] } } });
    expect(result.error?.code).toBe(ErrorCodes.HOOK_FAILED);
    expect(result.error?.message).toBe(
      "exec failed on 3 of 3 targets: alpha (exit 2), beta (exit 2), gamma (exit 2)",
    );
    expect(result.error?.cause?.message).toBe("exit 2");
  });

  it("runs at most `concurrency` targets at once", async () => {
    let inFlight = 0;
    let peak = 0;
    const wide: Executor = {
      type: "Wide",
      targets: async () => Array.from({ length: 12 }, (_, i) => ({ kind: "Host", name: `h${i}` })),
      async run() {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return { status: "succeeded" };
      },
    };
    const r = createExecutorRegistry({ builtins: false });
    r.register(wide);
    const result = await runAction({
      action: { exec: { command: ["x"] } },
      executor: { type: "Wide" },
      namespace: "default",
      executorRegistry: r,
      concurrency: 3,
    });
    expect(result.targets).toHaveLength(12);
    expect(peak).toBe(3);
  });

  it("on abort, marks the running target cancelled and the unstarted ones skipped", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stop")), 100);
    const result = await runAction({
      ...base,
      action: { exec: { command: ["hang"] } },
      concurrency: 1,
      signal: controller.signal,
    });
    expect(result.status).toBe("cancelled");
    expect(result.targets.map((t) => t.status)).toEqual(["cancelled", "skipped", "skipped"]);
  });

  it("stops waiting for an executor that ignores the abort, reporting it as possibly still running", async () => {
    const deaf: Executor = {
      type: "Deaf",
      targets: async () => [{ kind: "Host", name: "deaf" }],
      run: () => new Promise(() => {}),
    };
    const r = createExecutorRegistry({ builtins: false });
    r.register(deaf);
    const result = await runAction({
      action: { exec: { command: ["x"] } },
      executor: { type: "Deaf" },
      namespace: "default",
      executorRegistry: r,
      timeoutMs: 50,
    });
    expect(result.status).toBe("failed");
    expect(result.error?.code).toBe(ErrorCodes.TIMEOUT);
    expect(result.targets[0]?.possiblyStillRunning).toBe(true);
    expect(result.possiblyStillRunning).toBe(true);
  });

  it("reports a targets() failure as a failed run with no targets", async () => {
    const broken: Executor = {
      type: "Broken",
      targets: async () => {
        throw new QuiesceError(ErrorCodes.KUBE_API, "list pods: connection reset");
      },
      run: async () => ({ status: "succeeded" }),
    };
    const r = createExecutorRegistry({ builtins: false });
    r.register(broken);
    const result = await runAction({
      action: { exec: { command: ["x"] } },
      executor: { type: "Broken" },
      namespace: "ns",
      executorRegistry: r,
    });
    expect(result).toMatchObject({ status: "failed", targets: [], error: { code: ErrorCodes.KUBE_API } });
  });
});
