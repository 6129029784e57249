import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeExecutorConformance } from "../executor.conformance.js";
import { runAction } from "../run-action.js";
import { startHttpServer, type TestHttpServer } from "../test-support/servers.js";

const node = process.execPath;

describeExecutorConformance("Operator, local exec", async () => ({
  base: { executor: { type: "Operator" }, namespace: "default", allowLocalExec: true },
  succeed: { action: { exec: { command: [node, "-e", "console.log('frozen-ok')"] } }, marker: "frozen-ok" },
  fail: {
    action: { exec: { command: [node, "-e", "process.stderr.write('disk-full\\n'); process.exit(3)"] } },
    marker: "disk-full",
    exitCode: 3,
  },
  hang: { action: { exec: { command: [node, "-e", "setInterval(() => {}, 1000)"] } } },
  possiblyStillRunningOnTimeout: false,
  targetKind: "Host",
}));

let server: TestHttpServer;
describeExecutorConformance("Operator, httpGet", async () => {
  const pending: Array<() => void> = [];
  server = await startHttpServer((req, res) => {
    if (req.url === "/ok") res.end("healthy-ok");
    else if (req.url === "/fail") res.writeHead(503).end("not-ready");
    else pending.push(() => res.destroy()); // /hang: never answers
  });
  const get = (path: string) => ({ httpGet: { scheme: "HTTP", host: "127.0.0.1", port: server.port, path } });
  return {
    base: { executor: { type: "Operator" }, namespace: "default" },
    succeed: { action: get("/ok"), marker: "healthy-ok" },
    fail: { action: get("/fail"), marker: "not-ready", httpStatus: 503 },
    hang: { action: get("/hang") },
    possiblyStillRunningOnTimeout: false,
    targetKind: "Host",
    teardown: async () => {
      for (const p of pending) p();
      await server.close();
    },
  };
});

describe("Operator executor", () => {
  it("refuses exec unless the host enables local exec, before running anything", async () => {
    const err = await runAction({
      action: { exec: { command: ["touch", "/tmp/should-not-exist"] } },
      executor: { type: "Operator" },
      namespace: "default",
    }).catch((e: unknown) => e);
    expect(QuiesceError.is(err, ErrorCodes.POLICY_REFUSED)).toBe(true);
    expect((err as Error).message).toContain("allowLocalExec: true");
  });

  it("requires a host and a numeric port for http and tcp actions", async () => {
    const noHost = await runAction({
      action: { httpGet: { scheme: "HTTP", port: 80 } },
      executor: { type: "Operator" },
      namespace: "default",
    }).catch((e: unknown) => e);
    expect(QuiesceError.is(noHost, ErrorCodes.VALIDATION)).toBe(true);
    expect((noHost as Error).message).toContain("action.httpGet.host is required with the Operator executor");
    const named = await runAction({
      action: { tcpSocket: { host: "127.0.0.1", port: "postgres" } },
      executor: { type: "Operator" },
      namespace: "default",
    }).catch((e: unknown) => e);
    expect((named as Error).message).toContain('action.tcpSocket.port "postgres" is a string');
  });

  it("reports a missing executable as a failed target, not a throw", async () => {
    const result = await runAction({
      action: { exec: { command: ["/nonexistent/quiesce-tool", "--x"] } },
      executor: { type: "Operator" },
      namespace: "default",
      allowLocalExec: true,
    });
    expect(result.status).toBe("failed");
    expect(result.error?.code).toBe("QUIESCE_EXEC_START_FAILED");
    expect(result.error?.message).toContain("ENOENT");
  });

  it("kills the whole process tree on timeout, leaving no orphan behind", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quiesce-tree-"));
    const pidFile = join(dir, "grandchild.pid");
    try {
      // The pid is written whole (renamed into place); 1 s lets the shell start and fork on a loaded
      // machine before the timeout falls.
      const script = `sleep 60 & echo $! > ${pidFile}.tmp && mv ${pidFile}.tmp ${pidFile}; wait`;
      const result = await runAction({
        action: { exec: { command: ["sh", "-c", script] } },
        executor: { type: "Operator" },
        namespace: "default",
        allowLocalExec: true,
        timeout: "1s",
      });
      expect(result.status).toBe("failed");
      expect(result.error?.code).toBe(ErrorCodes.TIMEOUT);
      expect(result.targets[0]?.possiblyStillRunning).toBeUndefined();
      const pid = Number(readFileSync(pidFile, "utf8"));
      expect(pid).toBeGreaterThan(0);
      expect(await stopsRunning(pid)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps only the tail of a large output", async () => {
    const result = await runAction({
      action: { exec: { command: [node, "-e", "for (let i = 0; i < 20000; i++) console.log('line ' + i)"] } },
      executor: { type: "Operator" },
      namespace: "default",
      allowLocalExec: true,
      outputLimitBytes: 1024,
    });
    expect(result.status).toBe("succeeded");
    const t = result.targets[0];
    expect(t?.outputTruncated).toBe(true);
    expect(Buffer.byteLength(t?.stdout ?? "")).toBeLessThanOrEqual(1024);
    expect(t?.stdout.trimEnd().endsWith("line 19999")).toBe(true);
  });
});

describe("Operator executor with a port written as a string", () => {
  let s: TestHttpServer;
  beforeAll(async () => {
    s = await startHttpServer((_req, res) => res.end("x"));
  });
  afterAll(() => s.close());
  // kmodules.xyz/prober extractPort: an IntOrString of type String is looked up in the executor
  // pod ("failed to extract port. invalid pod" without one), digits or not; a number works.
  it("refuses it before anything runs, digits or not, and takes the number", async () => {
    const quoted = await runAction({
      action: { httpGet: { scheme: "HTTP", host: "127.0.0.1", port: String(s.port) } },
      executor: { type: "Operator" },
      namespace: "default",
    }).catch((e: unknown) => e);
    expect(QuiesceError.is(quoted, ErrorCodes.VALIDATION)).toBe(true);
    expect((quoted as Error).message).toContain(`action.httpGet.port "${s.port}" is a string`);
    expect(s.requests).toHaveLength(0);
    const result = await runAction({
      action: { httpGet: { scheme: "HTTP", host: "127.0.0.1", port: s.port } },
      executor: { type: "Operator" },
      namespace: "default",
    });
    expect(result.status).toBe("succeeded");
  });
});

// kmodules.xyz/prober probe/prober.go executeProbe: exec, then httpGet, httpPost, tcpSocket, each
// that is set, returning at the first that does not succeed.
describe("Operator executor with several handlers in one action", () => {
  let s: TestHttpServer;
  beforeAll(async () => {
    s = await startHttpServer((req, res) =>
      res.writeHead(req.url === "/down" ? 500 : 200).end(`seen ${req.url}`),
    );
  });
  afterAll(() => s.close());
  const at = (path: string) => ({ scheme: "HTTP", host: "127.0.0.1", port: s.port, path });

  it("runs them in the prober's order and keeps what each reported", async () => {
    const before = s.requests.length;
    const result = await runAction({
      action: {
        httpPost: { ...at("/notify"), body: "frozen" },
        exec: { command: [node, "-e", "console.log('synced')"] },
        httpGet: at("/ready"),
      },
      executor: { type: "Operator" },
      namespace: "default",
      allowLocalExec: true,
    });
    expect(result).toMatchObject({
      status: "succeeded",
      action: "exec",
      targets: [{ exitCode: 0, stdout: "synced\n", httpStatus: 200, responseBody: "seen /notify" }],
    });
    expect(s.requests.slice(before).map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /ready",
      "POST /notify",
    ]);
  });

  it("stops at the first handler that fails", async () => {
    const before = s.requests.length;
    const failedExec = await runAction({
      action: { exec: { command: [node, "-e", "process.exit(4)"] }, httpGet: at("/ready") },
      executor: { type: "Operator" },
      namespace: "default",
      allowLocalExec: true,
    });
    expect(failedExec).toMatchObject({ status: "failed", targets: [{ exitCode: 4 }] });
    expect(failedExec.targets[0]?.httpStatus).toBeUndefined();
    expect(s.requests.length).toBe(before);
    const failedGet = await runAction({
      action: { httpGet: at("/down"), httpPost: { ...at("/notify"), body: "x" } },
      executor: { type: "Operator" },
      namespace: "default",
    });
    expect(failedGet).toMatchObject({ status: "failed", targets: [{ httpStatus: 500 }] });
    expect(s.requests.slice(before).map((r) => r.url)).toEqual(["/down"]);
  });

  it("checks every handler's host before anything runs", async () => {
    const err = await runAction({
      action: { httpGet: at("/ready"), tcpSocket: { port: s.port } },
      executor: { type: "Operator" },
      namespace: "default",
    }).catch((e: unknown) => e);
    expect((err as Error).message).toContain("action.tcpSocket.host is required with the Operator executor");
  });
});

/**
 * Whether `pid` stops running within 5 s (far less than the 60 s it would otherwise run). A killed
 * process closes its output before it ends: the result, which waits for that output to close, can
 * come a moment before the kernel has finished the process (seen as "R" in /proc under load).
 */
async function stopsRunning(pid: number): Promise<boolean> {
  const deadline = Date.now() + 5_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/** True while `pid` runs; a zombie (killed, not yet reaped by an init that never reaps) is not running. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return true;
  }
}
