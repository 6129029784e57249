import { describe, expect, it } from "vitest";
import { sprigFunctions as f } from "./index.js";

const call = (name: string, ...args: unknown[]) => {
  const fn = f[name];
  if (fn === undefined) throw new Error(`no function ${name}`);
  return fn(...args);
};

describe("lists and dicts", () => {
  it("works on copies and reports non-lists", () => {
    const l = ["a", "b"];
    expect(call("append", l, "c")).toEqual(["a", "b", "c"]);
    expect(l).toEqual(["a", "b"]);
    expect(call("rest", [])).toEqual([]);
    expect(call("chunk", 2, [1, 2, 3])).toEqual([[1, 2], [3]]);
    expect(() => call("first", "x")).toThrow("Cannot find first on type string");
    expect(call("uniq", [1, 2, 1, "a", "a"])).toEqual([1, 2, "a"]);
  });

  it("merges like mergo and keeps prototype keys as data", () => {
    const dst = { a: 1, n: { x: 1 }, e: "" };
    expect(call("mergeOverwrite", dst, { a: 2, n: { y: 2 }, e: "filled" })).toEqual({
      a: 2,
      n: { x: 1, y: 2 },
      e: "filled",
    });
    expect(call("merge", { a: "", b: 0 }, { a: "x", b: 5, c: null })).toEqual({ a: "x", b: 5 });
    const d = call("dict", "__proto__", "p") as Record<string, unknown>;
    expect(Object.keys(d)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(d)).toBe(null);
    expect(call("dig", "a", "b", "dflt", { a: { b: 1 } })).toBe(1);
  });
});

describe("bounds", () => {
  it("refuses to build runaway values instead of exhausting memory", () => {
    expect(() => call("repeat", 100_000_000, "ab")).toThrow("(limits.maxValueBytes)");
    expect(() => call("until", 1_000_000_000)).toThrow("(limits.maxValueBytes)");
    expect(() => call("seq", 1, 1_000_000_000)).toThrow("(limits.maxValueBytes)");
    expect(() => call("randAlpha", 1_000_000_000)).toThrow("(limits.maxValueBytes)");
    expect((call("until", 1000) as number[]).length).toBe(1000);
  });
});

describe("bounds on growth", () => {
  it("bounds functions that multiply their input", () => {
    const big = "x\n".repeat(1_000_000);
    expect(() => call("indent", 100, big)).toThrow("(limits.maxValueBytes)");
    expect(() => call("replace", "x", "y".repeat(100), big)).toThrow("(limits.maxValueBytes)");
    expect(() => call("wrapWith", 1, "-".repeat(100), "ab".repeat(1_000_000))).toThrow(
      "(limits.maxValueBytes)",
    );
    expect(() => call("regexReplaceAll", "", big, "z".repeat(50))).toThrow("(limits.maxValueBytes)");
    expect(call("indent", 2, "a\nb")).toBe("  a\n  b");
  });
});
