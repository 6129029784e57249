import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalCluster } from "@quiesce/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { main } from "./main.js";
import { blueprint, hookTemplates, kubestashDocuments, veleroBackup } from "./test-support/hook-documents.js";
import { memoryIO } from "./test-support/memory-io.js";
import { startShopCluster } from "./test-support/shop-cluster.js";

let lc: LocalCluster;
let dir: string;
const execs: string[] = [];

beforeAll(async () => {
  lc = await startShopCluster((ctx) => {
    execs.push(`${ctx.pod}/${ctx.container}: ${ctx.argv.join(" ")}`);
    if (ctx.argv.join(" ").includes("fail-me")) return { stderr: "psql: could not connect\n", exitCode: 2 };
    return { stdout: "ok\n" };
  });
  dir = mkdtempSync(join(tmpdir(), "quiesce-hooks-cli-"));
  writeFileSync(join(dir, "kubestash.yaml"), kubestashDocuments("shop"));
  writeFileSync(join(dir, "velero-backup.yaml"), veleroBackup("shop"));
  writeFileSync(join(dir, "blueprint.yaml"), blueprint("shop"));
});
afterAll(async () => {
  await lc?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const node = process.execPath;
const run = async (args: string[]) => {
  execs.length = 0;
  const { io, out } = memoryIO(dir);
  const code = await main(["hooks", "--kubeconfig", lc.kubeconfigPath, ...args], io);
  return { code, out, execs: [...execs].sort() };
};

describe("quiesce hooks", () => {
  it("runs a BackupConfiguration's hooks around the command, with progress on stderr and a summary on stdout", async () => {
    const { code, out, execs } = await run([
      "-f",
      "kubestash.yaml",
      "--",
      node,
      "-e",
      "console.log('copied 3 files')",
    ]);
    expect(code).toBe(0);
    expect(execs).toEqual([
      "db-0/db: /bin/sh -c psql -c 'select pg_backup_start(1)'",
      "db-0/db: /bin/sh -c psql -c 'select pg_backup_stop()'",
      "db-1/db: /bin/sh -c psql -c 'select pg_backup_start(1)'",
      "db-1/db: /bin/sh -c psql -c 'select pg_backup_stop()'",
    ]);
    const progress = out.stderr.split("\n");
    expect(progress[0]).toBe("> pre freeze-db (shop)");
    expect(progress[1]).toMatch(/^ {2}ok pre freeze-db \(shop\) \d+ms$/);
    expect(progress[2]).toBe(`> command ${node} -e console.log('copied 3 files')`);
    expect(progress[3]).toBe("  command exited with code 0");
    expect(progress[4]).toBe("> post thaw-db (shop)");
    // The command's own output passes through.
    expect(out.stdout).toContain("copied 3 files\n");
    expect(out.stdout).toMatch(/hooks session \S+: succeeded in \S+ \(all-succeeded\)/);
    expect(out.stdout).toMatch(/ok {8}pre freeze-db \[kubestash\] in shop/);
    expect(out.stdout).toMatch(/ok {8}command .* -e console.log\('copied 3 files'\) \S+, exit code 0/);
  });

  it("exits with the command's exit code when it fails, and the post hook still runs", async () => {
    const { code, out, execs } = await run([
      "-f",
      "kubestash.yaml",
      "-o",
      "json",
      "--",
      node,
      "-e",
      "process.exit(3)",
    ]);
    expect(code).toBe(3);
    expect(execs.filter((e) => e.includes("pg_backup_stop"))).toHaveLength(2);
    const result = JSON.parse(out.stdout) as {
      outcome: string;
      decidedBy: string;
      command: { exitCode: number };
      hooks: Array<{ name: string; status: string }>;
    };
    expect(result).toMatchObject({ outcome: "failed", decidedBy: "step-failed", command: { exitCode: 3 } });
    expect(result.hooks.map((h) => [h.name, h.status])).toEqual([
      ["freeze-db", "succeeded"],
      ["thaw-db", "succeeded"],
    ]);
    expect(out.stderr).toBe("");
  });

  it("takes HookTemplates by name with --pre/--post and a subject from -n; a failing pre hook skips the command", async () => {
    writeFileSync(join(dir, "failing.yaml"), hookTemplates("shop", "fail-me"));
    const { code, out } = await run([
      "-f",
      "failing.yaml",
      "-n",
      "shop",
      "--pre",
      "freeze",
      "--post",
      "shop/thaw",
      "-o",
      "yaml",
      "--",
      node,
      "-e",
      "require('fs').writeFileSync('ran', 'x')",
    ]);
    expect(code).toBe(1);
    const result = parseYaml(out.stdout) as {
      decidedBy: string;
      step: { status: string };
      hooks: Array<{ name: string; status: string }>;
    };
    expect(result.decidedBy).toBe("pre-hook-failed");
    expect(result.step.status).toBe("skipped");
    expect(result.hooks.map((h) => [h.name, h.status])).toEqual([
      ["freeze", "failed"],
      ["thaw", "succeeded"],
    ]);
    expect(() => rmSync(join(dir, "ran"))).toThrow();
  });

  it("runs a Velero Backup's hooks: the rule's and the pods' own annotations", async () => {
    const { code, out, execs } = await run(["-f", "velero-backup.yaml", "--", node, "-e", ""]);
    expect(code).toBe(0);
    expect(execs).toEqual([
      "db-0/db: /bin/sh -c echo frozen",
      "db-0/db: /bin/sh -c echo thawed",
      "db-1/sidecar: /bin/sh -c sync",
    ]);
    expect(out.stderr).toContain("velero: pre hook");
    expect(out.stdout).toMatch(/succeeded/);
  });

  it("runs Blueprint actions as K10 hooks with --param as .Options", async () => {
    const { code, execs, out } = await run([
      "-f",
      "blueprint.yaml",
      "--subject",
      "namespace/shop",
      "--pre-hook",
      "quiesce",
      "--on-success",
      "notify",
      "--param",
      "message=backup done",
      "--",
      node,
      "-e",
      "",
    ]);
    expect(code, out.stdout + out.stderr).toBe(0);
    expect(execs).toEqual(["db-0/db: echo backup done", "db-0/db: psql -c checkpoint"]);
  });

  it("prints the session record's warnings in the summary when its writes failed after the freeze", async () => {
    const refusal = lc.faults.add({
      verb: "patch",
      resource: "configmaps",
      status: 403,
      times: Number.POSITIVE_INFINITY,
    });
    try {
      const { code, out } = await run(["-f", "kubestash.yaml", "--", node, "-e", ""]);
      expect(code, out.stderr).toBe(0);
      expect(out.stdout).toMatch(/\n {2}session record shop\/quiesce-session-\S+: done\n/);
      const warnings = out.stdout.split("\n").filter((l) => l.trimStart().startsWith("warning: "));
      expect(warnings).toEqual([
        expect.stringMatching(
          /what the hooks before the step did not recorded .*\[QUIESCE_SESSION_RECORD_FAILED\]/,
        ),
        expect.stringMatching(/a cleanup hook's claim not recorded .*\[QUIESCE_SESSION_RECORD_FAILED\]/),
      ]);
    } finally {
      refusal.remove();
    }
  });

  it("rejects a call without hooks, and reports a command that does not exist with 127", async () => {
    const none = await run(["-n", "shop", "--", node, "-e", ""]);
    expect(none.code).toBe(2);
    expect(none.out.stderr).toContain("no hooks to run");
    const missing = await run(["-f", "kubestash.yaml", "--", "no-such-command-quiesce"]);
    expect(missing.code).toBe(127);
    expect(missing.out.stdout).toContain("no-such-command-quiesce: command not found");
  });

  it("runs a Velero Restore's hooks once the command has restored, finding the cluster through KUBECONFIG", async () => {
    writeFileSync(
      join(dir, "velero-restore.yaml"),
      `apiVersion: velero.io/v1
kind: Restore
metadata: { name: from-nightly, namespace: velero }
spec:
  includedNamespaces: [shop]
  hooks:
    resources:
      - name: warm-up
        includedNamespaces: [shop]
        labelSelector: { matchLabels: { app: db } }
        postHooks:
          - exec: { container: db, command: [psql, -c, "select 1"], waitTimeout: 10s }
`,
    );
    const restored = join(dir, "restored");
    let seenAfterRestore = 0;
    const undo = lc.runtime.onExec({ namespace: "shop", command: "psql -c select 1" }, () => {
      if (existsSync(restored)) seenAfterRestore++;
      return { stdout: "1\n" };
    });
    try {
      execs.length = 0;
      // The first file of the list does not exist: kubectl skips it, so does quiesce.
      const { io, out } = memoryIO(dir, { KUBECONFIG: `${join(dir, "missing")}:${lc.kubeconfigPath}` });
      const script = `require("fs").writeFileSync(${JSON.stringify(restored)}, "x")`;
      const code = await main(["hooks", "-f", "velero-restore.yaml", "--", node, "-e", script], io);
      expect(code, out.stderr).toBe(0);
      expect(seenAfterRestore).toBe(2);
      expect(out.stderr).toContain("velero: post hook");
      expect(out.stdout).toMatch(/ok {8}post shop\/db-0 /);
    } finally {
      undo();
    }
  });
});
