import { describe, expect, it } from "vitest";
import { TokenBucket } from "./rate-limiter.js";

describe("TokenBucket", () => {
  it("lets a burst through, then refills at qps", () => {
    let now = 0;
    const bucket = new TokenBucket({ qps: 10, burst: 3 }, () => now);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    now = 100; // one token per 100 ms at 10 qps
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
    now = 10_000; // refills only up to the burst
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it("serves waiters in arrival order once tokens refill", async () => {
    const bucket = new TokenBucket({ qps: 1000, burst: 1 });
    const order: number[] = [];
    await bucket.take();
    await Promise.all([1, 2, 3].map((n) => bucket.take().then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3]);
  });

  it("rejects a waiter with the abort reason", async () => {
    const bucket = new TokenBucket({ qps: 0.001, burst: 1 });
    await bucket.take();
    const controller = new AbortController();
    const waiting = bucket.take({ signal: controller.signal });
    const reason = new Error("stop");
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });

  it("does not limit with an infinite qps", () => {
    const bucket = new TokenBucket({ qps: Number.POSITIVE_INFINITY, burst: 1 });
    for (let i = 0; i < 1000; i++) expect(bucket.tryTake()).toBe(true);
  });
});
