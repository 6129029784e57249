import { describe, expect, it } from "vitest";
import { renderCondition, renderString, renderTree } from "./template-engine.js";
import { emptyTemplateParams } from "./template-params.js";

describe("template rendering in functions", () => {
  it("renders Wait conditions with missingkey=zero, as Kanister does", () => {
    // An object without status yet: the condition is simply not "true" rather than an error.
    expect(renderCondition("{{ if .status }}true{{ else }}false{{ end }}", { spec: {} })).toBe("false");
    expect(renderCondition("{{ .status }}", { spec: {} })).toBe("<no value>");
    expect(renderCondition("{{ if .status }}true{{ end }}", { status: { phase: "Ready" } })).toBe("true");
  });

  // Kanister pkg/param/render.go renderStringArg: templates are named "config", and a missing map
  // key is reported as newUndefinedKeyError words it.
  it("renders arguments with missingkey=error, failing with Kanister's words", () => {
    const params = emptyTemplateParams();
    expect(() => renderString("{{ .Options.missing }}", params)).toThrowError(
      /^Failed to render template: "missing" not found$/,
    );
    expect(() => renderTree({ a: ["{{ .ArtifactsIn.backup.KeyValue }}"] }, params)).toThrowError(
      /^Failed to render template: "backup" not found$/,
    );
    let cause: unknown;
    try {
      renderString("{{ .Options.missing }}", params);
    } catch (err) {
      cause = (err as Error).cause;
    }
    expect((cause as Error).message).toBe(
      'template: config:1:11: executing "config" at <.Options.missing>: map has no entry for key "missing"',
    );
    // Other errors keep Go's text.
    expect(() => renderString("{{ .StatefulSet.Name }}", params)).toThrowError(
      'template: config:1:15: executing "config" at <.StatefulSet.Name>: nil pointer evaluating *param.StatefulSetParams.Name',
    );
    expect(() => renderString("{{ nope }}", params)).toThrowError(
      'template: config:1: function "nope" not defined',
    );
  });
});
