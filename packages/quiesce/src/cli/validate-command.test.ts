import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { yamlAliasBomb, yamlOversize } from "@quiesce/testing";
import { corpusFiles as filesIn, fixtureFiles } from "@quiesce/testing/corpus";
import { describe, expect, it } from "vitest";
import { main } from "./main.js";
import { CORPUS, corpus, FIXTURES, memoryIO } from "./test-support/memory-io.js";

const corpusFiles = (dir: string) => filesIn(dir).map((f) => `${dir}/${f}`);

interface JsonReport {
  ok: boolean;
  summary: Record<string, number>;
  documents: Array<{
    file: string;
    document: number;
    kind?: string;
    status: string;
    errors: Array<{ path: string; message: string; line?: number; kind: string }>;
    warnings: Array<{ path: string; message: string; line?: number; kind: string }>;
  }>;
}

async function validateJson(args: string[], cwd = CORPUS): Promise<{ code: number; report: JsonReport }> {
  const { io, out } = memoryIO(cwd);
  const code = await main(["validate", "--json", ...args], io);
  return { code, report: JSON.parse(out.stdout) as JsonReport };
}

const fixtures = (dir: string) => fixtureFiles(dir).map((f) => `${dir}/${f}`);

describe("quiesce validate on the fixtures", () => {
  it("accepts every KubeStash document, reporting the misplaced hook as a warning with its line", async () => {
    const files = fixtures("kubestash");
    const { code, report } = await validateJson(files, FIXTURES);
    expect(code).toBe(0);
    expect(report.documents.map((d) => [d.kind, d.status])).toEqual([
      ["HookTemplate", "valid"],
      ["HookTemplate", "valid"],
      ["HookTemplate", "valid"],
      ["BackupConfiguration", "valid"],
      ["RestoreSession", "valid"],
      ["RestoreSession", "valid"],
      ["HookTemplate", "valid"],
    ]);
    const warnings = report.documents.flatMap((d) => d.warnings.map((w) => ({ file: d.file, ...w })));
    expect(warnings).toEqual([
      expect.objectContaining({
        file: "kubestash/misplaced-hook-restoresession.yaml",
        path: "spec.hooks.postRestore[0]",
        line: 23,
      }),
    ]);
  });

  it("loads every Blueprint; the plugin functions are the only errors, named with their paths", async () => {
    const files = fixtures("kanister");
    const { code, report } = await validateJson(files, FIXTURES);
    expect(code).toBe(1);
    const errors = report.documents.flatMap((d) => d.errors.map((e) => `${d.file} ${e.path} ${e.kind}`));
    expect(errors).toEqual([
      "kanister/tape-archive-blueprint.yaml actions.backup.phases[1].func unknown-function",
      "kanister/tape-archive-blueprint.yaml actions.restore.phases[0].func unknown-function",
    ]);
    const quirks = report.documents.flatMap((d) => d.warnings.map((w) => `${d.file}:${w.line} ${w.path}`));
    expect(quirks).toEqual([
      "kanister/export-session-blueprint.yaml:18 actions.backup.deferPhase.name",
      "kanister/export-session-blueprint.yaml:50 actions.backup.phases[1].args.conditions.anyOf[0].condition",
    ]);
    const lenient = await validateJson(["--allow-missing-functions", ...files], FIXTURES);
    expect(lenient.code).toBe(0);
    expect(lenient.report.summary).toMatchObject({ documents: files.length, valid: files.length, errors: 0 });
  });

  it("checks Velero Backups, Restores and annotated workloads; other Kubernetes documents are unsupported", async () => {
    const { code, report } = await validateJson(fixtures("velero"), FIXTURES);
    expect(code).toBe(0);
    expect(report.documents.map((d) => [d.kind, d.status])).toEqual([
      ["Namespace", "unsupported"],
      ["PersistentVolumeClaim", "unsupported"],
      ["Deployment", "valid"],
      ["StatefulSet", "valid"],
      ["Service", "unsupported"],
      ["Backup", "valid"],
      ["Restore", "valid"],
    ]);
    const strict = await validateJson(["--strict", ...fixtures("velero")], FIXTURES);
    expect(strict.code).toBe(1);
  });

  it("prints one line per problem with file, document number, line and path", async () => {
    const { io, out } = memoryIO(FIXTURES);
    const code = await main(
      ["validate", "kanister/tape-archive-blueprint.yaml", "kubestash/chat-notify-hooktemplate.yaml"],
      io,
    );
    expect(code).toBe(1);
    expect(out.stdout).toContain("INVALID kanister/tape-archive-blueprint.yaml#1  Blueprint tape-archive");
    expect(out.stdout).toMatch(
      /error {4}kanister\/tape-archive-blueprint\.yaml#1:16 actions\.backup\.phases\[1\]\.func: function ArchiveToTape is not registered/,
    );
    expect(out.stdout).toContain(
      "ok      kubestash/chat-notify-hooktemplate.yaml#1  HookTemplate chat-notify",
    );
    expect(out.stdout).toMatch(
      /2 document\(s\): 1 valid, 1 invalid, 0 unsupported; 2 error\(s\), 0 warning\(s\)\n$/,
    );
  });
});

describe("quiesce validate on the corpus", () => {
  it("accepts every KubeStash document, reporting the misplaced pre-hook as a warning", corpus, async () => {
    const files = corpusFiles("kubestash");
    expect(files.length).toBe(8);
    const { code, report } = await validateJson(files);
    expect(code).toBe(0);
    expect(report.documents.map((d) => d.status)).toEqual(files.map(() => "valid"));
    const kinds = new Set(report.documents.map((d) => d.kind));
    expect(kinds).toEqual(new Set(["HookTemplate", "BackupConfiguration", "RestoreSession"]));
    const restore = report.documents.find((d) => d.file.includes("pre_restore_hook_demo"));
    expect(restore?.warnings).toEqual([
      expect.objectContaining({ path: "spec.hooks.postRestore[0]", line: expect.any(Number) }),
    ]);
  });

  it(
    "loads every Blueprint (every function they call is built in); the only errors are what Kanister's webhook refuses",
    corpus,
    async () => {
      const files = corpusFiles("kanister");
      expect(files.length).toBe(22);
      const { code, report } = await validateJson(files);
      expect(report.documents.every((d) => d.kind === "Blueprint")).toBe(true);
      const errors = report.documents.flatMap((d) => d.errors.map((e) => ({ ...e, file: d.file })));
      expect(errors.length).toBe(2);
      for (const e of errors) {
        // Kanister's webhook refuses it: setupNodeKeyStore is a phase of three actions.
        expect(e.kind).toBe("duplicate-phase");
        expect(e.file).toBe("kanister/elasticsearch-incremental-elasticsearch-incremental-blueprint.yaml");
        expect(e.message).toMatch(
          /^Failed to validate: Duplicated phase name is not allowed\. Violating phase 'setupNodeKeyStore'/,
        );
      }
      expect(code).toBe(1);
      expect(report.summary).toMatchObject({ documents: 22, valid: 21, errors: 2 });
      const quirks = report.documents.flatMap((d) => d.warnings.map((w) => `${d.file} ${w.path}`));
      expect(quirks).toContain(
        "kanister/postgresql-ha-postgres-ha-hook.yaml actions.postrestorehook.phases[0].args.conditions.anyOf[0].condition",
      );
      expect(quirks).toContain(
        "kanister/postgresql-postgres-start-stop-blueprint.yaml actions.backup.deferPhase.name",
      );
    },
  );

  it(
    "checks Velero Backups, Restores and annotated workloads; other Kubernetes documents are unsupported",
    corpus,
    async () => {
      const files = corpusFiles("velero");
      const { code, report } = await validateJson(files);
      expect(code).toBe(0);
      expect(report.documents.length).toBe(6); // one file holds four documents
      const byKind = Object.fromEntries(report.documents.map((d) => [d.kind, d]));
      expect(byKind.Backup?.status).toBe("valid");
      expect(byKind.Restore?.status).toBe("valid");
      expect(byKind.Deployment?.status).toBe("valid");
      expect(byKind.Deployment?.warnings).toEqual([]);
      for (const kind of ["Namespace", "PersistentVolumeClaim", "Service"]) {
        expect(byKind[kind]?.status).toBe("unsupported");
        expect(byKind[kind]?.warnings[0]?.message).toMatch(
          /^unsupported document kind \S+ \w+: not a quiesce format/,
        );
      }
      // The Restore's "..." line: YAML's complaint with its line, and what it cost, at its path.
      expect(byKind.Restore?.warnings).toEqual([
        expect.objectContaining({ kind: "yaml", line: 9, message: expect.stringContaining("Implicit keys") }),
        expect.objectContaining({
          kind: "quirk",
          path: 'spec["... includedNamespaces"]',
          line: expect.any(Number),
          message: expect.stringContaining("spec.includedNamespaces is lost"),
        }),
      ]);
      const strict = await validateJson(["--strict", ...files]);
      expect(strict.code).toBe(1);
    },
  );

  it("reports an invalid Velero hook at its path and line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quiesce-velero-"));
    writeFileSync(
      join(dir, "backup.yaml"),
      `apiVersion: velero.io/v1
kind: Backup
metadata: { name: b }
spec:
  hooks:
    resources:
      - name: freeze
        pre:
          - exec:
              command: [fsfreeze, --freeze, /data]
              timeout: "30"
`,
    );
    const { code, report } = await validateJson(["backup.yaml"], dir);
    expect(code).toBe(1);
    expect(report.documents[0]?.errors).toEqual([
      expect.objectContaining({
        path: "spec.hooks.resources[0].pre[0].exec.timeout",
        line: 11,
        message: expect.stringContaining("missing unit"),
      }),
    ]);
  });

  it("prints one line per document, the data-function Blueprints valid", corpus, async () => {
    const { io, out } = memoryIO();
    const code = await main(
      [
        "validate",
        "kanister/time-log-time-log-blueprint.yaml",
        "kubestash/slack-notification__hooktemplate.yaml",
      ],
      io,
    );
    expect(code).toBe(0);
    expect(out.stdout).toContain(
      "ok      kanister/time-log-time-log-blueprint.yaml#1  Blueprint time-log-bp",
    );
    expect(out.stdout).toContain(
      "ok      kubestash/slack-notification__hooktemplate.yaml#1  HookTemplate slack-hook",
    );
    expect(out.stdout).toMatch(
      /2 document\(s\): 2 valid, 0 invalid, 0 unsupported; 0 error\(s\), 0 warning\(s\)\n$/,
    );
  });
});

describe("quiesce validate on bad documents", () => {
  const dir = mkdtempSync(join(tmpdir(), "quiesce-validate-"));

  it("names the path and line of a bad Blueprint argument in the right document of a multi-document file", async () => {
    writeFileSync(
      join(dir, "multi.yaml"),
      `apiVersion: core.kubestash.com/v1alpha1
kind: HookTemplate
metadata: { name: ok, namespace: demo }
spec:
  action: { exec: { command: [sync] } }
  executor: { type: Pod, pod: { selector: app=db } }
---
apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata: { name: bad }
actions:
  backup:
    phases:
      - func: KubeExec
        name: freeze
        args:
          namespace: "{{ .StatefulSet.Namespace }}"
          pod: "{{ index .StatefulSet.Pods 0 }}"
          comand: [fsfreeze, --freeze, /data]
      - func: ScaleWorkload
        name: down
        args:
          replicas: "{{ .Options.replicas "
`,
    );
    const { code, report } = await validateJson(["multi.yaml"], dir);
    expect(code).toBe(1);
    expect(report.documents.map((d) => [d.document, d.kind, d.status])).toEqual([
      [1, "HookTemplate", "valid"],
      [2, "Blueprint", "invalid"],
    ]);
    const errors = report.documents[1]?.errors ?? [];
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: "actions.backup.phases[0].args.comand",
          kind: "unknown-arg",
          line: 19,
        }),
        expect.objectContaining({
          path: "actions.backup.phases[0].args.command",
          kind: "missing-arg",
          line: 17,
        }),
        expect.objectContaining({
          path: "actions.backup.phases[1].args.replicas",
          kind: "template",
          line: 23,
        }),
      ]),
    );
  });

  it("refuses an alias bomb and a document too large as the loaders do, at the document's line", async () => {
    const head = "apiVersion: cr.kanister.io/v1alpha1\nkind: Blueprint\nmetadata: { name: b }\n";
    writeFileSync(join(dir, "attacks.yaml"), `${yamlAliasBomb(head)}---\n${yamlOversize(head)}`);
    const { code, report } = await validateJson(["attacks.yaml"], dir);
    expect(code).toBe(1);
    expect(report.documents.map((d) => [d.kind, d.status, d.errors])).toEqual([
      [
        "Blueprint",
        "invalid",
        [
          expect.objectContaining({
            kind: "yaml",
            line: 1,
            message:
              "YAML: invalid document YAML: Excessive alias count indicates a resource exhaustion attack",
          }),
        ],
      ],
      [
        "Blueprint",
        "invalid",
        [
          expect.objectContaining({
            kind: "yaml",
            // After the 44 lines of the bomb and the "---".
            line: 46,
            message:
              "YAML: invalid document: copies: expands to more than 1000000 values (shared subtrees or YAML aliases repeat it)",
          }),
        ],
      ],
    ]);
  });

  it("reports HookTemplate schema errors and template syntax with their paths", async () => {
    writeFileSync(
      join(dir, "hook.yaml"),
      `apiVersion: core.kubestash.com/v1alpha1
kind: HookTemplate
metadata: { name: h }
spec:
  usagePolicy: { allowedNamespaces: { from: Everywhere } }
  action:
    exec:
      command: [sh, -c, "echo {{ .Name"]
  executor: { type: Pod, pod: { selector: app=db } }
`,
    );
    const { code, report } = await validateJson(["hook.yaml"], dir);
    expect(code).toBe(1);
    expect(report.documents[0]?.errors).toEqual([
      expect.objectContaining({ path: "spec.usagePolicy.allowedNamespaces.from", line: 5 }),
    ]);
    writeFileSync(
      join(dir, "hook2.yaml"),
      `apiVersion: core.kubestash.com/v1alpha1
kind: HookTemplate
metadata: { name: h }
spec:
  action:
    exec:
      command: [sh, -c, "echo {{ .Name"]
  executor: { type: Pod, pod: { selector: app=db } }
`,
    );
    const second = await validateJson(["hook2.yaml"], dir);
    expect(second.report.documents[0]?.errors).toEqual([
      expect.objectContaining({ path: "spec.action.exec.command[2]", kind: "template", line: 7 }),
    ]);
  });

  it("rejects a hook reference with a unit-less timeout, a YAML error, and a missing file", async () => {
    writeFileSync(
      join(dir, "bc.yaml"),
      `apiVersion: core.kubestash.com/v1alpha1
kind: BackupConfiguration
metadata: { name: b, namespace: demo }
spec:
  sessions:
    - name: s
      hooks:
        preBackup:
          - name: freeze
            hookTemplate: { name: freeze }
            timeout: 30
`,
    );
    writeFileSync(
      join(dir, "broken.yaml"),
      "apiVersion: cr.kanister.io/v1alpha1\nkind: Blueprint\nactions: [\n",
    );
    const { code, report } = await validateJson(["bc.yaml", "broken.yaml", "missing.yaml"], dir);
    expect(code).toBe(1);
    const [bc, broken, missing] = report.documents;
    expect(bc?.errors).toEqual([
      expect.objectContaining({ path: "spec.sessions[0].hooks.preBackup[0].timeout", line: 11 }),
    ]);
    expect(broken?.errors[0]).toMatchObject({ kind: "yaml" });
    expect(missing).toMatchObject({ file: "missing.yaml", status: "invalid" });
    expect(missing?.errors[0]?.message).toBe('the path "missing.yaml" does not exist');
  });
});
