import { describe, expect, it } from "vitest";
import { matchesLabelSelector } from "./label-selector.js";
import { resolveParams } from "./params.js";

describe("resolveParams", () => {
  const defs = [
    { name: "DB", required: true, usage: "database to freeze" },
    { name: "MODE", default: "fast" },
    { name: "EXTRA" },
  ];

  it("applies defaults and keeps given values", () => {
    expect(resolveParams(defs, { DB: "orders" }, "freeze")).toEqual({ DB: "orders", MODE: "fast" });
    expect(resolveParams(defs, { DB: "orders", MODE: "slow", EXTRA: 3 }, "freeze")).toEqual({
      DB: "orders",
      MODE: "slow",
      EXTRA: 3,
    });
  });

  it("names a missing required param and an unknown one", () => {
    expect(() => resolveParams(defs, {}, "freeze")).toThrow(
      /hook "freeze": required param "DB" is missing \(database to freeze\)/,
    );
    expect(() => resolveParams(defs, { DB: "x", DBNAME: "y" }, "freeze")).toThrow(/unknown param "DBNAME"/);
    try {
      resolveParams(undefined, { A: 1 }, "h");
    } catch (err) {
      expect((err as { code: string }).code).toBe("QUIESCE_INVALID_PARAMS");
      expect((err as Error).message).toContain("the template declares no params");
    }
  });
});

describe("matchesLabelSelector", () => {
  const labels = { env: "prod", team: "db" };
  it("evaluates matchLabels and every operator", () => {
    expect(matchesLabelSelector({}, labels)).toBe(true);
    expect(matchesLabelSelector({ matchLabels: { env: "prod" } }, labels)).toBe(true);
    expect(matchesLabelSelector({ matchLabels: { env: "dev" } }, labels)).toBe(false);
    expect(
      matchesLabelSelector(
        { matchExpressions: [{ key: "env", operator: "In", values: ["prod", "staging"] }] },
        labels,
      ),
    ).toBe(true);
    expect(
      matchesLabelSelector(
        { matchExpressions: [{ key: "env", operator: "NotIn", values: ["prod"] }] },
        labels,
      ),
    ).toBe(false);
    expect(
      matchesLabelSelector({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["x"] }] }, labels),
    ).toBe(true);
    expect(matchesLabelSelector({ matchExpressions: [{ key: "team", operator: "Exists" }] }, labels)).toBe(
      true,
    );
    expect(
      matchesLabelSelector({ matchExpressions: [{ key: "team", operator: "DoesNotExist" }] }, labels),
    ).toBe(false);
  });
});
