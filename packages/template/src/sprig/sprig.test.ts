import { describe, expect, it } from "vitest";
import { GoFuncError } from "../go/call-error.js";
import { SPRIG_ARITY } from "./arity.js";
import { GoTime } from "./go-time.js";
import { sprigFunctions as f } from "./index.js";

const call = (name: string, ...args: unknown[]) => {
  const fn = f[name];
  if (fn === undefined) throw new Error(`no function ${name}`);
  return fn(...args);
};

describe("sprig function map", () => {
  it("has sprig's functions and nothing Helm or the host adds", () => {
    for (const name of [
      "upper",
      "toJson",
      "toDate",
      "regexFind",
      "semverCompare",
      "dict",
      "merge",
      "b64enc",
      "sha256sum",
    ]) {
      expect(f[name], name).toBeTypeOf("function");
    }
    for (const name of ["required", "toYaml", "env", "expandenv", "getHostByName", "tpl", "include"]) {
      expect(Object.hasOwn(f, name), name).toBe(false);
    }
  });

  it("checks argument counts against each function's Go signature", () => {
    for (const name of Object.keys(f)) expect(SPRIG_ARITY[name], name).toBeDefined();
    expect(() => call("upper", "a", "b")).toThrow("wrong number of args for upper: want 1 got 2");
    expect(() => call("max")).toThrow("wrong number of args for max: want at least 1 got 0");
    expect(call("add")).toBe(0);
  });

  it("rejects arguments of the wrong type as Go's reflect call does", () => {
    expect(() => call("upper", 3)).toThrow(GoFuncError);
    expect(() => call("upper", 3)).toThrow("expected string; got int");
    expect(() => call("repeat", 2.5, "x")).toThrow("expected int");
    expect(() => call("get", "notamap", "k")).toThrow("map[string]interface {}");
  });
});

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

  it("quotes, joins and splits", () => {
    expect(call("quote", "a", 'b"c', 5, null)).toBe('"a" "b\\"c" "5"');
    expect(call("squote", new Uint8Array([104, 105]))).toBe("'[104 105]'");
    expect(call("toString", new Uint8Array([104, 105]))).toBe("hi");
    expect(call("join", "-", ["a", 1, null, 2.5])).toBe("a-1-2.5");
    expect(call("splitn", ",", 2, "a,b,c")).toEqual({ _0: "a", _1: "b,c" });
    expect(call("sortAlpha", ["b", "A", "a", "C"])).toEqual(["A", "C", "a", "b"]);
  });
});

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

describe("json", () => {
  it("writes Go's encoding/json bytes", () => {
    expect(call("toJson", { b: "<&>", a: [1, 1.5, 1e-7, 1e21, null] })).toBe(
      '{"a":[1,1.5,1e-7,1e+21,null],"b":"\\u003c\\u0026\\u003e"}',
    );
    expect(call("toRawJson", { h: "<b>" })).toBe('{"h":"<b>"}');
    expect(call("toJson", "\u2028\u0001")).toBe('"\\u2028\\u0001"');
    expect(call("toJson", new Uint8Array([104, 105]))).toBe('"aGk="');
    expect(call("toPrettyJson", { a: [], b: {} })).toBe('{\n  "a": [],\n  "b": {}\n}');
    expect(call("toJson", Number.NaN)).toBe("");
    expect(() => call("mustToJson", Number.NaN)).toThrow("unsupported value");
  });

  it("reads JSON into maps without prototypes", () => {
    const v = call("fromJson", '{"__proto__":{"x":1}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(["__proto__"]);
    expect(call("fromJson", "nope")).toBe(null);
    expect(() => call("mustFromJson", "")).toThrow("unexpected end of JSON input");
  });
});

describe("dates", () => {
  it("parses and formats Go layouts", () => {
    const t = call(
      "toDate",
      "2006-01-02T15:04:05.999999999Z07:00",
      "2024-03-05T07:08:09.123456789Z",
    ) as GoTime;
    expect(t).toBeInstanceOf(GoTime);
    expect(t.goString()).toBe("2024-03-05 07:08:09.123456789 +0000 UTC");
    expect(call("date", "2006-01-02T15-04-05", t)).toBe("2024-03-05T07-08-09");
    expect(call("date", "Mon Jan _2 3:04PM .000 Z07:00", t)).toBe("Tue Mar  5 7:08AM .123 Z");
    expect(
      (call("toDate", "2006-01-02T15:04:05Z07:00", "2024-03-05T07:08:09+05:30") as GoTime).goString(),
    ).toBe("2024-03-05 07:08:09 +0530 +0530");
    expect((call("toDate", "2006-01-02", "garbage") as GoTime).goString()).toBe(
      "0001-01-01 00:00:00 +0000 UTC",
    );
    expect(() => call("mustToDate", "2006-01-02", "2024-02-30")).toThrow(
      'parsing time "2024-02-30": day out of range',
    );
  });

  it("shows times in IANA zones and moves them by durations", () => {
    expect(call("dateInZone", "2006-01-02 15:04 MST", 1709622489, "America/New_York")).toBe(
      "2024-03-05 02:08 EST",
    );
    expect(call("dateInZone", "15:04 MST", 1709622489, "Not/AZone")).toBe("07:08 UTC");
    const t = call("toDate", "2006-01-02", "2024-12-31");
    expect(call("date", "2006-01-02 15:04", call("dateModify", "+36h", t))).toBe("2025-01-01 12:00");
    expect(call("duration", "95")).toBe("1m35s");
    expect(call("durationRound", "400h")).toBe("16d");
    expect(call("unixEpoch", call("toDate", "2006-01-02", "1970-01-02"))).toBe("86400");
  });
});

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
