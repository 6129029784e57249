import { ErrorCodes } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { render } from "./render.js";

const m = (src: string, data: unknown) => render(src, data, { engine: "mustache", name: "hook" });

describe("mustache engine", () => {
  const data = {
    Target: { Name: "db", Kind: "StatefulSet" },
    Namespace: "prod",
    html: "<b>&",
    items: ["a", "b"],
  };

  it("resolves dotted names with or without a leading dot", () => {
    expect(m("{{ .Target.Name }}/{{ Target.Kind }}/{{Namespace}}", data)).toBe("db/StatefulSet/prod");
  });

  it("does not HTML-escape", () => {
    expect(m("{{ html }}|{{{ html }}}|{{& html}}", data)).toBe("<b>&|<b>&|<b>&");
  });

  it("renders sections and inverted sections", () => {
    expect(
      m("{{#items}}[{{.}}]{{/items}}{{^Target.Missing}}{{/Target.Missing}}", {
        ...data,
        Target: { Missing: false },
      }),
    ).toBe("[a][b]");
  });

  it("fails on a missing key", () => {
    expect(() => m("{{ Target.Owner }}", data)).toThrow(
      expect.objectContaining({
        code: ErrorCodes.TEMPLATE_MISSING_KEY,
        message: 'template: hook: no entry for key "Target.Owner"',
      }),
    );
    expect(() => m("{{#nothing}}x{{/nothing}}", data)).toThrow(
      expect.objectContaining({ code: ErrorCodes.TEMPLATE_MISSING_KEY }),
    );
  });

  it("never reaches prototypes or host functions", () => {
    for (const name of ["constructor", "__proto__", "toString", "Target.constructor", "items.length"]) {
      expect(() => m(`{{ ${name} }}`, data)).toThrow(
        expect.objectContaining({ code: ErrorCodes.TEMPLATE_MISSING_KEY }),
      );
    }
    let called = false;
    const fn = () => {
      called = true;
      return "x";
    };
    expect(() => m("{{ fn }}{{#fn}}y{{/fn}}", { fn })).toThrow();
    expect(called).toBe(false);
  });

  it("reports malformed templates as parse errors", () => {
    expect(() => m("{{#a}}x", data)).toThrow(expect.objectContaining({ code: ErrorCodes.TEMPLATE_PARSE }));
  });
});
