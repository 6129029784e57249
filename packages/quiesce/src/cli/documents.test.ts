import { yamlAliasBomb, yamlOversize } from "@quiesce/testing";
import { describe, expect, it } from "vitest";
import { parseYamlText } from "./documents.js";

describe("parseYamlText (a params or artifacts file)", () => {
  it("passes the loaders' guard: an alias bomb or a document too large is refused with a coded error", () => {
    expect(() => parseYamlText("params.yaml", yamlAliasBomb())).toThrow(
      expect.objectContaining({
        code: "QUIESCE_VALIDATION",
        message: "invalid params.yaml YAML: Excessive alias count indicates a resource exhaustion attack",
      }),
    );
    expect(() => parseYamlText("params.yaml", yamlOversize())).toThrow(
      "invalid params.yaml: copies: expands to more than 1000000 values",
    );
    expect(parseYamlText("params.yaml", "a: &x [1]\nb: *x\n")).toEqual({ a: [1], b: [1] });
  });
});
