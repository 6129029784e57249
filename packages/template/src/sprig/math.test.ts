import { describe, expect, it } from "vitest";
import { sprigFunctions as f } from "./index.js";

const call = (name: string, ...args: unknown[]) => {
  const fn = f[name];
  if (fn === undefined) throw new Error(`no function ${name}`);
  return fn(...args);
};

describe("math and conversions", () => {
  it("casts leniently as spf13/cast", () => {
    expect(call("add", "4", 1.9, true)).toBe(6);
    expect(call("add", "0x10", "010", "1_000")).toBe(1024);
    expect(call("int", "12.000")).toBe(12);
    expect(call("atoi", "0x10")).toBe(0);
    expect(call("toDecimal", "0777")).toBe(511);
    expect(() => call("div", 1, 0)).toThrow("integer divide by zero");
  });

  it("does float math in exact decimals", () => {
    expect(call("addf", 0.1, 0.2)).toBe(0.3);
    expect(call("subf", 1, 0.9)).toBe(0.1);
    expect(call("divf", 10, 3)).toBe(3.3333333333333335);
    expect(call("round", 1.2345, 3, 0.4)).toBe(1.235);
  });

  it("counts like until and seq", () => {
    expect(call("untilStep", 10, 0, -4)).toEqual([10, 6, 2]);
    expect(call("seq", 10, -3, 1)).toBe("10 7 4 1");
    expect(call("seq", 0)).toBe("1 0");
  });
});
