import { describe, expect, it } from "vitest";
import { matchesFieldSelector, parseFieldSelector } from "./field-selector.js";
import {
  formatSelectorObject,
  fromSelectorObject,
  matchesLabelSelector,
  parseLabelSelector,
} from "./label-selector.js";

describe("label selectors", () => {
  const labels = { app: "web", env: "prod", "example.com/tier": "db" };
  const cases: [string, boolean][] = [
    ["", true],
    ["app=web", true],
    ["app==web", true],
    ["app!=web", false],
    ["app=web, env=prod", true],
    ["app=web,env=dev", false],
    ["env in (prod, staging)", true],
    ["env notin (prod)", false],
    ["missing notin (x)", true],
    ["example.com/tier", true],
    ["!example.com/tier", false],
    ["!canary", true],
    ["app in (web),!canary,env", true],
  ];
  it.each(cases)("%j matches: %s", (selector, expected) => {
    expect(matchesLabelSelector(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it("accepts an empty value (it matches an empty label)", () => {
    expect(matchesLabelSelector(parseLabelSelector("app="), { app: "" })).toBe(true);
  });

  it.each(["a b", "app in (", "=x", "app=web,", "-bad=x", "app in ()"])("rejects %j with 400", (selector) => {
    expect(() => parseLabelSelector(selector)).toThrow(
      expect.objectContaining({ statusCode: 400, reason: "BadRequest" }) as unknown as Error,
    );
  });

  it("converts structured selectors both ways", () => {
    const structured = {
      matchLabels: { app: "web" },
      matchExpressions: [
        { key: "env", operator: "In", values: ["a", "b"] },
        { key: "x", operator: "DoesNotExist" },
      ],
    };
    expect(formatSelectorObject(structured)).toBe("app=web,env in (a,b),!x");
    expect(matchesLabelSelector(fromSelectorObject(structured), { app: "web", env: "b" })).toBe(true);
    expect(matchesLabelSelector(fromSelectorObject(structured), { app: "web", env: "b", x: "1" })).toBe(
      false,
    );
  });
});

describe("field selectors", () => {
  const pod = {
    metadata: { name: "p", namespace: "ns" },
    spec: { nodeName: "node-1" },
    status: { phase: "Running" },
  };
  it("matches =, == and != on the supported fields", () => {
    expect(
      matchesFieldSelector(parseFieldSelector("status.phase=Running,metadata.namespace==ns", "Pod"), pod),
    ).toBe(true);
    expect(matchesFieldSelector(parseFieldSelector("spec.nodeName!=node-1", "Pod"), pod)).toBe(false);
    expect(matchesFieldSelector(parseFieldSelector("metadata.name=q"), pod)).toBe(false);
  });
  it("rejects fields the kind does not support", () => {
    expect(() => parseFieldSelector("status.phase=Running", "ConfigMap")).toThrow(
      expect.objectContaining({ statusCode: 400 }) as unknown as Error,
    );
    expect(() => parseFieldSelector("metadata.name", "Pod")).toThrow(
      expect.objectContaining({ statusCode: 400 }) as unknown as Error,
    );
  });
});
