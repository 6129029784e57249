/**
 * The conformance suite every executor runs (hono-style): success, failure with output tails,
 * timeout, cancellation and result completeness, through {@link runAction}.
 */
import { ErrorCodes } from "@quiesce/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionRunResult, TargetResult } from "./result.js";
import { type RunActionInput, runAction } from "./run-action.js";

/** What an executor under test provides to the suite. */
export interface ConformanceHarness {
  /** Everything runAction needs besides the action: executor, namespace, cluster, registry, options. */
  base: Omit<RunActionInput, "action" | "signal" | "timeoutMs">;
  /** An action that succeeds; its target's stdout (or response body) contains `marker`. */
  succeed: { action: unknown; marker: string };
  /** An action that fails; its stderr (or response body) contains `marker`, and `exitCode` / `httpStatus` when given. */
  fail: { action: unknown; marker: string; exitCode?: number; httpStatus?: number };
  /** An action that never finishes on its own. */
  hang: { action: unknown };
  /** Whether a timed-out target is reported as possibly still running (remote exec: yes; local process: no). */
  possiblyStillRunningOnTimeout: boolean;
  /** The target kind the executor reports. */
  targetKind: string;
  /** How many targets each run has (default 1). */
  targets?: number;
  /** Releases what setup created. */
  teardown?: () => Promise<void> | void;
}

function expectComplete(result: ActionRunResult, executorType: string): void {
  expect(result.executor).toBe(executorType);
  expect(typeof result.namespace).toBe("string");
  expect(Date.parse(result.startedAt)).not.toBeNaN();
  expect(Date.parse(result.finishedAt)).toBeGreaterThanOrEqual(Date.parse(result.startedAt));
  expect(result.durationMs).toBeGreaterThanOrEqual(0);
  expect(result.possiblyStillRunning).toBe(result.targets.some((t) => t.possiblyStillRunning === true));
  if (result.status !== "succeeded") expect(result.error?.message).toBeTruthy();
  for (const t of result.targets) expectCompleteTarget(t);
}

function expectCompleteTarget(t: TargetResult): void {
  expect(t.name).toBeTruthy();
  expect(["succeeded", "failed", "cancelled", "skipped"]).toContain(t.status);
  expect(typeof t.stdout).toBe("string");
  expect(typeof t.stderr).toBe("string");
  expect(Date.parse(t.finishedAt)).toBeGreaterThanOrEqual(Date.parse(t.startedAt));
  expect(t.durationMs).toBeGreaterThanOrEqual(0);
  if (t.status !== "succeeded") expect(t.error?.message).toBeTruthy();
}

function output(t: TargetResult): string {
  return `${t.stdout}\n${t.stderr}\n${t.responseBody ?? ""}`;
}

/**
 * Declares the conformance tests for one executor. `setup` runs once (in `beforeAll`).
 *
 * @example
 * ```ts
 * describeExecutorConformance("Operator (local exec)", async () => ({ base: {...}, succeed: {...}, ... }));
 * ```
 */
export function describeExecutorConformance(name: string, setup: () => Promise<ConformanceHarness>): void {
  describe(`executor conformance: ${name}`, () => {
    let h: ConformanceHarness;
    const type = () => (h.base.executor as { type: string }).type;
    beforeAll(async () => {
      h = await setup();
    });
    afterAll(async () => {
      await h?.teardown?.();
    });

    it("succeeds, with the output and a complete result", async () => {
      const result = await runAction({ ...h.base, action: h.succeed.action, timeoutMs: 20_000 });
      expect(result.error).toBeUndefined();
      expect(result.status).toBe("succeeded");
      expect(result.targets).toHaveLength(h.targets ?? 1);
      for (const t of result.targets) {
        expect(t.kind).toBe(h.targetKind);
        expect(t.status).toBe("succeeded");
        expect(output(t)).toContain(h.succeed.marker);
      }
      expectComplete(result, type());
    });

    it("fails with the exit code or status and the output tails", async () => {
      const result = await runAction({ ...h.base, action: h.fail.action, timeoutMs: 20_000 });
      expect(result.status).toBe("failed");
      expect(result.targets).toHaveLength(h.targets ?? 1);
      for (const t of result.targets) {
        expect(t.status).toBe("failed");
        expect(output(t)).toContain(h.fail.marker);
        if (h.fail.exitCode !== undefined) expect(t.exitCode).toBe(h.fail.exitCode);
        if (h.fail.httpStatus !== undefined) expect(t.httpStatus).toBe(h.fail.httpStatus);
        expect(t.possiblyStillRunning).toBeUndefined();
      }
      expectComplete(result, type());
    });

    it("times out, failing with QUIESCE_TIMEOUT and saying whether it may still run", async () => {
      const result = await runAction({ ...h.base, action: h.hang.action, timeoutMs: 400 });
      expect(result.status).toBe("failed");
      expect(result.error?.code).toBe(ErrorCodes.TIMEOUT);
      for (const t of result.targets) {
        expect(t.status).toBe("failed");
        expect(t.error?.code).toBe(ErrorCodes.TIMEOUT);
        expect(t.possiblyStillRunning === true).toBe(h.possiblyStillRunningOnTimeout);
      }
      expect(result.possiblyStillRunning).toBe(h.possiblyStillRunningOnTimeout);
      expectComplete(result, type());
    });

    it("resolves a cancelled result with the abort reason when aborted mid-run", async () => {
      const controller = new AbortController();
      const reason = new Error("operator shutting down");
      setTimeout(() => controller.abort(reason), 300);
      const result = await runAction({
        ...h.base,
        action: h.hang.action,
        signal: controller.signal,
        timeoutMs: 20_000,
      });
      expect(result.status).toBe("cancelled");
      expect(result.error?.message).toBe("operator shutting down");
      expect(result.targets.length).toBeLessThanOrEqual(h.targets ?? 1);
      for (const t of result.targets) expect(["cancelled", "skipped"]).toContain(t.status);
      expectComplete(result, type());
    });

    it("does nothing and reports cancelled when the signal is already aborted", async () => {
      const result = await runAction({
        ...h.base,
        action: h.succeed.action,
        signal: AbortSignal.abort(new Error("late")),
      });
      expect(result.status).toBe("cancelled");
      expect(result.targets).toEqual([]);
      expect(result.error?.message).toBe("late");
      expectComplete(result, type());
    });
  });
}
