import { QuiesceError } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { matchesSelector, normalizeSelector, parseSelector, selectorObjectToString } from "./selector.js";

describe("label selectors", () => {
  it("accepts KubeStash's comma-and-space form and normalises it", () => {
    expect(normalizeSelector("app=web, env=prod")).toBe("app=web,env=prod");
    expect(normalizeSelector(" app == web ,tier!=cache ")).toBe("app=web,tier!=cache");
  });

  it("parses set-based requirements, existence and absence", () => {
    expect(
      parseSelector("env in (prod, staging), tier notin (cache),!canary,app.kubernetes.io/name"),
    ).toEqual([
      { key: "env", operator: "in", values: ["prod", "staging"] },
      { key: "tier", operator: "notin", values: ["cache"] },
      { key: "canary", operator: "!" },
      { key: "app.kubernetes.io/name", operator: "exists" },
    ]);
    expect(normalizeSelector("env in (prod, staging), !canary")).toBe("env in (prod,staging),!canary");
  });

  it("treats an empty selector as matching everything", () => {
    expect(parseSelector("  ")).toEqual([]);
    expect(matchesSelector([], { a: "b" })).toBe(true);
  });

  it.each([
    ["app=", "app="],
    ["app=web,,env=prod", "stray comma"],
    ["env in (prod", "unbalanced"],
    ["app=we b", 'unexpected "we b"'],
    ["-bad=x", "not a valid label key"],
    ["app=web!", "not a valid label value"],
    ["Bad_Prefix/x=y", "invalid prefix"],
  ])("rejects %j with a clear message", (selector, fragment) => {
    let error: unknown;
    try {
      parseSelector(selector);
    } catch (err) {
      error = err;
    }
    if (selector === "app=") {
      // an empty value is legal in Kubernetes
      expect(error).toBeUndefined();
      return;
    }
    expect(QuiesceError.is(error, "QUIESCE_VALIDATION")).toBe(true);
    expect((error as Error).message).toContain(fragment);
    expect((error as Error).message).toContain(selector);
  });

  it("matches labels like the API server does", () => {
    const reqs = parseSelector("app=web,env in (prod,staging),!canary,tier!=cache");
    expect(matchesSelector(reqs, { app: "web", env: "prod" })).toBe(true);
    expect(matchesSelector(reqs, { app: "web", env: "dev" })).toBe(false);
    expect(matchesSelector(reqs, { app: "web", env: "prod", canary: "" })).toBe(false);
    expect(matchesSelector(reqs, { app: "web", env: "prod", tier: "cache" })).toBe(false);
    expect(matchesSelector(parseSelector("n>3"), { n: "4" })).toBe(true);
    expect(matchesSelector(parseSelector("n<3"), { n: "4" })).toBe(false);
  });

  it("converts a workload's structured selector", () => {
    expect(
      selectorObjectToString({
        matchLabels: { app: "db" },
        matchExpressions: [
          { key: "tier", operator: "In", values: ["a", "b"] },
          { key: "x", operator: "DoesNotExist" },
        ],
      }),
    ).toBe("app=db,tier in (a,b),!x");
  });
});
