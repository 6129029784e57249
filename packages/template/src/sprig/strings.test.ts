import { describe, expect, it } from "vitest";
import { sprigFunctions as f } from "./index.js";

const call = (name: string, ...args: unknown[]) => {
  const fn = f[name];
  if (fn === undefined) throw new Error(`no function ${name}`);
  return fn(...args);
};

describe("strings", () => {
  it("cases, trims and cuts like Go", () => {
    expect(call("title", "hello wORLD-x_y")).toBe("Hello WORLD-X_y");
    expect(call("upper", "straße")).toBe("STRAßE");
    expect(call("trimAll", "$", "$$5.00$")).toBe("5.00");
    expect(call("substr", 1, 3, "hello")).toBe("el");
    expect(() => call("substr", 4, 2, "hello")).toThrow("slice bounds out of range");
    expect(call("trunc", -3, "hello")).toBe("llo");
    expect(call("abbrevboth", 5, 10, "1234 5678 9123")).toBe("...5678...");
    expect(call("wrap", 5, "Hello World Foo")).toBe("Hello\nWorld\nFoo");
    expect(call("nindent", 2, "x\ny")).toBe("\n  x\n  y");
  });

  it("converts case like xstrings", () => {
    expect(call("snakecase", "HTTPServer")).toBe("http_server");
    expect(call("snakecase", "ID42Value")).toBe("id42_value");
    expect(call("kebabcase", "MyHTTPClient2Go")).toBe("my-http-client2-go");
    expect(call("camelcase", "http_server")).toBe("HttpServer");
    expect(call("swapcase", "Hello World")).toBe("hELLO wORLD");
  });

  it("camelcase is xstrings v1.5.0's ToPascalCase, as sprig v3.3.0 functions.go maps it", () => {
    // convert.go toCamelCase(isBig): a word that starts upper-case has its following upper-case
    // runes lowered up to the first one that is not; a lower-case start keeps the word as written.
    expect(call("camelcase", "someWords")).toBe("SomeWords");
    expect(call("camelcase", "HTTPServer")).toBe("Httpserver");
    expect(call("camelcase", "GOLANG_IS_GREAT")).toBe("GolangIsGreat");
    expect(call("camelcase", "aB_cD")).toBe("ABCD");
    expect(call("camelcase", "ÉCOLE_ÉTÉ")).toBe("ÉcoleÉté");
    // unicode.ToUpper/ToLower map a rune to one rune: ß stays, İ lowers to i; ǅ (title case) is not upper.
    expect(call("camelcase", "STRASSE_ß")).toBe("Strasseß");
    expect(call("camelcase", "ǅEMAL_x")).toBe("ǄEMALX");
    expect(call("camelcase", "__")).toBe("___");
  });

  it("quotes, joins and splits", () => {
    expect(call("quote", "a", 'b"c', 5, null)).toBe('"a" "b\\"c" "5"');
    expect(call("squote", new Uint8Array([104, 105]))).toBe("'[104 105]'");
    expect(call("toString", new Uint8Array([104, 105]))).toBe("hi");
    expect(call("join", "-", ["a", 1, null, 2.5])).toBe("a-1-2.5");
    expect(call("splitn", ",", 2, "a,b,c")).toEqual({ _0: "a", _1: "b,c" });
    expect(call("sortAlpha", ["b", "A", "a", "C"])).toEqual(["A", "C", "a", "b"]);
  });
});
