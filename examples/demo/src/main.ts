/** The demo: renders the phases of a real Kanister Blueprint from the compatibility corpus against sample parameters. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createTemplateEnvironment } from "@quiesce/template";
import { parse, stringify } from "yaml";

interface Phase {
  name: string;
  func: string;
  args?: Record<string, unknown>;
  objects?: Record<string, unknown>;
}
interface Action {
  phases?: Phase[];
  outputArtifacts?: Record<string, unknown>;
}

const path = resolve(import.meta.dirname, "../../../../shared/corpus/kanister/mysql-mysql-blueprint.yaml");
const blueprint = parse(readFileSync(path, "utf8")) as {
  metadata: { name: string };
  actions: Record<string, Action>;
};

// Kanister's TemplateParams for a MySQL StatefulSet "mysql" in namespace "prod", as at action start.
const bytes = (s: string) => new TextEncoder().encode(s);
const params = {
  Namespace: { Name: "prod" },
  StatefulSet: {
    Name: "mysql",
    Namespace: "prod",
    Pods: ["mysql-0"],
    Containers: [["mysql"]],
    PersistentVolumeClaims: { "mysql-0": { "data-mysql-0": "/var/lib/mysql" } },
  },
  Object: {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "mysql", namespace: "prod", labels: { "app.kubernetes.io/instance": "mysql" } },
  },
  Options: {},
  Profile: {
    Location: {
      Type: "s3Compliant",
      Bucket: "backups",
      Endpoint: "http://minio.minio:9000",
      Prefix: "",
      Region: "us-east-1",
    },
    Credential: { Type: "keyPair", KeyPair: { ID: "minio", Secret: "minio123" } },
    SkipSSLVerify: false,
  },
  ArtifactsIn: {
    mysqlCloudDump: { KeyValue: { s3path: "/mysql-backups/prod/mysql/2026-11-21T21-50-00/dump.sql.gz" } },
  },
  Phases: {
    dumpToObjectStore: {
      Output: { s3path: "/mysql-backups/prod/mysql/2026-11-21T21-50-00/dump.sql.gz" },
      Secrets: { mysqlSecret: { Data: { "mysql-root-password": bytes("r00t-pw") } } },
    },
    restoreFromBlobStore: { Secrets: { mysqlSecret: { Data: { "mysql-root-password": bytes("r00t-pw") } } } },
  },
  Time: "2026-11-21T21:50:00.123456789Z",
};

const templates = createTemplateEnvironment({ name: "config" });
process.stdout.write(`Blueprint ${blueprint.metadata.name}, rendered for StatefulSet prod/mysql\n`);
for (const [name, action] of Object.entries(blueprint.actions)) {
  process.stdout.write(
    `\n== action ${name}: ${(action.phases ?? []).map((p) => `${p.name}(${p.func})`).join(" → ")}\n`,
  );
  for (const phase of action.phases ?? []) {
    const rendered = templates.renderArgs({ objects: phase.objects ?? {}, args: phase.args ?? {} }, params);
    process.stdout.write(`-- phase ${phase.name}\n${stringify(rendered, { lineWidth: 0 })}`);
  }
  if (action.outputArtifacts) {
    process.stdout.write(
      `-- outputArtifacts\n${stringify(templates.renderArgs(action.outputArtifacts, params))}`,
    );
  }
}
