/**
 * The local cluster driven by real clients: kubectl and the official Python client run their basic
 * operations against it. Each client is found on the machine (or installed from Debian when the
 * tests run as root, as in CI); when it is missing the suite says so in one line and skips.
 * `QUIESCE_KUBECTL` names another kubectl binary to drive it with.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostTool } from "../host-tools.js";
import { type LocalCluster, startLocalCluster } from "../local-cluster.js";
import type { ProcessRuntime } from "../runtime/process.js";
import { KUBECTL_OPERATIONS } from "./kubectl-operations.js";
import { type OperationReport, reportLine, runCommand, runOperations } from "./run-client.js";

const kubectl = hostTool({
  name: "kubectl",
  command: process.env.QUIESCE_KUBECTL || "kubectl",
  args: ["version", "--client"],
  debianPackage: "kubernetes-client",
});
const python = hostTool({
  name: "the Kubernetes Python client",
  command: "/usr/bin/python3",
  args: ["-c", "import kubernetes"],
  debianPackage: "python3-kubernetes",
});
for (const tool of [kubectl, python]) {
  if (!tool.available) process.stdout.write(`real clients: ${tool.reason}; its suite is skipped\n`);
}

let lc: LocalCluster<ProcessRuntime>;
let dir: string;
beforeAll(async () => {
  if (!kubectl.available && !python.available) return;
  // HTTPS (kubectl sends its token only over TLS) and real processes (exec, logs, cp do real work).
  lc = await startLocalCluster({ runtime: "process", tls: true, podStartDelayMs: 0, readyDelayMs: 0 });
  dir = await mkdtemp(join(tmpdir(), "quiesce-clients-"));
}, 60_000);
afterAll(async () => {
  await lc?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function expectAllPassed(report: OperationReport): void {
  expect(report.failed).toEqual([]);
}

describe.skipIf(!kubectl.available)("kubectl", () => {
  it("runs its basic operations against the local cluster", async () => {
    if (!kubectl.available) return;
    const version = await runCommand(kubectl.command, ["version", "--client", "-o", "json"]);
    const client = (JSON.parse(version.stdout || "{}") as { clientVersion?: { gitVersion?: string } })
      .clientVersion?.gitVersion;
    const minor = Number(/^v1\.(\d+)/.exec(client ?? "")?.[1] ?? 99);
    const applicable = KUBECTL_OPERATIONS.filter((o) => (o.since ?? 0) <= minor);
    const report = await runOperations(applicable, { lc, kubectl: kubectl.command, dir, minor });
    const newer = KUBECTL_OPERATIONS.filter((o) => (o.since ?? 0) > minor).map((o) => o.name);
    const note = newer.length > 0 ? ` (not in this kubectl: ${newer.join(", ")})` : "";
    process.stdout.write(`${reportLine(`kubectl ${client ?? "(unknown version)"}`, report)}${note}\n`);
    expectAllPassed(report);
  }, 300_000);
});

describe.skipIf(!python.available)("Python client", () => {
  it("runs its basic operations against the local cluster", async () => {
    if (!python.available) return;
    const script = fileURLToPath(new URL("./python-client.py", import.meta.url));
    const run = await runCommand(python.command, [script, lc.kubeconfigPath, "py"], { timeoutMs: 240_000 });
    const report: OperationReport = { passed: [], failed: [] };
    for (const line of run.stdout.split("\n")) {
      const m = /^(ok|FAIL) ([^:]+)(?:: (.*))?$/.exec(line);
      if (m?.[1] === "ok") report.passed.push(m[2] as string);
      else if (m) report.failed.push({ name: m[2] as string, error: m[3] ?? "" });
    }
    process.stdout.write(`${reportLine("Python client", report)}\n`);
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(report.passed.length).toBeGreaterThan(25);
    expectAllPassed(report);
  }, 300_000);
});
