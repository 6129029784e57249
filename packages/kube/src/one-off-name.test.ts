import { describe, expect, it } from "vitest";
import { KubeApiError } from "./errors.js";
import { createMayHaveHappened, isNameTaken, oneOffName } from "./one-off-name.js";

const facts = { verb: "create", resource: "pods", namespace: "ns", name: "x" };
const answered = (statusCode: number, reason: string) =>
  new KubeApiError(facts, { statusCode, status: { code: statusCode, reason, message: reason } });

describe("one-off names", () => {
  it("adds a 5-character Kubernetes-style suffix and stays within 63 characters", () => {
    expect(oneOffName("quiesce-task-", () => 0)).toBe("quiesce-task-bbbbb");
    expect(oneOffName("a".repeat(80)).length).toBe(63);
    expect(oneOffName("p-")).toMatch(/^p-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it("cleans up only when the create's outcome is unknown", () => {
    expect(createMayHaveHappened(new Error("aborted"))).toBe(true);
    expect(createMayHaveHappened(answered(503, "ServiceUnavailable"))).toBe(true);
    expect(createMayHaveHappened(answered(409, "AlreadyExists"))).toBe(false);
    expect(createMayHaveHappened(answered(422, "Invalid"))).toBe(false);
    expect(isNameTaken(answered(409, "AlreadyExists"))).toBe(true);
    expect(isNameTaken(answered(409, "Conflict"))).toBe(false);
  });
});
