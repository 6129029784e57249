/**
 * The function sets. Names from sprig's functions.go genericMap at v2.22.0 and v3.3.0 and
 * Kanister's pkg/ksprig; behaviour is pinned by the Go differential fixtures of both dialects.
 */
import { ErrorCodes } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { compile, kanisterFunctions, render, SPRIG_V3_ONLY, sprigFunctions } from "../index.js";

describe("template dialects", () => {
  it("kanister is the default: sprig v2.22's conversions, not spf13/cast's", () => {
    expect(render('{{ int "010" }} {{ int "0x10" }} {{ add "12.00" 1 }}', {})).toBe("10 0 1");
    expect(render('{{ int "010" }} {{ int "0x10" }} {{ add "12.00" 1 }}', {}, { dialect: "sprig3" })).toBe(
      "8 16 13",
    );
    // Compiled templates are cached per dialect.
    expect(render('{{ int "010" }}', {}, { dialect: "kanister" })).toBe("10");
  });

  it("kanister lacks the 61 functions sprig v3 added, which a parse reports as not defined", () => {
    expect(SPRIG_V3_ONLY.size).toBe(61);
    for (const name of SPRIG_V3_ONLY) expect(name in kanisterFunctions, name).toBe(false);
    expect(() => compile("{{ toRawJson . }}")).toThrow('function "toRawJson" not defined');
    expect(render("{{ toRawJson . }}", { a: "<" }, { dialect: "sprig3" })).toBe('{"a":"<"}');
    // Those sprig v3 has and quiesce runs are in the sprig3 dialect.
    for (const name of [
      "toRawJson",
      "dig",
      "get",
      "seq",
      "mustToJson",
      "fromJson",
      "regexQuoteMeta",
      "osBase",
    ]) {
      expect(name in sprigFunctions, name).toBe(true);
    }
  });

  it("kanister has ksprig's refusals (pkg/ksprig/fipsonly_sprig.go)", () => {
    expect(() => render('{{ derivePassword 1 "long" "p" "u" "s" }}', {})).toThrow(
      "error calling derivePassword: sprig usage of 'derivePassword' is not allowed by kanister as it is not FIPS compatible",
    );
    expect(() => render('{{ genPrivateKey "dsa" }}', {})).toThrow(
      "sprig usage of 'genPrivateKey for dsa' is not allowed by kanister as it is not FIPS compatible",
    );
    expect(render('{{ genPrivateKey "ed25519" }}', {})).toBe("Unknown type ed25519");
  });

  it("sprig3 has sprig v3.3.0's sha512sum (crypto.go), which Kanister's v2.22 lacks", () => {
    expect(render('{{ sha512sum "abc" }}', {}, { dialect: "sprig3" })).toMatch(/^ddaf35a193617aba.{112}$/);
    expect(() => compile('{{ sha512sum "abc" }}')).toThrow('function "sha512sum" not defined');
  });

  it("mergeOverwrite: dario.cat/mergo v1.0.1 (sprig v3.3.0) puts a map over a value, imdario/mergo v0.3.12 keeps the value", () => {
    // merge.go deepMerge: v0.3.12 skips any map onto a non-empty value; v1.0.1 only a map onto a map.
    const t = '{{ mergeOverwrite (dict "a" "x" "b" (dict "c" 1)) (dict "a" (dict "z" 1) "b" "s") | toJson }}';
    expect(render(t, {}, { dialect: "sprig3" })).toBe('{"a":{"z":1},"b":"s"}');
    expect(render(t, {})).toBe('{"a":"x","b":"s"}');
    // Without overwrite both keep the value.
    const m = '{{ merge (dict "a" "x") (dict "a" (dict "z" 1)) | toJson }}';
    expect(render(m, {}, { dialect: "sprig3" })).toBe('{"a":"x"}');
    expect(render(m, {})).toBe('{"a":"x"}');
  });

  it("builtins: text/template's own functions only, and the host's", () => {
    const builtins = { dialect: "builtins", name: "output" } as const;
    expect(render('{{ printf "%03d" (len .) }} {{ index . "a" | html }}', { a: "<b>" }, builtins)).toBe(
      "001 &lt;b&gt;",
    );
    // Without sprig a sprig function does not parse, as in Go without Funcs(sprig.TxtFuncMap()).
    expect(() => compile('{{ upper "a" }}', builtins)).toThrow(
      expect.objectContaining({
        code: ErrorCodes.TEMPLATE_PARSE,
        message: 'template: output:1: function "upper" not defined',
      }),
    );
    expect(render("{{ twice 2 }}", {}, { ...builtins, funcs: { twice: (n) => Number(n) * 2 } })).toBe("4");
  });

  it("refuses an unknown dialect", () => {
    expect(() => compile("x", { dialect: "sprig2" as never })).toThrow(
      expect.objectContaining({ code: ErrorCodes.VALIDATION }),
    );
  });
});
