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
