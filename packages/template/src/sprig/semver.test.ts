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
    expect(() => call("semverCompare", ">1.0", "bad")).toThrow("invalid semantic version");
  });

  it("follows Masterminds/semver v3.4.0, the version KubeStash's go.mod resolves for sprig v3.3.0", () => {
    // constraints.go Check: a prerelease counts when any constraint of its AND group names one…
    expect(call("semverCompare", ">=1.0.0-0 <2.0.0", "1.5.0-beta")).toBe(true);
    expect(call("semverCompare", "~1.2.0-alpha, !=1.2.5", "1.2.3-beta")).toBe(true);
    // …and otherwise satisfies nothing, `!=` included (constraintNotEqual's early exit).
    expect(call("semverCompare", "!=1.0.0", "1.1.0-beta")).toBe(false);
    expect(call("semverCompare", ">=1.0.0-0 <2.0.0 || >=3.0.0", "3.1.0-rc.1")).toBe(false);
    // rewriteRange leaves a space after the range, so a constraint may follow it.
    expect(call("semverCompare", "1.0 - 2.0 !=1.5.0", "1.6.0")).toBe(true);
    expect(call("semverCompare", "1.0 - 2.0 !=1.5.0", "1.5.0")).toBe(false);
    // version.go coerceNewVersion: lower-case errors, segments parsed as uint64.
    expect(() => call("semver", "1.2.3-01")).toThrow("version segment starts with 0");
    expect(() => call("semver", "1.99999999999999999999.0")).toThrow(
      'error parsing version segment: strconv.ParseUint: parsing "99999999999999999999": value out of range',
    );
    expect(call("semver", "9223372036854775808.0.0")).toBeTruthy();
  });

  it("cleans paths and decodes base64 like Go", () => {
    expect(call("clean", "/a/../b/./c//d/")).toBe("/b/c/d");
    expect(call("dir", "a/b/")).toBe("a/b");
    expect(call("base", "/a/b/")).toBe("b");
    expect(call("ext", "f.tar.gz")).toBe(".gz");
    expect(call("b64dec", "not base64!")).toBe("illegal base64 data at input byte 3");
    // Go decodes the string's UTF-8 bytes: a character outside ASCII is never a base64 digit, and
    // positions count bytes (Go 1.19 encoding/base64 and base32).
    expect(call("b64dec", "ŁŁŁŁ")).toBe("illegal base64 data at input byte 0");
    expect(call("b64dec", "QUJD\nŁ")).toBe("illegal base64 data at input byte 5");
    expect(call("b32dec", "QUJDé")).toBe("illegal base32 data at input byte 4");
    expect(call("b64dec", "QUJD\nRA==")).toBe("ABCD");
    expect(call("b32dec", "IFBEG===")).toBe("ABC");
    expect(call("b32enc", "a")).toBe("ME======");
    expect(call("adler32sum", "Wikipedia")).toBe("300286872");
  });
});
