import { QuiesceError } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import type { ExecResult } from "./cluster.js";
import { assertExitZero, codeForStatus, ExecFailedError, ExecTimeoutError, KubeApiError } from "./errors.js";

const result: ExecResult = {
  pod: "db-0",
  container: "pg",
  exitCode: 2,
  stdout: "partial",
  stderr: "line 1\nFATAL: no space left\n",
  stdoutTruncated: false,
  stderrTruncated: false,
  stdoutDroppedBytes: 0,
  stderrDroppedBytes: 0,
  durationMs: 12,
};

describe("KubeApiError", () => {
  it.each([
    [404, "QUIESCE_KUBE_NOT_FOUND"],
    [401, "QUIESCE_KUBE_FORBIDDEN"],
    [403, "QUIESCE_KUBE_FORBIDDEN"],
    [409, "QUIESCE_KUBE_CONFLICT"],
    [400, "QUIESCE_KUBE_INVALID"],
    [422, "QUIESCE_KUBE_INVALID"],
    [410, "QUIESCE_KUBE_GONE"],
    [500, "QUIESCE_KUBE_API"],
    [429, "QUIESCE_KUBE_API"],
  ])("maps HTTP %i to %s", (status, code) => {
    expect(codeForStatus(status)).toBe(code);
  });

  it("keeps the Status reason, message and code and the request in details", () => {
    const cause = new Error("HTTP 404");
    const err = new KubeApiError(
      { verb: "get", resource: "pods", namespace: "db", name: "x" },
      {
        statusCode: 404,
        status: { status: "Failure", reason: "NotFound", message: 'pods "x" not found', code: 404 },
      },
      { cause, attempts: 1 },
    );
    expect(err.code).toBe("QUIESCE_KUBE_NOT_FOUND");
    expect(err.message).toBe('get pods "db/x": pods "x" not found (NotFound 404)');
    expect(err.details).toMatchObject({
      verb: "get",
      resource: "pods",
      namespace: "db",
      name: "x",
      reason: "NotFound",
      statusCode: 404,
    });
    expect(err.cause).toBe(cause);
    expect(err.reason).toBe("NotFound");
    expect(QuiesceError.is(err)).toBe(true);
  });

  it("describes a failure without an answer by its cause", () => {
    const err = new KubeApiError(
      { verb: "list", resource: "pods" },
      {},
      { cause: new Error("socket hang up") },
    );
    expect(err.code).toBe("QUIESCE_KUBE_API");
    expect(err.message).toContain("socket hang up");
  });
});

describe("exec failures", () => {
  it("assertExitZero passes exit 0 and throws the tails otherwise", () => {
    expect(assertExitZero({ ...result, exitCode: 0 }).exitCode).toBe(0);
    try {
      assertExitZero(result, ["pg_dump"]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ExecFailedError);
      expect((err as ExecFailedError).code).toBe("QUIESCE_EXEC_NONZERO_EXIT");
      expect((err as Error).message).toContain("exited with code 2: FATAL: no space left");
      expect((err as ExecFailedError).details).toMatchObject({
        stdout: "partial",
        exitCode: 2,
        command: ["pg_dump"],
      });
    }
  });

  it("a timeout says the command may still be running and keeps the partial output", () => {
    const err = new ExecTimeoutError(["sleep", "60"], 50, { ...result, stdout: "so far", durationMs: 51 });
    expect(err.code).toBe("QUIESCE_TIMEOUT");
    expect(err.possiblyStillRunning).toBe(true);
    expect(err.details.possiblyStillRunning).toBe(true);
    expect(err.partial.stdout).toBe("so far");
    expect(err.message).toContain("may still be running");
  });
});
