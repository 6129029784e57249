import { describe, expect, it } from "vitest";
import { formatValue, sprint, sprintf, sprintln } from "./fmt.js";

describe("formatValue (Go %v)", () => {
  it("prints lists, sorted maps, bytes and nil like Go", () => {
    expect(formatValue([1, "a", null, [true]])).toBe("[1 a <nil> [true]]");
    expect(formatValue({ b: 2, a: { z: [] } })).toBe("map[a:map[z:[]] b:2]");
    expect(formatValue(new Uint8Array([104, 105]))).toBe("[104 105]");
    expect(formatValue(null)).toBe("<nil>");
  });

  it("prints integral numbers without exponent and floats in Go's shortest form", () => {
    expect(formatValue(123456789012)).toBe("123456789012");
    expect(formatValue(1e-7)).toBe("1e-07");
    expect(formatValue(3.5)).toBe("3.5");
    expect(formatValue(1e21)).toBe("1e+21");
    expect(formatValue(1234567.25)).toBe("1.23456725e+06");
    expect(formatValue(0.0001)).toBe("0.0001");
    expect(formatValue(Number.NaN)).toBe("NaN");
    expect(formatValue(Number.NEGATIVE_INFINITY)).toBe("-Inf");
  });
});

describe("sprint / sprintln", () => {
  it("adds spaces only between non-string operands", () => {
    expect(sprint("a", 1, 2, "b", 3)).toBe("a1 2b3");
    expect(sprintln("a", 1)).toBe("a 1\n");
  });
});

describe("sprintf", () => {
  it.each([
    ["%-5s|%03d|%.2f|%q", ["ab", 7, 1.23456, "x"], 'ab   |007|1.23|"x"'],
    ["%x %X %o %b %#x %+d % d", [255, 255, 8, 5, 255, 5, 5], "ff FF 10 101 0xff +5  5"],
    [
      "%e %E %.3g %.10g",
      [123456.789, 0.000123, 1.23456, 1 / 3],
      "1.234568e+05 1.230000E-04 1.23 0.3333333333",
    ],
    ["%.0f %.0f %.1f", [0.5, 2.5, 0.25], "0 2 0.2"],
    ["%d %s", ["x", 5], "%!d(string=x) %!s(int=5)"],
    ["%d", [], "%!d(MISSING)"],
    ["%d", [1, 2, "a"], "1%!(EXTRA int=2, string=a)"],
    ["%", [], "%!(NOVERB)"],
    ["%*d|%-*d|%.*f", [5, 1, 4, 2, 2, 1.23456], "    1|2   |1.23"],
    ["%[2]d %[1]d", [1, 2], "2 1"],
    [
      "%T %T %T %T %T",
      [1, 1.5, [1], { a: 1 }, new Uint8Array(1)],
      "int float64 []interface {} map[string]interface {} []uint8",
    ],
    ["%q %+q %#q", ["héllo\n", "héllo", "a`b"], '"héllo\\n" "h\\u00e9llo" "a`b"'],
    ["%c %U %#U", [65, 0x1f600, 0x41], "A U+1F600 U+0041 'A'"],
    ["%s %x % X", [new Uint8Array([104, 105]), "hi", "hi"], "hi 6869 68 69"],
    ["%v %s", [null, null], "<nil> %!s(<nil>)"],
    [
      "%#v",
      [{ a: [1, "x"], b: null }],
      'map[string]interface {}{"a":[]interface {}{1, "x"}, "b":interface {}(nil)}',
    ],
    ["%6.2v|%t", [1.23456, true], "   1.2|true"],
  ] as const)("%s", (format, args, expected) => {
    expect(sprintf(format, ...args)).toBe(expected);
  });
});

describe("values with a Go String()", () => {
  class Version {
    constructor(readonly v: string) {}
    goString(): string {
      return `v${this.v}`;
    }
  }

  it("print through goString() for %v and %s, inside containers too", () => {
    expect(formatValue(new Version("1.2"))).toBe("v1.2");
    expect(sprintf("%s|%q|%5v", new Version("1"), new Version("2"), new Version("3"))).toBe('v1|"v2"|   v3');
    expect(formatValue([new Version("1")])).toBe("[v1]");
  });

  it("ignore a goString data property on plain objects", () => {
    expect(formatValue({ goString: "x" })).toBe("map[goString:x]");
  });
});
