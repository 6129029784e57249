// Cases of Kanister pkg/utils/volumesnapshot/tags_test.go (TestSanitizeValueForGCP), plus Go's
// byte-wise cut and rune-wise replacement of what is not ASCII.
import { describe, expect, it } from "vitest";
import { sanitizeTags, sanitizeValue } from "./sanitize-tags.js";

describe("sanitizeValue (SanitizeValueForGCP)", () => {
  it.each([
    ["abcd", "abcd"],
    [
      "kasten__snapshot-wordpress-on-rbd-ceph-ns-2021-04-15t18-11-27z-abcd",
      "kasten__snapshot-wordpress-on-rbd-ceph-ns-2021-04-15t18-11-27z",
    ],
    ["kasten__snapshot-wordpress-on-rbd-ceph-ns-", "kasten__snapshot-wordpress-on-rbd-ceph-ns"],
    ["kasten__snapshot-wordpress-on-rbd-ceph-ns---", "kasten__snapshot-wordpress-on-rbd-ceph-ns"],
    ["kasten__snapshot-wordpress! ?*()", "kasten__snapshot-wordpress"],
    ["kasten__snapshot-wordpress-on-rbd-ceph-ns-__", "kasten__snapshot-wordpress-on-rbd-ceph-ns"],
    ["kasten__snapshot-wordpress-on-rbd-ceph-ns__--", "kasten__snapshot-wordpress-on-rbd-ceph-ns"],
    ["ALLCAPS", "allcaps"],
  ])("%s → %s", (input, output) => {
    expect(sanitizeValue(input)).toBe(output);
  });

  it("replaces each rune (not byte) outside [a-z0-9_-], lower-cases the Kelvin sign as Go does", () => {
    expect(sanitizeValue("café.au/lait")).toBe("caf__au_lait");
    expect(sanitizeValue("\u212Aelvin")).toBe("kelvin");
  });

  it("cuts at 63 bytes (Go's len), not 63 characters, before replacing", () => {
    // 32 × "é" is 64 bytes: the cut leaves 31 of them and half of one, and the "x" is gone.
    expect(sanitizeValue(`${"é".repeat(32)}x`)).toBe("");
    expect(sanitizeValue(`${"é".repeat(2)}x`)).toBe("__x");
    expect(sanitizeValue("größe")).toBe("gr__e");
  });
});

describe("sanitizeTags", () => {
  it("sanitizes keys and values", () => {
    expect(sanitizeTags({ "app.kubernetes.io/name": "MySQL", team: "data-" })).toEqual({
      app_kubernetes_io_name: "mysql",
      team: "data",
    });
  });
});
