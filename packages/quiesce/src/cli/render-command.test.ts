import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { main } from "./main.js";
import { CORPUS, corpus, FIXTURES, memoryIO } from "./test-support/memory-io.js";

const MYSQL = join(CORPUS, "kanister/mysql-mysql-blueprint.yaml");
const LEDGER = join(FIXTURES, "kanister/ledger-blueprint.yaml");
const dir = mkdtempSync(join(tmpdir(), "quiesce-render-"));
writeFileSync(
  join(dir, "params.yaml"),
  `StatefulSet: { Name: mysql, Namespace: db, Pods: [mysql-0], Containers: [[mysql]], PersistentVolumeClaims: {} }
Object:
  metadata: { name: mysql, labels: { app.kubernetes.io/instance: mysql-release } }
Profile: { Location: { Bucket: backups } }
Phases:
  dumpToObjectStore:
    Secrets:
      mysqlSecret: { Data: { mysql-root-password: s3cret } }
`,
);
writeFileSync(
  join(dir, "ledger-params.yaml"),
  `StatefulSet: { Name: ledger, Namespace: fin, Pods: [ledger-0, ledger-1], Containers: [[ledger]], PersistentVolumeClaims: {} }
Object:
  metadata: { name: ledger, labels: { app.kubernetes.io/instance: ledger-eu } }
Profile: { Location: { Bucket: archives } }
Phases:
  dump:
    Secrets:
      ledgerCreds: { Data: { username: auditor, password: l3dger } }
`,
);

interface Rendered {
  blueprint: string;
  action: string;
  phases: Array<{
    name: string;
    func: string;
    objects?: Record<string, unknown>;
    args: Record<string, unknown>;
  }>;
  outputArtifacts?: Record<string, { keyValue: Record<string, string> }>;
}

describe("quiesce render", () => {
  it("renders a Blueprint's phases, phase objects and output artifacts with params from a file and --set", async () => {
    const { io, out } = memoryIO(dir);
    const code = await main(
      [
        "render",
        LEDGER,
        "--action",
        "backup",
        "--params",
        "ledger-params.yaml",
        "--set",
        "Phases.dump.Output.archive=ledger/fin/ledger/x.dump.zst",
        "--set",
        "Phases.dump.Output.tables=4",
        "--time",
        "2027-03-04T05:06:07Z",
      ],
      io,
    );
    expect(out.stderr).toBe("");
    expect(code).toBe(0);
    const doc = parse(out.stdout) as Rendered;
    expect(doc).toMatchObject({ blueprint: "ledger-dump", action: "backup" });
    const [phase] = doc.phases;
    expect(phase).toMatchObject({
      name: "dump",
      func: "KubeTask",
      objects: { ledgerCreds: { kind: "Secret", name: "ledger-eu-creds", namespace: "fin" } },
      args: { image: "registry.example.com/ledger/tools:3.2", namespace: "fin" },
    });
    const script = (phase?.args.command as string[] | undefined)?.[2];
    expect(script).toContain("stamp='20270304T050607Z'");
    expect(script).toContain("export LEDGER_USER='auditor'");
    expect(script).toContain("ledgerctl dump --host ledger-0.ledger --all");
    expect(script).toContain(
      `--profile '{"Location":{"type":"","bucket":"archives","endpoint":"","prefix":"","region":""},"Credential":{"Type":"","KeyPair":null,"Secret":null,"KopiaServerSecret":null},"SkipSSLVerify":false}'`,
    );
    expect(script).toContain("kando output tables 4");
    expect(doc.outputArtifacts).toEqual({
      ledgerArchive: { keyValue: { path: "ledger/fin/ledger/x.dump.zst", tables: "4" } },
    });
  });

  it("fails on a missing key with the template error and its path, and names the actions", async () => {
    const { io, out } = memoryIO(dir);
    expect(
      await main(["render", LEDGER, "--action", "backup", "--set", "StatefulSet.Namespace=fin"], io),
    ).toBe(1);
    expect(out.stderr).toMatch(
      /^error: actions\.backup\.phases\[0\]\.args: template: args:\d+:\d+: executing /m,
    );
    expect(out.stderr).toMatch(
      /^error: actions\.backup\.outputArtifacts\.ledgerArchive: .*map has no entry for key/m,
    );
    const missing = memoryIO(dir);
    expect(await main(["render", LEDGER, "--action", "nope"], missing.io)).toBe(2);
    expect(missing.out.stderr).toContain('no action "nope" (actions: backup, restore, delete)');
  });

  it(
    "renders a corpus Blueprint's phases and output artifacts with params from a file and --set",
    corpus,
    async () => {
      const { io, out } = memoryIO(dir);
      const code = await main(
        [
          "render",
          MYSQL,
          "--action",
          "backup",
          "--params",
          "params.yaml",
          "--set",
          "Phases.dumpToObjectStore.Output.s3path=/mysql-backups/db/x/dump.sql.gz",
          "--time",
          "2024-05-06T07:08:09Z",
        ],
        io,
      );
      expect(out.stderr).toBe("");
      expect(code).toBe(0);
      const doc = parse(out.stdout) as Rendered;
      expect(doc).toMatchObject({ blueprint: "mysql-blueprint", action: "backup" });
      const [phase] = doc.phases;
      expect(phase).toMatchObject({
        name: "dumpToObjectStore",
        func: "KubeTask",
        objects: { mysqlSecret: { kind: "Secret", name: "mysql-release", namespace: "db" } },
        args: { image: "ghcr.io/kanisterio/mysql-sidecar:0.117.0", namespace: "db" },
      });
      const script = (phase?.args.command as string[] | undefined)?.[6];
      expect(script).toContain('s3_path="/mysql-backups/db/mysql-release/2024-05-06T07-08-09/dump.sql.gz"');
      expect(script).toContain('root_password="s3cret"');
      // The Profile from the file is Kanister's param.Profile: every field, in Go's order and json names.
      expect(script).toContain(
        `--profile '{"Location":{"type":"","bucket":"backups","endpoint":"","prefix":"","region":""},"Credential":{"Type":"","KeyPair":null,"Secret":null,"KopiaServerSecret":null},"SkipSSLVerify":false}'`,
      );
      expect(doc.outputArtifacts).toEqual({
        mysqlCloudDump: { keyValue: { s3path: "/mysql-backups/db/x/dump.sql.gz" } },
      });
    },
  );

  it(
    "fails on a missing key with the template error and its path, and still prints what rendered",
    corpus,
    async () => {
      const { io, out } = memoryIO(dir);
      const code = await main(
        [
          "render",
          MYSQL,
          "--action",
          "backup",
          "--set",
          "StatefulSet.Namespace=db",
          "--set",
          "Object.metadata.labels={}",
        ],
        io,
      );
      expect(code).toBe(1);
      expect(out.stderr).toMatch(
        /^error: actions\.backup\.phases\[0\]\.args: template: args:\d+:\d+: executing .*map has no entry for key/m,
      );
      expect(out.stderr).toMatch(
        /^error: actions\.backup\.outputArtifacts\.mysqlCloudDump: .*map has no entry for key "s3path"/m,
      );
      const doc = parse(out.stdout) as Rendered;
      expect(doc.phases[0]?.objects).toEqual({
        mysqlSecret: { kind: "Secret", name: "<no value>", namespace: "db" },
      });
    },
  );

  it("checks rendered arguments against the function's schema and keeps Wait conditions as written", async () => {
    writeFileSync(
      join(dir, "scale.yaml"),
      `apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata: { name: scale }
actions:
  down:
    phases:
      - func: ScaleWorkload
        name: down
        args: { replicas: "{{ .Options.replicas }}" }
      - func: Wait
        name: wait
        args:
          timeout: 1m
          conditions:
            anyOf:
              - condition: '{{ if (eq "{ $.status.replicas }" "0") }}true{{ end }}'
                objectReference: { apiVersion: v1, group: apps, resource: statefulsets, name: db, namespace: demo }
`,
    );
    const { io, out } = memoryIO(dir);
    const code = await main(
      ["render", "scale.yaml", "--action", "down", "--set", "Options.replicas=many", "--json"],
      io,
    );
    expect(code).toBe(1);
    const doc = JSON.parse(out.stdout) as Rendered & { ok: boolean; errors: Array<{ path: string }> };
    expect(doc.ok).toBe(false);
    expect(doc.errors.map((e) => e.path)).toEqual(["actions.down.phases[0].args.replicas"]);
    expect(doc.phases[1]?.args.conditions).toEqual({
      anyOf: [
        expect.objectContaining({ condition: '{{ if (eq "{ $.status.replicas }" "0") }}true{{ end }}' }),
      ],
    });
  });

  it("names the actions when the requested one does not exist", corpus, async () => {
    const { io, out } = memoryIO(dir);
    expect(await main(["render", MYSQL, "--action", "nope"], io)).toBe(2);
    expect(out.stderr).toContain('no action "nope" (actions: backup, restore, delete)');
  });
});
