import { describe, expect, it } from "vitest";
import { ErrorCodes, QuiesceError, registerSecret, serializeError } from "./index.js";

describe("QuiesceError", () => {
  it("carries a code, a cause chain and details", () => {
    const cause = new Error("socket hang up");
    const err = new QuiesceError(ErrorCodes.KUBE_API, "list pods failed", {
      cause,
      details: { status: 503 },
    });
    expect(err.code).toBe("QUIESCE_KUBE_API");
    expect(err.cause).toBe(cause);
    expect(err.toJSON()).toEqual({
      name: "QuiesceError",
      code: "QUIESCE_KUBE_API",
      message: "list pods failed",
      details: { status: 503 },
      cause: { name: "Error", message: "socket hang up" },
    });
  });

  it("redacts registered and per-error secrets from message, details and serialized causes", () => {
    const undo = registerSecret("hunter2-token");
    try {
      const err = new QuiesceError(ErrorCodes.HTTP_FAILED, "POST with token hunter2-token failed", {
        details: { headers: { authorization: "Bearer hunter2-token" }, body: "pw=s3cr3t!" },
        secrets: ["s3cr3t!"],
        cause: new Error("upstream echoed hunter2-token"),
      });
      expect(err.message).toBe("POST with token [REDACTED] failed");
      expect(err.details).toEqual({ headers: { authorization: "Bearer [REDACTED]" }, body: "pw=[REDACTED]" });
      expect(serializeError(err).cause?.message).toBe("upstream echoed [REDACTED]");
    } finally {
      undo();
    }
    expect(new QuiesceError(ErrorCodes.HTTP_FAILED, "hunter2-token").message).toBe("hunter2-token");
  });

  it("serialises whatever its cause became: a flattened error, a value without a prototype, a throwing toString", () => {
    // What a test runner or a worker makes of a cause before it serialises the error itself.
    const flattened = Object.assign(Object.create(null) as Record<string, unknown>, {
      name: "ApiException",
      message: "HTTP-Code: 409",
      code: 409,
      cause: { name: "Error", message: "socket closed", code: "ECONNRESET" },
    });
    const err = new QuiesceError(ErrorCodes.KUBE_CONFLICT, "patch leases failed", { cause: flattened });
    expect(JSON.parse(JSON.stringify(err))).toEqual({
      name: "QuiesceError",
      code: "QUIESCE_KUBE_CONFLICT",
      message: "patch leases failed",
      cause: {
        name: "ApiException",
        message: "HTTP-Code: 409",
        cause: { name: "Error", code: "ECONNRESET", message: "socket closed" },
      },
    });
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { reason: "Conflict" });
    expect(serializeError(bare)).toEqual({ name: "NonError", message: '{"reason":"Conflict"}' });
    const hostile = {
      toString() {
        throw new Error("no");
      },
      toJSON() {
        throw new Error("no");
      },
    };
    expect(serializeError(new QuiesceError(ErrorCodes.TIMEOUT, "x", { cause: hostile })).cause).toEqual({
      name: "NonError",
      message: "[object Object]",
    });
    expect(serializeError(7)).toEqual({ name: "NonError", message: "7" });
  });
});
