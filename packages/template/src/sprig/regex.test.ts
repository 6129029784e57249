import { describe, expect, it } from "vitest";
import { sprigFunctions as f } from "./index.js";

const call = (name: string, ...args: unknown[]) => {
  const fn = f[name];
  if (fn === undefined) throw new Error(`no function ${name}`);
  return fn(...args);
};

describe("regex", () => {
  it("follows Go's regexp semantics", () => {
    expect(call("regexReplaceAll", "a*", "baaac", "-")).toBe("-b-c-");
    expect(call("regexFindAll", "a*", "baaac", -1)).toEqual(["", "aaa", ""]);
    expect(call("regexReplaceAll", "a(x*)b", "-ab-axxb-", "$1W")).toBe("---");
    expect(call("regexReplaceAll", "a(?P<mid>x*)b", "-axb-", "[${mid}]")).toBe("-[x]-");
    expect(call("regexSplit", "z+", "pizza", -1)).toEqual(["pi", "a"]);
    expect(call("regexMatch", "(?i)HELLO", "hello")).toBe(true);
    expect(call("regexMatch", "(", "x")).toBe(false);
    expect(() => call("mustRegexMatch", "(?=a)", "a")).toThrow("error parsing regexp");
    expect(call("regexQuoteMeta", "1.2*")).toBe("1\\.2\\*");
  });
});

describe("regex engine", () => {
  it("matches in linear time: patterns that make backtracking engines explode complete", () => {
    const input = `${"a".repeat(5000)}!`;
    expect(call("regexMatch", "(a+)+$", input)).toBe(false);
    expect(call("regexFind", "(x+x+)+y", "x".repeat(5000))).toBe("");
  });

  it("speaks Go's RE2 syntax and rejects what Go rejects", () => {
    expect(call("regexFind", "[[:^digit:]]+", "12ab")).toBe("ab");
    expect(call("regexFind", "\\Qa.b\\E", "xa.by")).toBe("a.b");
    expect(call("regexMatch", "(?U)a+", "aaa")).toBe(true);
    expect(() => call("mustRegexMatch", "(?<=a)b", "ab")).toThrow("invalid or unsupported Perl syntax");
    expect(() => call("mustRegexFind", "a{1001}", "a")).toThrow("invalid repeat count");
  });
});
