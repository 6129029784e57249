import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { main } from "./main.js";
import { CORPUS, corpus, memoryIO } from "./test-support/memory-io.js";

const MYSQL = join(CORPUS, "kanister/mysql-mysql-blueprint.yaml");
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
      expect(script).toContain(`--profile '{"Location":{"Bucket":"backups"}}'`);
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
