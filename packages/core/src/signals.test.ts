import { describe, expect, it } from "vitest";
import { createDeadline, mapSettledLimit, QuiesceError, sleep, withDeadline } from "./index.js";

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
