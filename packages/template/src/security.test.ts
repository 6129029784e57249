import { ErrorCodes } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { TemplateError } from "./errors.js";
import { goTime, goValue } from "./go/typed.js";
import { goTypes, namedType, structType } from "./go/types.js";
import { render } from "./render.js";

function outcome(src: string, data: unknown): string {
  try {
    return `ok:${render(src, data)}`;
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return `err:${(err as TemplateError).code}`;
  }
}

describe("templates cannot reach JS internals", () => {
  const data = { Obj: { a: 1 }, List: [1, 2], S: "str" };

  it.each([
    ".constructor",
    ".__proto__",
    ".Obj.constructor",
    ".Obj.__proto__",
    ".Obj.hasOwnProperty",
    ".prototype",
  ])("%s is a missing key", (expr) => {
    expect(outcome(`{{ ${expr} }}`, data)).toBe(`err:${ErrorCodes.TEMPLATE_MISSING_KEY}`);
  });

  it.each([".S.length", ".List.length", ".S.constructor", ".List.map"])("%s is not a field", (expr) => {
    expect(outcome(`{{ ${expr} }}`, data)).toBe(`err:${ErrorCodes.TEMPLATE_EXEC}`);
  });

  it("index of inherited names yields no value", () => {
    expect(
      render('{{ index . "constructor" }}|{{ index .Obj "__proto__" }}|{{ index .Obj "toString" }}', data),
    ).toBe("<no value>|<no value>|<no value>");
  });

  it("does not run getters or see non-enumerable properties", () => {
    let ran = false;
    const obj = { plain: 1 };
    Object.defineProperty(obj, "secret", {
      enumerable: true,
      get: () => {
        ran = true;
        return "s";
      },
    });
    Object.defineProperty(obj, "hidden", { enumerable: false, value: "h" });
    expect(outcome("{{ .secret }}", obj)).toBe(`err:${ErrorCodes.TEMPLATE_MISSING_KEY}`);
    expect(outcome("{{ .hidden }}", obj)).toBe(`err:${ErrorCodes.TEMPLATE_MISSING_KEY}`);
    expect(render("{{ . }}", obj)).toBe("map[plain:1]");
    expect(ran).toBe(false);
  });

  it("treats class instances as structs: own data fields only, methods only through goMethod", () => {
    class Host {
      name = "h";
      secret(): string {
        return "s";
      }
      get computed(): string {
        return "c";
      }
    }
    class Version {
      constructor(readonly major: number) {}
      goMethod(name: string) {
        if (name === "Major") return () => this.major;
        if (name === "Bump") return (by: unknown) => this.major + Number(by);
        return undefined;
      }
    }
    expect(render("{{ .H.name }}", { H: new Host() })).toBe("h");
    expect(outcome("{{ .H.secret }}", { H: new Host() })).toBe(`err:${ErrorCodes.TEMPLATE_EXEC}`);
    expect(outcome("{{ .H.computed }}", { H: new Host() })).toBe(`err:${ErrorCodes.TEMPLATE_EXEC}`);
    expect(outcome("{{ .H.constructor }}", { H: new Host() })).toBe(`err:${ErrorCodes.TEMPLATE_EXEC}`);
    expect(outcome('{{ .H.name "x" }}', { H: new Host() })).toBe(`err:${ErrorCodes.TEMPLATE_EXEC}`);
    expect(render("{{ .V.Major }} {{ .V.Bump 2 }} {{ 3 | .V.Bump }}", { V: new Version(1) })).toBe("1 3 4");
    expect(outcome("{{ .V.goMethod }}", { V: new Version(1) })).toBe(`err:${ErrorCodes.TEMPLATE_EXEC}`);
  });

  it("gives Go-typed values and times only their Go methods, never inherited JS members", () => {
    const T = structType("main.T", { A: goTypes.string }, { methods: { Hello: () => "hi" } });
    const N = namedType("main.N", goTypes.string, { methods: { Hello: () => "hi" } });
    const typed = { T: goValue(T, { A: "a" }), N: goValue(N, "x"), Time: goTime(new Date(0)) };
    expect(render("{{ .T.Hello }} {{ .N.Hello }} {{ .Time.Unix }}", typed)).toBe("hi hi 0");
    for (const recv of [".T", ".N", ".Time"]) {
      for (const name of ["constructor", "toString", "valueOf", "hasOwnProperty", "__proto__"]) {
        expect(outcome(`{{ ${recv}.${name} }}`, typed)).toBe(`err:${ErrorCodes.TEMPLATE_EXEC}`);
      }
    }
    // Go's wording: those receivers were read from a map[string]interface{}.
    expect(() => render("{{ .T.constructor }}", typed)).toThrow(
      "can't evaluate field constructor in type interface {}",
    );
    expect(() => render("{{ .constructor }}", typed.T)).toThrow(
      "can't evaluate field constructor in type main.T",
    );
    expect(() => render("{{ .Time.toString }}", typed)).toThrow(
      "can't evaluate field toString in type interface {}",
    );
    expect(() => render("{{ .toString }}", typed.Time)).toThrow(
      "can't evaluate field toString in type time.Time",
    );
  });

  it("never calls functions found in data", () => {
    let called = false;
    const fn = () => {
      called = true;
      return "x";
    };
    expect(outcome("{{ call .F }}", { F: fn })).toBe(`err:${ErrorCodes.TEMPLATE_EXEC}`);
    expect(outcome("{{ call .S }}", { S: "s" })).toBe(`err:${ErrorCodes.TEMPLATE_EXEC}`);
    expect(outcome("{{ .F }}", { F: fn })).toBe(`err:${ErrorCodes.TEMPLATE_EXEC}`);
    expect(outcome("{{ .F 1 }}", { F: fn })).toBe(`err:${ErrorCodes.TEMPLATE_EXEC}`);
    expect(called).toBe(false);
  });

  it("has no function that reads files or the process", () => {
    for (const fn of ["env", "expandenv", "readFile", "exec", "require", "import"]) {
      expect(outcome(`{{ ${fn} "x" }}`, {})).toBe(`err:${ErrorCodes.TEMPLATE_PARSE}`);
    }
  });
});
