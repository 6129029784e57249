import { describe, expect, it } from "vitest";
import { fillRandom } from "./random-pool.js";

describe("random pool", () => {
  it("hands out fresh bytes for every mask, across pool refills", () => {
    // 3,000 masks of 4 bytes: the 4 KiB pool is refilled twice on the way.
    const out = Buffer.alloc(12_000);
    for (let at = 0; at < out.length; at += 4) fillRandom(out.subarray(at, at + 4));
    const first = out.subarray(0, 4096);
    expect(out.subarray(4096, 8192).equals(first)).toBe(false);
    expect(out.subarray(8192, 12_000).equals(first.subarray(0, 12_000 - 8192))).toBe(false);
    // A repeated 4-byte mask among 3,000 would be a sign of reused bytes (odds about 1e-3).
    const masks = new Set<number>();
    for (let at = 0; at < out.length; at += 4) masks.add(out.readUInt32BE(at));
    expect(masks.size).toBeGreaterThan(2990);
  });

  it("fills a request larger than the pool directly", () => {
    const big = Buffer.alloc(10_000);
    fillRandom(big);
    expect(big.subarray(0, 5000).equals(big.subarray(5000))).toBe(false);
    expect(big.some((b) => b !== 0)).toBe(true);
  });
});
