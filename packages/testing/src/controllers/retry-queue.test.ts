import { noopLogger } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { createRetryQueue, type ReconcileResult } from "./retry-queue.js";

const backoff = { baseMs: 5, maxMs: 20 };

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("createRetryQueue", () => {
  it("retries a reconcile that throws synchronously, and forgets it once it succeeds", async () => {
    let calls = 0;
    const done = deferred();
    const queue = createRetryQueue(
      "t",
      () => {
        calls++;
        if (calls < 3) throw new Error("not yet");
        done.resolve();
        return "done";
      },
      backoff,
      noopLogger,
    );
    queue.enqueue("a");
    await done.promise;
    expect(calls).toBe(3);
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toBe(3);
    await queue.stop();
  });

  it("coalesces requests, never runs one key twice at once, and runs it again for a request made meanwhile", async () => {
    let active = 0;
    let most = 0;
    const runs: string[] = [];
    const gate = deferred();
    const queue = createRetryQueue(
      "t",
      async (key): Promise<ReconcileResult> => {
        active++;
        most = Math.max(most, active);
        runs.push(key);
        if (runs.length === 1) await gate.promise;
        active--;
        return "done";
      },
      backoff,
      noopLogger,
    );
    queue.enqueue("a");
    queue.enqueue("a");
    await new Promise((r) => setImmediate(r));
    queue.enqueue("a"); // while the first run waits
    queue.enqueue("a");
    gate.resolve();
    await expect.poll(() => runs.length).toBe(2);
    expect(most).toBe(1);
    await queue.stop();
  });

  it("polls a key that asks to be requeued, with back-off, until stopped", async () => {
    const at: number[] = [];
    const queue = createRetryQueue(
      "t",
      () => {
        at.push(Date.now());
        return "requeue";
      },
      backoff,
      noopLogger,
    );
    queue.enqueue("a");
    await expect.poll(() => at.length).toBeGreaterThanOrEqual(4);
    await queue.stop();
    const count = at.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(at.length).toBe(count);
    // Gaps grow: 5, 10, 20 ms (at least), capped at 20.
    expect(at[3]! - at[2]!).toBeGreaterThanOrEqual(15);
  });
});
