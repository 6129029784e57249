import { describe, expect, it } from "vitest";
import {
  createCleanupScope,
  createDeadline,
  linkSignals,
  mapSettledLimit,
  QuiesceError,
  sleep,
  withDeadline,
} from "./index.js";

describe("deadlines", () => {
  it("aborts with a TIMEOUT error naming the operation", async () => {
    const err = await withDeadline({ timeoutMs: 10 }, "exec freeze", (signal) =>
      sleep(10_000, { signal }),
    ).catch((e: unknown) => e);
    expect(QuiesceError.is(err, "QUIESCE_TIMEOUT")).toBe(true);
    expect((err as Error).message).toBe("exec freeze timed out after 10ms");
  });

  it("passes the parent's abort reason through", async () => {
    const parent = new AbortController();
    const deadline = createDeadline({ signal: parent.signal, timeoutMs: 10_000 }, "wait");
    const reason = new Error("host cancelled");
    parent.abort(reason);
    expect(deadline.signal.reason).toBe(reason);
    expect(deadline.timedOut).toBe(false);
    deadline.dispose();
  });
});

describe("cleanup scopes", () => {
  it("ignore the parent's abort and start their budget when it arrives, even mid-cleanup", async () => {
    const parent = new AbortController();
    const scope = createCleanupScope({ signal: parent.signal, timeoutMs: 40 }, "deferPhase thaw");
    await sleep(60);
    // No abort yet: no budget is running, however long the cleanup takes.
    expect([scope.signal.aborted, scope.parentAborted]).toEqual([false, false]);
    parent.abort(new Error("host cancelled"));
    expect([scope.signal.aborted, scope.parentAborted]).toEqual([false, true]);
    await sleep(80);
    expect(scope.timedOut).toBe(true);
    expect(QuiesceError.is(scope.signal.reason, "QUIESCE_TIMEOUT")).toBe(true);
    expect((scope.signal.reason as QuiesceError).message).toBe(
      "deferPhase thaw after cancellation timed out after 40ms",
    );
    expect((scope.signal.reason as QuiesceError).details.cleanupTimeout).toBe(true);
    scope.dispose();
  });

  it("start the budget at once when the parent is already aborted, and never fire once disposed", async () => {
    const scope = createCleanupScope({ signal: AbortSignal.abort(), timeoutMs: 10 }, "thaw");
    expect(scope.parentAborted).toBe(true);
    await sleep(30);
    expect(scope.signal.aborted).toBe(true);
    const parent = new AbortController();
    const done = createCleanupScope({ signal: parent.signal, timeoutMs: 10 }, "thaw");
    done.dispose();
    parent.abort();
    await sleep(30);
    expect(done.signal.aborted).toBe(false);
  });
});

describe("mapSettledLimit", () => {
  it("never runs more than the limit at once and settles every item in order", async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapSettledLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await sleep(5);
      inFlight--;
      if (n === 4) throw new Error("four");
      return n * 10;
    });
    expect(peak).toBe(3);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([
      10,
      20,
      30,
      "four",
      50,
      60,
      70,
    ]);
  });
});

describe("linked signals", () => {
  it("aborts with the reason of the first linked signal to abort, once", () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = linkSignals([a.signal, undefined, b.signal]);
    const reasons: unknown[] = [];
    linked.signal.addEventListener("abort", () => reasons.push(linked.signal.reason));
    expect(linked.signal.aborted).toBe(false);
    const why = new Error("pod gone");
    b.abort(why);
    a.abort(new Error("later"));
    expect(reasons).toEqual([why]);
  });

  it("is aborted at once when a linked signal already is", () => {
    const why = new Error("cancelled");
    const linked = linkSignals([new AbortController().signal, AbortSignal.abort(why)]);
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe(why);
  });

  it("follows nothing once disposed", () => {
    const a = new AbortController();
    const linked = linkSignals([a.signal]);
    linked.dispose();
    a.abort(new Error("after the work"));
    expect(linked.signal.aborted).toBe(false);
  });
});
