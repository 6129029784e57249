import { describe, expect, it } from "vitest";
import { renderCondition, renderString } from "./template-engine.js";
import { emptyTemplateParams } from "./template-params.js";

describe("template rendering in functions", () => {
  it("renders Wait conditions with missingkey=zero, as Kanister does", () => {
    // An object without status yet: the condition is simply not "true" rather than an error.
    expect(renderCondition("{{ if .status }}true{{ else }}false{{ end }}", { spec: {} })).toBe("false");
    expect(renderCondition("{{ .status }}", { spec: {} })).toBe("<no value>");
    expect(renderCondition("{{ if .status }}true{{ end }}", { status: { phase: "Ready" } })).toBe("true");
  });

  it("renders arguments with missingkey=error", () => {
    expect(() => renderString("{{ .Options.missing }}", emptyTemplateParams())).toThrowError(
      /map has no entry for key "missing"/,
    );
  });
});
