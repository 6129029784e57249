import { ErrorCodes } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { runAction } from "../run-action.js";
import { closedPort, startTcpServer } from "../test-support/servers.js";

const base = { executor: { type: "Operator" }, namespace: "default" } as const;

describe("tcpSocket", () => {
  it("succeeds when the port accepts a connection", async () => {
    const server = await startTcpServer();
    try {
      const result = await runAction({
        ...base,
        action: { tcpSocket: { host: "127.0.0.1", port: server.port } },
      });
      expect(result.status).toBe("succeeded");
      expect(result.targets[0]?.status).toBe("succeeded");
    } finally {
      await server.close();
    }
  });

  it("fails with the reason when nothing listens", async () => {
    const port = await closedPort();
    const result = await runAction({ ...base, action: { tcpSocket: { host: "127.0.0.1", port } } });
    expect(result.status).toBe("failed");
    expect(result.error?.code).toBe(ErrorCodes.TCP_FAILED);
    expect(result.error?.message).toContain(`127.0.0.1:${port} did not open: ECONNREFUSED`);
  });
});
