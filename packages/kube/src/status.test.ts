import { describe, expect, it } from "vitest";
import { execOutcome, parseStatus, parseStatusFrame } from "./status.js";

describe("exec status channel", () => {
  it("reads Success as exit code 0", () => {
    expect(execOutcome({ kind: "Status", status: "Success", metadata: {} } as never)).toEqual({
      kind: "exited",
      exitCode: 0,
    });
  });

  it("reads the exit code of NonZeroExitCode from its ExitCode cause", () => {
    const status = parseStatus(
      JSON.stringify({
        metadata: {},
        status: "Failure",
        message:
          "command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3",
        reason: "NonZeroExitCode",
        details: { causes: [{ reason: "ExitCode", message: "3" }] },
      }),
    );
    expect(status && execOutcome(status)).toEqual({ kind: "exited", exitCode: 3 });
  });

  it("reports any other failure as a failure with its Status", () => {
    const status = { status: "Failure", reason: "InternalError", message: "pod deleted", code: 500 };
    expect(execOutcome(status)).toEqual({ kind: "failed", status });
    expect(execOutcome({ status: "Failure", reason: "NonZeroExitCode", details: { causes: [] } }).kind).toBe(
      "failed",
    );
  });

  it("reads the bare Status the server sends on the status channel", () => {
    const frame = parseStatusFrame(Buffer.from('{"metadata":{},"status":"Success"}'));
    expect(frame && execOutcome(frame)).toEqual({ kind: "exited", exitCode: 0 });
    expect(parseStatusFrame(Buffer.from("garbage"))).toBeUndefined();
  });

  it("parses Status bodies and ignores other text", () => {
    expect(parseStatus('{"kind":"Status","status":"Failure","reason":"NotFound","code":404}')?.reason).toBe(
      "NotFound",
    );
    expect(parseStatus("404 page not found")).toBeUndefined();
    expect(parseStatus('{"kind":"Pod"}')).toBeUndefined();
    expect(parseStatus(Buffer.from('{"status":"Success","code":200}'))?.status).toBe("Success");
  });
});
