import { describe, expect, it } from "vitest";
import {
  base64decode,
  exists,
  kubectlTemplateSyntaxError,
  renderKubectlTemplate,
} from "./kubectl-template.js";

// k8s.io/cli-runtime pkg/printers/template.go and jsonpath.go (exists, base64decode).
describe("kubectl's go-template printer functions", () => {
  const pod = {
    status: { conditions: [{ type: "Ready", status: "True" }], podIP: null },
    metadata: { name: "p" },
  };

  it("exists: an index in range, a key present with a value", () => {
    expect(exists(pod, "status", "conditions", 0, "type")).toBe(true);
    expect(exists(pod, "status", "conditions", 1)).toBe(false);
    expect(exists(pod, "status", "podIP")).toBe(false);
    expect(exists(pod, "spec")).toBe(false);
    expect(exists(pod, "metadata", "name", 0)).toBe(true);
    expect(exists(pod, "status", 0)).toBe(false);
  });

  it("base64decode: standard, padded base64; an error otherwise", () => {
    expect(base64decode("aGVsbG8=")).toBe("hello");
    expect(() => base64decode("aGVsbG8")).toThrowError(/^base64 decode failed/);
  });

  it("renders over the object: the printer's functions, missing keys as <no value>", () => {
    expect(renderKubectlTemplate('{{ if exists . "status" "conditions" 0 }}true{{ end }}', pod)).toBe("true");
    expect(renderKubectlTemplate("{{ .status.missing }}", pod)).toBe("<no value>");
    expect(renderKubectlTemplate('{{ base64decode "dHJ1ZQ==" }}', pod)).toBe("true");
  });

  it("has text/template's builtins and its two functions, not sprig's (template.go NewGoTemplatePrinter)", () => {
    expect(renderKubectlTemplate('{{ printf "%s/%d" .metadata.name (len .status.conditions) }}', pod)).toBe(
      "p/1",
    );
    expect(
      kubectlTemplateSyntaxError('{{ if eq (lower .status.phase) "running" }}true{{ end }}')?.message,
    ).toBe('template: output:1: function "lower" not defined');
    expect(kubectlTemplateSyntaxError('{{ .metadata.name | default "x" }}')?.message).toBe(
      'template: output:1: function "default" not defined',
    );
    expect(kubectlTemplateSyntaxError('{{ exists . "metadata" | not }}')).toBeUndefined();
  });
});
