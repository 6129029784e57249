import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration, QuiesceError } from "./index.js";

describe("parseDuration", () => {
  it.each([
    ["30s", 30_000],
    ["1m30s", 90_000],
    ["1.5h", 5_400_000],
    ["250ms", 250],
    ["2us", 0.002],
    ["0", 0],
    ["-1s", -1000],
  ])("parses %s", (text, ms) => {
    expect(parseDuration(text)).toBeCloseTo(ms, 9);
  });

  it("rejects a unit-less number with a hint", () => {
    expect(() => parseDuration("30")).toThrowError(/missing unit/);
    try {
      parseDuration("30");
    } catch (err) {
      expect(QuiesceError.is(err, "QUIESCE_INVALID_DURATION")).toBe(true);
    }
  });

  it("rejects unknown units and garbage", () => {
    expect(() => parseDuration("5d")).toThrowError(
      'invalid duration "5d": unknown unit "d" (units are ns, us, ms, s, m, h)',
    );
    expect(() => parseDuration("")).toThrowError(/empty/);
    expect(() => parseDuration("1s2")).toThrowError(/invalid duration "1s2": missing unit/);
    expect(() => parseDuration("1.s.")).toThrowError(/expected numbers with units/);
  });

  it("formats like Go's Duration.String", () => {
    expect(formatDuration(90_000)).toBe("1m30s");
    expect(formatDuration(250)).toBe("250ms");
    expect(formatDuration(1500)).toBe("1.5s");
    expect(formatDuration(3_600_000)).toBe("1h0m0s");
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(0.0015)).toBe("1.5µs");
    expect(formatDuration(-61_000)).toBe("-1m1s");
  });
});
