import { describe, expect, it } from "vitest";
import { sprigFunctions as f } from "./index.js";

const call = (name: string, ...args: unknown[]) => {
  const fn = f[name];
  if (fn === undefined) throw new Error(`no function ${name}`);
  return fn(...args);
};

describe("semver, paths, encodings", () => {
  it("checks Masterminds constraints", () => {
    expect(call("semverCompare", ">=1.20, <1.25", "1.22.4")).toBe(true);
    expect(call("semverCompare", "^0.2.3", "0.3.0")).toBe(false);
    expect(call("semverCompare", ">=1.0.0", "1.1.0-alpha")).toBe(false);
    expect(call("semverCompare", "1.2.3 - 1.4.5", "1.3.0")).toBe(true);
    expect(() => call("semverCompare", ">1.0", "bad")).toThrow("Invalid Semantic Version");
  });

  it("cleans paths and decodes base64 like Go", () => {
    expect(call("clean", "/a/../b/./c//d/")).toBe("/b/c/d");
    expect(call("dir", "a/b/")).toBe("a/b");
    expect(call("base", "/a/b/")).toBe("b");
    expect(call("ext", "f.tar.gz")).toBe(".gz");
    expect(call("b64dec", "not base64!")).toBe("illegal base64 data at input byte 3");
    expect(call("b32enc", "a")).toBe("ME======");
    expect(call("adler32sum", "Wikipedia")).toBe("300286872");
  });
});
