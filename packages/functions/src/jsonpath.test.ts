import { describe, expect, it } from "vitest";
import { evaluateJsonPath, goPrint, jsonPathToString, resolveJsonPathArgs } from "./jsonpath.js";

const pod = {
  spec: { replicas: 3, containers: [{ name: "db" }, { name: "sidecar" }] },
  status: {
    phase: "Running",
    health: "green",
    finished: ["node-0", "node-1"],
    conditions: [
      { type: "Initialized", status: "True" },
      { type: "Ready", status: "False" },
    ],
    containerStatuses: [{ name: "db", ready: true }],
  },
};

describe("JSONPath (kubectl semantics)", () => {
  it("reads fields, indexes, wildcards, slices and filters", () => {
    expect(jsonPathToString(pod, "$.status.phase")).toBe("Running");
    expect(jsonPathToString(pod, ".spec.replicas")).toBe("3");
    expect(jsonPathToString(pod, "$.spec.containers[1].name")).toBe("sidecar");
    expect(jsonPathToString(pod, "$.spec.containers[*].name")).toBe("db sidecar");
    expect(jsonPathToString(pod, "$.status.finished[]")).toBe("node-0");
    expect(jsonPathToString(pod, "$.status.finished[0:2]")).toBe("node-0 node-1");
    expect(jsonPathToString(pod, "$.spec.containers[-1].name")).toBe("sidecar");
    expect(jsonPathToString(pod, '$.status.conditions[?(@.type=="Ready")].status')).toBe("False");
    expect(jsonPathToString(pod, "$['status']['phase']")).toBe("Running");
    expect(jsonPathToString(pod, "$.status.containerStatuses[].ready")).toBe("true");
  });

  it("throws on a missing key (the Wait keeps waiting)", () => {
    expect(() => evaluateJsonPath(pod, "$.status.finishTime")).toThrowError(/finishTime is not found/);
  });

  it("prints values as Go's fmt does", () => {
    expect(goPrint({ b: 1, a: ["x", true] })).toBe("map[a:[x true] b:1]");
    expect(goPrint(null)).toBe("<nil>");
    expect(goPrint(1.5)).toBe("1.5");
  });

  it("substitutes { $.path } inside a Wait condition", () => {
    const cond =
      '{{ if or (eq "{ $.status.health }" "green") (eq "{$.status.health}" "yellow") }}true{{ end }}';
    expect(resolveJsonPathArgs(pod, cond)).toBe(
      '{{ if or (eq "green" "green") (eq "green" "yellow") }}true{{ end }}',
    );
    expect(resolveJsonPathArgs(pod, 'x "$.status.phase" y')).toBe('x "$.status.phase" y');
    expect(resolveJsonPathArgs(pod, "{$.status[[}")).toBe("");
  });
});
