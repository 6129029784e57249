import { join } from "node:path";
import { secretForms } from "@quiesce/core";
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "./main.js";
import { CORPUS, corpus, FIXTURES, memoryIO } from "./test-support/memory-io.js";

const MONGO = join(CORPUS, "kanister/mongo-sidecar-mongo-sidecar-blueprint.yaml");
const KV = join(FIXTURES, "kanister/kv-store-blueprint.yaml");
const b64 = (s: string) => Buffer.from(s).toString("base64");
let lc: LocalCluster;

beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: ["mongo", "kv"],
  });
  await lc.apply(`
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: kv, namespace: kv }
spec:
  replicas: 2
  serviceName: kv
  selector: { matchLabels: { app: kv } }
  template:
    metadata: { labels: { app: kv } }
    spec:
      containers:
      - { name: kv, image: example/kv:2 }
      - { name: kv-tools, image: example/kv-tools:2 }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: kv-target, namespace: kv }
data: { bucket: "s3://kv-snapshots" }
---
apiVersion: v1
kind: Secret
metadata: { name: kv-bucket, namespace: kv }
data: { accessKey: ${b64("AKIAKV")}, secretKey: ${b64("kv-bucket-secret")} }
`);
  await lc.apply(`
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: mongo, namespace: mongo }
spec:
  replicas: 1
  serviceName: mongo
  selector: { matchLabels: { app: mongo } }
  template:
    metadata: { labels: { app: mongo } }
    spec:
      containers:
      - { name: mongo, image: mongo:4 }
      - { name: mongo-tools-sidecar, image: example/mongo-tools:1 }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: mongo-location, namespace: mongo }
data: { bucket: "s3://mongo-bucket" }
---
apiVersion: v1
kind: Secret
metadata: { name: aws-creds, namespace: mongo }
data: { aws_access_key_id: ${b64("AKIAMONGO")}, aws_secret_access_key: ${b64("mongo-secret-key")} }
`);
  await lc.cluster.waitFor(
    { group: "apps", version: "v1", resource: "statefulsets", namespace: "mongo", name: "mongo" },
    (o) => ((o?.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0) === 1,
    { timeoutMs: 10_000 },
  );
});
afterAll(() => lc.stop());

const args = () => [
  "run",
  MONGO,
  "--action",
  "backup",
  "--subject",
  "statefulset/mongo/mongo",
  "--kubeconfig",
  lc.kubeconfigPath,
  "--configmap",
  "location=mongo/mongo-location",
  "--secret",
  "aws=mongo/aws-creds",
  "--timeout",
  "1m",
];

const kvArgs = () => [
  "run",
  KV,
  "--action",
  "backup",
  "--subject",
  "statefulset/kv/kv",
  "--kubeconfig",
  lc.kubeconfigPath,
  "--configmap",
  "target=kv/kv-target",
  "--secret",
  "bucketCreds=kv/kv-bucket",
  "--timeout",
  "1m",
];

describe("quiesce run", () => {
  it("runs a Blueprint action against the cluster and prints a readable summary", async () => {
    await lc.cluster.waitFor(
      { group: "apps", version: "v1", resource: "statefulsets", namespace: "kv", name: "kv" },
      (o) => ((o?.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0) === 2,
      { timeoutMs: 10_000 },
    );
    const execs: string[] = [];
    const undo = lc.runtime.onExec({ namespace: "kv" }, (ctx) => {
      execs.push(`${ctx.pod}/${ctx.container}`);
      return {
        stdout: ctx.container === "kv-tools" ? '###Phase-output###: {"key":"size","value":"7"}\n' : "",
      };
    });
    try {
      const { io, out } = memoryIO();
      const code = await main(kvArgs(), io);
      // Progress on stderr: each phase, and KubeExecAll's share of its commands done.
      expect(out.stderr).toBe(
        "> phase flush (KubeExecAll)\n  flush: 50%\n  flush: 100%\n> phase upload (KubeExec)\n",
      );
      expect(code).toBe(0);
      expect(execs.sort()).toEqual(["kv-0/kv", "kv-0/kv-tools", "kv-1/kv"]);
      expect(out.stdout).toMatch(/^action backup on StatefulSet kv\/kv: succeeded in /);
      expect(out.stdout).toMatch(/ {2}ok {8}phase flush \(KubeExecAll\) /);
      expect(out.stdout).toContain('output: {"size":"7"}');
      expect(out.stdout).toMatch(
        /snapshot: \{"KeyValue":\{"url":"s3:\/\/kv-snapshots\/kv\/kv\/[\d-]+\.snap","pods":"2"\}\}/,
      );
    } finally {
      undo();
    }
  });

  it("exits 1 with the exit code and stderr in the summary when a command fails, and --json gives the ActionResult", async () => {
    const undoFlush = lc.runtime.onExec({ container: "kv" }, () => ({}));
    const undo = lc.runtime.onExec({ container: "kv-tools" }, () => ({
      stderr: "uploader: bucket not found\n",
      exitCode: 3,
    }));
    try {
      const { io, out } = memoryIO();
      expect(await main(kvArgs(), io)).toBe(1);
      expect(out.stdout).toMatch(/^action backup on StatefulSet kv\/kv: failed in /);
      expect(out.stdout).toMatch(/FAILED {4}phase upload \(KubeExec\)/);
      expect(out.stdout).toContain("command terminated with exit code 3.");
      expect(out.stdout).toContain("stderr: uploader: bucket not found");
      expect(out.stdout).toContain("QUIESCE_EXEC_NONZERO_EXIT");
      expect(out.stdout).not.toContain("output artifacts:");
      const json = memoryIO();
      expect(await main([...kvArgs(), "--json"], json.io)).toBe(1);
      expect(json.out.stderr).toBe("");
      const result = JSON.parse(json.out.stdout) as {
        status: string;
        phases: Array<{ status: string; error?: { code?: string } }>;
      };
      expect(result.status).toBe("failed");
      expect(result.phases.map((p) => [p.status, p.error?.code])).toEqual([
        ["succeeded", undefined],
        ["failed", "QUIESCE_EXEC_NONZERO_EXIT"],
      ]);
    } finally {
      undoFlush();
      undo();
    }
  });

  it("prints no Secret the action read, in any form: not in the summary, the JSON result or the progress", async () => {
    const undoFlush = lc.runtime.onExec({ container: "kv" }, () => ({}));
    // The uploader echoes the key it was given, raw and URL-encoded; then a run whose command hangs
    // ends at its phase time limit with an error quoting the command (the script, secret inside) as JSON.
    const undo = lc.runtime.onExec({ container: "kv-tools" }, (ctx) => ({
      stderr: `auth failed for ${ctx.argv.join(" ")} (${encodeURIComponent("kv-bucket-secret")})\n`,
      exitCode: 3,
    }));
    try {
      const outputs: string[] = [];
      for (const extra of [[], ["--json"]]) {
        const { io, out } = memoryIO();
        expect(await main([...kvArgs(), ...extra], io)).toBe(1);
        outputs.push(out.stdout, out.stderr);
      }
      undo();
      const undoHang = lc.runtime.onExec({ container: "kv-tools" }, async (ctx) => {
        await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
        return {};
      });
      try {
        const { io, out } = memoryIO();
        expect(await main([...kvArgs(), "--phase-timeout", "1s", "-o", "json"], io)).toBe(1);
        expect(out.stdout).toContain("QUIESCE_TIMEOUT");
        outputs.push(out.stdout, out.stderr);
      } finally {
        undoHang();
      }
      expect(outputs.join("\n")).toContain("[REDACTED]");
      for (const form of secretForms("kv-bucket-secret")) expect(outputs.join("\n")).not.toContain(form);
    } finally {
      undoFlush();
      undo();
    }
  });

  it("runs a corpus Blueprint action against the cluster and prints a readable summary", corpus, async () => {
    const scripts: string[] = [];
    const undo = lc.runtime.onExec({ container: "mongo-tools-sidecar" }, (ctx) => {
      scripts.push(`${ctx.pod} ${ctx.argv.at(-1)}`);
      return { stdout: 'upload: rs0.tar\n###Phase-output###: {"key":"uploaded","value":"yes"}\n' };
    });
    try {
      const { io, out } = memoryIO();
      const code = await main(args(), io);
      expect(out.stderr).toBe("> phase takeConsistentBackup (KubeExec)\n");
      expect(code).toBe(0);
      expect(scripts).toHaveLength(1);
      expect(scripts[0]).toMatch(/^mongo-0 /);
      expect(scripts[0]).toContain("export AWS_ACCESS_KEY_ID=AKIAMONGO");
      expect(out.stdout).toMatch(/^action backup on StatefulSet mongo\/mongo: succeeded in /);
      expect(out.stdout).toMatch(/ {2}ok {8}phase takeConsistentBackup \(KubeExec\) /);
      expect(out.stdout).toContain('output: {"uploaded":"yes"}');
      expect(out.stdout).toMatch(
        /cloudObject: \{"KeyValue":\{"path":"s3:\/\/mongo-bucket\/backups\/mongo\/[\dT-]+\/rs0\.tar"\}\}/,
      );
    } finally {
      undo();
    }
  });

  it(
    "exits 1 with the exit code and stderr in the summary when the command fails, and --json gives the ActionResult",
    corpus,
    async () => {
      const undo = lc.runtime.onExec({ container: "mongo-tools-sidecar" }, () => ({
        stderr: "mongo: connection refused\n",
        exitCode: 3,
      }));
      try {
        const { io, out } = memoryIO();
        expect(await main(args(), io)).toBe(1);
        expect(out.stdout).toMatch(/^action backup on StatefulSet mongo\/mongo: failed in /);
        expect(out.stdout).toMatch(/FAILED {4}phase takeConsistentBackup \(KubeExec\)/);
        expect(out.stdout).toContain("command terminated with exit code 3.");
        expect(out.stdout).toContain("stderr: mongo: connection refused");
        expect(out.stdout).toContain("QUIESCE_EXEC_NONZERO_EXIT");
        expect(out.stdout).not.toContain("output artifacts:");

        const json = memoryIO();
        expect(await main([...args(), "--json"], json.io)).toBe(1);
        expect(json.out.stderr).toBe("");
        const result = JSON.parse(json.out.stdout) as {
          status: string;
          phases: Array<{ status: string; error?: { code?: string } }>;
        };
        expect(result.status).toBe("failed");
        expect(result.phases[0]).toMatchObject({
          status: "failed",
          error: { code: "QUIESCE_EXEC_NONZERO_EXIT" },
        });
      } finally {
        undo();
      }
    },
  );

  it("prints a Kubernetes API error in -o json as the text does: the answer's Status, no HTTP dump", async () => {
    const blueprint = [
      "apiVersion: cr.kanister.io/v1alpha1",
      "kind: Blueprint",
      "metadata: { name: gone }",
      "actions:",
      "  backup:",
      "    phases:",
      "      - func: KubeExec",
      "        name: poke",
      '        args: { namespace: kv, pod: gone-0, container: kv, command: ["true"] }',
      "",
    ].join("\n");
    const run = async (...extra: string[]) => {
      const { io, out } = memoryIO();
      const stdin = (async function* () {
        yield blueprint;
      })();
      const argv = ["run", "-", "--action", "backup", "--subject", "statefulset/kv/kv"];
      const code = await main([...argv, "--kubeconfig", lc.kubeconfigPath, ...extra], { ...io, stdin });
      return { code, out };
    };
    const text = await run();
    expect(text.code).toBe(1);
    expect(text.out.stdout).toContain('pods "gone-0" not found');
    expect(text.out.stdout).not.toContain("HTTP-Code");
    const json = await run("-o", "json");
    expect(json.code).toBe(1);
    for (const dump of ["HTTP-Code", "Headers", "content-type"]) expect(json.out.stdout).not.toContain(dump);
    const causes: unknown[] = [];
    const walk = (e: { cause?: unknown } | undefined) => {
      for (let c = e?.cause; c; c = (c as { cause?: unknown }).cause) causes.push(c);
    };
    const result = JSON.parse(json.out.stdout) as { phases: Array<{ error?: { cause?: unknown } }> };
    walk(result.phases[0]?.error);
    expect(causes).toContainEqual({
      name: "Error",
      message: 'the Kubernetes API answered HTTP 404: pods "gone-0" not found',
      details: { statusCode: 404, reason: "NotFound", message: 'pods "gone-0" not found' },
    });
  });

  it("prints the action's warnings in the summary: its session record fell behind", async () => {
    const blueprint = [
      "apiVersion: cr.kanister.io/v1alpha1",
      "kind: Blueprint",
      "metadata: { name: behind }",
      "actions:",
      "  backup:",
      "    phases:",
      "      - func: KubeExec",
      "        name: flush",
      '        args: { namespace: kv, pod: kv-0, container: kv, command: ["flush"] }',
      "    deferPhase:",
      "      func: KubeExec",
      "      name: resume",
      '      args: { namespace: kv, pod: kv-0, container: kv, command: ["resume"] }',
      "",
    ].join("\n");
    const undo = lc.runtime.onExec({ container: "kv" }, () => ({}));
    const refusal = lc.faults.add({
      verb: "patch",
      resource: "configmaps",
      status: 403,
      times: Number.POSITIVE_INFINITY,
    });
    try {
      const { io, out } = memoryIO();
      const stdin = (async function* () {
        yield blueprint;
      })();
      const argv = ["run", "-", "--action", "backup", "--subject", "statefulset/kv/kv"];
      const code = await main([...argv, "--kubeconfig", lc.kubeconfigPath], { ...io, stdin });
      expect(code, out.stderr).toBe(0);
      const warnings = out.stdout.split("\n").filter((l) => l.startsWith("warning: "));
      expect(warnings).toEqual([
        expect.stringMatching(
          /^warning: .*a phase's output not recorded \(1 write failed\).* \[QUIESCE_SESSION_RECORD_FAILED\]/,
        ),
        expect.stringMatching(
          /^warning: .*the deferPhase's claim not recorded.* \[QUIESCE_SESSION_RECORD_FAILED\]/,
        ),
      ]);
    } finally {
      refusal.remove();
      undo();
    }
  });

  it("rejects a malformed subject as a usage error before connecting", async () => {
    const { io, out } = memoryIO();
    const code = await main(["run", MONGO, "--action", "backup", "--subject", "mongo"], io);
    expect(code).toBe(2);
    expect(out.stderr).toContain("--subject: expected <kind>/<name> or <kind>/<namespace>/<name>");
  });
});
