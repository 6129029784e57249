/**
 * Every template string of the Blueprints and HookTemplates — the repository's own fixtures, and
 * the compatibility corpus of real documents where present — parses, and renders without error
 * against realistic Kanister TemplateParams / KubeStash hook data.
 */
import { documentSets } from "@quiesce/testing/corpus";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { compile, type TemplateOptions } from "./api.js";
import { renderArgs } from "./render-args.js";

const OPTIONS: TemplateOptions = { name: "config" };

const bytes = (s: string) => new TextEncoder().encode(s);
const b64 = (s: string) => Buffer.from(s).toString("base64");

interface Phase {
  func: string;
  name: string;
  args?: Record<string, unknown>;
  objects?: Record<string, { kind?: string; name?: string; namespace?: string }>;
}
interface Action {
  phases?: Phase[];
  deferPhase?: Phase;
  outputArtifacts?: Record<string, unknown>;
  inputArtifactNames?: string[];
  secretNames?: string[];
  configMapNames?: string[];
}

const profiles = {
  keyPair: {
    Location: {
      Type: "s3Compliant",
      Bucket: "backups",
      Endpoint: "https://minio.local:9000",
      Prefix: "k10",
      Region: "us-east-1",
    },
    Credential: { Type: "keyPair", KeyPair: { ID: "AKIAEXAMPLE", Secret: "s3cr3t" }, Secret: null },
    SkipSSLVerify: true,
  },
  secret: {
    Location: { Type: "s3Compliant", Bucket: "backups", Endpoint: "", Prefix: "", Region: "" },
    Credential: {
      Type: "secret",
      KeyPair: null,
      Secret: {
        Name: "aws-creds",
        Namespace: "kanister",
        Data: { aws_access_key_id: bytes("AKIAEXAMPLE"), aws_secret_access_key: bytes("s3cr3t") },
      },
    },
    SkipSSLVerify: false,
  },
} as const;

const workload = (name: string) => ({
  Name: name,
  Namespace: "db",
  Pods: [`${name}-0`, `${name}-1`],
  Containers: [
    [name, "sidecar"],
    [name, "sidecar"],
  ],
  PersistentVolumeClaims: {
    [`${name}-0`]: { [`data-${name}-0`]: "/var/lib/data" },
    [`${name}-1`]: { [`data-${name}-1`]: "/var/lib/data" },
  },
});

/** The subject object (`.Object`): the union of the fields the Blueprints read from their subjects. */
const subject = {
  apiVersion: "v1",
  kind: "Secret",
  metadata: {
    name: "mongodb-atlas",
    namespace: "db",
    uid: "5f0c6f3e-8d7a-4b6e-9a51-1f2d3c4b5a69",
    labels: { app: "db", "app.kubernetes.io/instance": "prod-db", "app.kubernetes.io/component": "primary" },
  },
  spec: {
    clusterName: "es-cluster",
    serviceName: "cassandra",
    security: { adminSecret: "cb-admin" },
    nodeSets: [{ name: "default", count: 3 }],
    shards: 4,
    nodes: 3,
    indices: ["orders", "items"],
    template: { spec: { volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data-mysql-0" } }] } },
  },
  data: {
    publickey: b64("pub"),
    privatekey: b64("priv"),
    projectid: b64("proj"),
    orgid: b64("org"),
    clustername: b64("cluster0"),
    "adobe-kafkaConfiguration.properties": "bootstrap.servers=kafka:9092",
    "adobe-s3-source.properties": "s3.bucket=backups",
  },
};

/** Realistic values for user-named keys, by name. */
function valueFor(key: string): string {
  if (key === "pitr") return "2024-05-06T07:08:09Z";
  if (/path|Location|prefix/i.test(key)) return `backups/db/${key}`;
  return `${key}-value`;
}

function entry(map: Record<string, unknown>, key: string, make: () => unknown): unknown {
  if (!Object.hasOwn(map, key)) map[key] = make();
  return map[key];
}

function collect(text: string, re: RegExp): string[][] {
  return [...text.matchAll(re)].map((m) => m.slice(1).filter((s): s is string => s !== undefined));
}

/**
 * Kanister TemplateParams for one Blueprint: workloads, namespace, subject object, profile and time,
 * plus the user-named entries (options, input artifacts, phase outputs, phase/action secrets and
 * config maps) that the Blueprint declares or reads — what Kanister would have at run time.
 */
function kanisterParams(text: string, action: Action, profile: unknown): Record<string, unknown> {
  const Options: Record<string, string> = {};
  for (const [k] of collect(text, /\.Options\.(\w+)/g)) Options[k!] = valueFor(k!);
  const ArtifactsIn: Record<string, { KeyValue: Record<string, string>; KopiaSnapshot: string }> = {};
  for (const name of action.inputArtifactNames ?? []) ArtifactsIn[name] = { KeyValue: {}, KopiaSnapshot: "" };
  for (const [a, k] of collect(text, /\.ArtifactsIn\.(\w+)\.KeyValue\.(\w+)/g)) {
    ArtifactsIn[a!] ??= { KeyValue: {}, KopiaSnapshot: "" };
    ArtifactsIn[a!]!.KeyValue[k!] = valueFor(k!);
  }
  for (const [a] of collect(text, /\.ArtifactsIn\.(\w+)\.KopiaSnapshot/g)) {
    ArtifactsIn[a!] ??= { KeyValue: {}, KopiaSnapshot: "" };
    ArtifactsIn[a!]!.KopiaSnapshot = '{"id":"k1a2b3","size":1024}';
  }
  const Phases: Record<string, { Output: Record<string, string>; Secrets: Record<string, unknown> }> = {};
  const phase = (p: string) => {
    Phases[p] ??= { Output: {}, Secrets: {} };
    return Phases[p]!;
  };
  for (const [p, k] of collect(text, /\.Phases\.(\w+)\.Output\.(\w+)/g)) phase(p!).Output[k!] = valueFor(k!);
  for (const [p, s, k] of collect(text, /\.Phases\.(\w+)\.Secrets\.(\w+)\.Data(?:\.(\w+)|\s+"([^"]+)")/g)) {
    const secrets = phase(p!).Secrets;
    const secret = entry(secrets, s!, () => ({ Name: s, Namespace: "db", Data: {} })) as {
      Data: Record<string, Uint8Array>;
    };
    secret.Data[k!] = bytes(`${k}-secret`);
  }
  const Secrets: Record<string, unknown> = {};
  for (const name of action.secretNames ?? [])
    Secrets[name] = { Name: `${name}-secret`, Namespace: "db", Data: {} };
  // The ActionSet supplies the secrets a Blueprint reads, declared in secretNames or not.
  for (const [s] of collect(text, /(?<!Phases\.\w+)\.Secrets\.(\w+)/g)) {
    Secrets[s!] ??= { Name: `${s}-secret`, Namespace: "db", Data: {} };
  }
  for (const [s, k] of collect(text, /\.Secrets\.(\w+)\.Data\.(\w+)/g)) {
    const secret = entry(Secrets, s!, () => ({ Name: s, Namespace: "db", Data: {} })) as {
      Data: Record<string, Uint8Array>;
    };
    secret.Data[k!] = bytes(`${k}-secret`);
  }
  const ConfigMaps: Record<string, unknown> = {};
  for (const name of action.configMapNames ?? [])
    ConfigMaps[name] = { Name: name, Namespace: "db", Data: {} };
  for (const [c, k] of collect(text, /\.ConfigMaps\.(\w+)\.Data\.(\w+)/g)) {
    const cm = entry(ConfigMaps, c!, () => ({ Name: c, Namespace: "db", Data: {} })) as {
      Data: Record<string, string>;
    };
    cm.Data[k!] = valueFor(k!);
  }
  return {
    Namespace: { Name: "db" },
    StatefulSet: workload("mysql"),
    Deployment: workload("mongo"),
    PVC: { Name: "data-mysql-0", Namespace: "db" },
    Object: subject,
    Options,
    ArtifactsIn,
    Phases,
    Secrets,
    ConfigMaps,
    Profile: profile,
    Time: "2024-05-06T07:08:09.123456789Z",
  };
}

/**
 * Wait/WaitV2 conditions are templates over the waited-for object (with JSONPath braces such as
 * `{$.status.phase}`), rendered by the Wait function itself, not with TemplateParams: parse only.
 */
function splitConditions(value: unknown, conditions: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => splitConditions(v, conditions));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "condition" && typeof v === "string") conditions.push(v);
      else out[k] = splitConditions(v, conditions);
    }
    return out;
  }
  return value;
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out);
    }
  }
  return out;
}

for (const set of documentSets()) {
  let rendered = 0;

  describe(`${set.name}: Kanister Blueprints`, set.options, () => {
    it("has Blueprints to render", () => {
      expect(set.files("kanister").length).toBeGreaterThan(0);
    });

    it.each(set.files("kanister"))("%s renders every phase, deferPhase and output artifact", (file) => {
      const text = set.read(`kanister/${file}`);
      const docs = parseAllDocuments(text).map(
        (d) => d.toJS() as { actions?: Record<string, Action> } | null,
      );
      const actions = docs.flatMap((d) => Object.entries(d?.actions ?? {}));
      expect(actions.length).toBeGreaterThan(0);
      for (const [actionName, action] of actions) {
        const phases = [...(action.phases ?? []), ...(action.deferPhase ? [action.deferPhase] : [])];
        // A Blueprint that branches on the credential type must work with both; the others read a key pair.
        const variants = text.includes("Credential.Secret")
          ? Object.entries(profiles)
          : [["keyPair", profiles.keyPair] as const];
        for (const [profileName, profile] of variants) {
          const params = kanisterParams(text, action, profile);
          for (const phase of phases) {
            const where = `${file} ${actionName}.${phase.name} (${profileName} profile)`;
            const conditions: string[] = [];
            const args = /^Wait/.test(phase.func) ? splitConditions(phase.args, conditions) : phase.args;
            for (const c of conditions) expect(() => compile(c, OPTIONS), where).not.toThrow();
            for (const s of strings(args)) expect(() => compile(s, OPTIONS), where).not.toThrow();
            const out = renderArgs(args ?? {}, params, OPTIONS);
            expect(
              strings(out).filter((s) => s.includes("<no value>")),
              where,
            ).toEqual([]);
            rendered++;
          }
          if (action.outputArtifacts) {
            const out = renderArgs(action.outputArtifacts, params, OPTIONS);
            expect(strings(out).join("\n"), `${file} ${actionName} outputArtifacts`).not.toContain(
              "<no value>",
            );
            rendered++;
          }
        }
      }
    });
  });

  describe(`${set.name}: KubeStash HookTemplates`, set.options, () => {
    const statuses = [
      { Phase: "Succeeded", Duration: "12.5s", Error: "" },
      { Phase: "Failed", Duration: "3s", Error: "exit code 1" },
    ];
    it.each(set.files("kubestash"))("%s renders its exec command and httpPost body", (file) => {
      const text = set.read(`kubestash/${file}`);
      for (const doc of parseAllDocuments(text)) {
        const obj = doc.toJS() as {
          kind?: string;
          spec?: {
            action?: {
              exec?: { command?: string[] };
              httpPost?: { body?: string; httpHeaders?: Array<{ name: string; value: string }> };
            };
          };
        } | null;
        if (obj?.kind !== "HookTemplate") continue;
        const json = (obj.spec?.action?.httpPost?.httpHeaders ?? []).some(
          (h) => h.name.toLowerCase() === "content-type" && h.value.startsWith("application/json"),
        );
        const body = obj.spec?.action?.httpPost?.body;
        const templates = [
          ...(obj.spec?.action?.exec?.command ?? []),
          ...(obj.spec?.action?.httpPost?.body ? [obj.spec.action.httpPost.body] : []),
        ];
        for (const Status of statuses) {
          const data = {
            Name: "mysql-backup",
            Namespace: "demo",
            Target: { Kind: "AppBinding", Name: "sample-mysql", Namespace: "demo" },
            Status,
          };
          for (const t of templates) {
            const out = compile(t, OPTIONS).render(data);
            expect(out).not.toContain("<no value>");
            // A body sent as application/json must render to JSON, whatever the outcome.
            if (json && t === body) expect(() => JSON.parse(out), `${file} body: ${out}`).not.toThrow();
            if (t.includes("Backup completed")) {
              expect(out).toContain(Status.Phase === "Succeeded" ? "Backup completed" : "Backup failed");
            }
            rendered++;
          }
        }
      }
    });

    it("exercised the documents", () => {
      expect(rendered).toBeGreaterThan(set.name === "corpus" ? 150 : 40);
    });
  });
}
