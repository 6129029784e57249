/**
 * Every template string of a folder of Kanister Blueprints (phase and deferPhase arguments and
 * objects, output artifacts — what Kanister renders over its TemplateParams; Wait conditions, which
 * it renders over a watched object, excepted), and one realistic TemplateParams JSON for them: a
 * StatefulSet (and a Deployment) of a backup action with a Profile, Secrets, ConfigMaps and every
 * Option, input artifact and phase output the templates name. Used by the corpus render benchmark
 * and, from tools/go-fixtures, to measure the same renders in Go (decoded into param.TemplateParams).
 * Nothing of the compatibility corpus is written into the repository.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

/** The template strings of the Blueprints in `dir` (sorted files, each string once) and the params. */
export interface BlueprintTemplateSet {
  readonly templates: readonly string[];
  /** JSON of Kanister's param.TemplateParams (decode with `goValueFromJson(TemplateParamsType, …)`). */
  readonly params: Record<string, unknown>;
}

function collect(v: unknown, out: string[]): void {
  if (typeof v === "string") {
    if (v.includes("{{")) out.push(v);
  } else if (Array.isArray(v)) for (const e of v) collect(e, out);
  else if (v !== null && typeof v === "object") {
    for (const [k, e] of Object.entries(v)) {
      if (k.includes("{{")) out.push(k);
      // Wait/WaitV2 conditions render over the object they watch, not over TemplateParams.
      if (k === "conditions") continue;
      collect(e, out);
    }
  }
}

function phaseTemplates(phase: unknown, out: string[]): void {
  const p = phase as { args?: unknown; objects?: unknown } | null;
  collect(p?.args, out);
  collect(p?.objects, out);
}

const b64 = (s: string) => Buffer.from(s).toString("base64");

/** Sets `path` under `root` to `leaf` unless something is there already (maps made on the way). */
function setPath(root: Record<string, unknown>, path: readonly string[], leaf: unknown): void {
  let node = root;
  path.forEach((seg, i) => {
    if (i === path.length - 1) {
      if (!(seg in node)) node[seg] = leaf;
      return;
    }
    const cur = node[seg];
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) node[seg] = {};
    node = node[seg] as Record<string, unknown>;
  });
}

const secret = (name: string, keys: Iterable<string>) => ({
  metadata: {
    name,
    namespace: "prod",
    uid: "5c2f0a3e-1111-4bb2-9a3e-6f0e1d2c3b4a",
    creationTimestamp: "2024-03-05T07:08:09Z",
    labels: { app: "db" },
  },
  data: {
    username: b64("admin"),
    password: b64("s3cr3t-pass"),
    "postgres-password": b64("pg-pass"),
    "mysql-root-password": b64("root-pass"),
    "mongodb-root-password": b64("mongo-pass"),
    "redis-password": b64("redis-pass"),
    access_key_id: b64("AKIAEXAMPLE"),
    secret_access_key: b64("secret-key"),
    ...Object.fromEntries([...keys].map((k) => [k, b64(`${k}-value`)])),
  },
  type: "Opaque",
});

/** A backup action's TemplateParams (pkg/param/param.go New) naming what `templates` read. */
function paramsFor(templates: readonly string[]): Record<string, unknown> {
  const all = templates.join("\n");
  const names = (re: RegExp) => new Set([...all.matchAll(re)].map((m) => m[1] as string));
  const pairs = (re: RegExp) => [...all.matchAll(re)].map((m) => [m[1] as string, m[2] as string] as const);
  const options: Record<string, string> = { prefix: "daily", retention: "7" };
  for (const k of names(/\.Options\.(\w+)/g)) options[k] = `${k}-value`;
  for (const k of names(/index \.Options "([^"]+)"/g)) options[k] = `${k}-value`;
  type ArtifactJson = { keyValue: Record<string, string>; kopiaSnapshot?: string };
  const artifacts: Record<string, ArtifactJson> = {};
  const artifact = (a: string) => {
    artifacts[a] ??= { keyValue: {} };
    return artifacts[a] as ArtifactJson;
  };
  for (const [a, k] of pairs(/\.ArtifactsIn\.(\w+)\.KeyValue\.(\w+)/g)) artifact(a).keyValue[k] = `${a}-${k}`;
  for (const [a, k] of pairs(/index \.ArtifactsIn\.(\w+)\.KeyValue "([^"]+)"/g)) {
    artifact(a).keyValue[k] = `${a}-${k}`;
  }
  for (const a of names(/\.ArtifactsIn\.(\w+)\.KopiaSnapshot/g)) artifact(a).kopiaSnapshot = `${a}-snapshot`;
  // Secret data keys read anywhere (`.Data.key`, `index ….Data "key"`) are in every Secret.
  const dataKeys = new Set([...names(/\.Data\.(\w+)/g), ...names(/\.Data "([^"]+)"/g)]);
  type PhaseJson = { Secrets: Record<string, unknown>; ConfigMaps: object; Output: Record<string, string> };
  const phases: Record<string, PhaseJson> = {};
  const phase = (p: string) => {
    phases[p] ??= { Secrets: {}, ConfigMaps: {}, Output: {} };
    return phases[p] as PhaseJson;
  };
  for (const [p, k] of pairs(/\.Phases\.(\w+)\.Output\.(\w+)/g)) phase(p).Output[k] = `${p}-${k}`;
  for (const [p, k] of pairs(/index \.Phases\.(\w+)\.Output "([^"]+)"/g)) phase(p).Output[k] = `${p}-${k}`;
  for (const [p, s] of pairs(/\.Phases\.(\w+)\.Secrets\.(\w+)/g)) phase(p).Secrets[s] = secret(s, dataKeys);
  const secrets: Record<string, unknown> = {};
  for (const s of names(/[^\w]\.Secrets\.(\w+)/g)) secrets[s] = secret(s, dataKeys);
  // The subject's fields a template reads (`.Object.spec.x`, `index .Object.spec.list 0`).
  const object: Record<string, unknown> = {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "db", namespace: "prod", labels: { app: "db", "app.kubernetes.io/instance": "db" } },
    spec: { replicas: 3, serviceName: "db" },
  };
  // `(index .Object.spec.list 0).a.b`: the list's first element has every path read from it.
  const elements = new Map<string, Record<string, unknown>>();
  for (const m of all.matchAll(/\(index \.Object\.([\w.]+) \d+\)((?:\.\w+)+)/g)) {
    const list = m[1] as string;
    const element = elements.get(list) ?? {};
    elements.set(list, element);
    const fields = (m[2] as string).slice(1).split(".");
    setPath(element, fields, `${fields.join(".")}-value`);
  }
  for (const [list, element] of elements) setPath(object, list.split("."), [element]);
  for (const m of all.matchAll(/index \.Object\.([\w.]+) "([^"]+)"/g)) {
    setPath(object, [...(m[1] as string).split("."), m[2] as string], `${m[2]}-value`);
  }
  for (const path of names(/\.Object\.([\w.]+)/g)) setPath(object, path.split("."), `${path}-value`);
  const configMaps: Record<string, unknown> = {};
  for (const c of names(/\.ConfigMaps\.(\w+)/g)) {
    configMaps[c] = { metadata: { name: c, namespace: "prod" }, data: { bucket: "backups", path: "/data" } };
  }
  const workload = (name: string, pods: string[]) => ({
    Name: name,
    Namespace: "prod",
    Pods: pods,
    Containers: pods.map(() => ["db", "sidecar"]),
    PersistentVolumeClaims: Object.fromEntries(pods.map((p) => [p, { [`data-${p}`]: "/var/lib/data" }])),
  });
  return {
    StatefulSet: workload("db", ["db-0", "db-1", "db-2"]),
    Deployment: workload("web", ["web-6d4b9c-x7k2p"]),
    Namespace: { Name: "prod" },
    ArtifactsIn: artifacts,
    ConfigMaps: configMaps,
    Secrets: secrets,
    Time: "2024-03-05T07:08:09.123456789Z",
    Profile: {
      Location: {
        type: "s3Compliant",
        bucket: "backups",
        endpoint: "https://s3.example.com",
        prefix: "kanister",
        region: "us-east-1",
      },
      Credential: { Type: "keyPair", KeyPair: { ID: "AKIAEXAMPLE", Secret: "s3cr3t" } },
      SkipSSLVerify: false,
    },
    Options: options,
    Object: object,
    Phases: phases,
    DeferPhase: {},
    PodOverride: {},
  };
}

/** The template strings of every Blueprint in `dir` (`*.yaml`) and TemplateParams for them. */
export function blueprintTemplates(dir: string): BlueprintTemplateSet {
  const templates: string[] = [];
  const seen = new Set<string>();
  for (const file of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
      const bp = doc.toJS() as { kind?: string; actions?: Record<string, unknown> } | null;
      if (bp?.kind !== "Blueprint" || bp.actions === undefined) continue;
      const strings: string[] = [];
      for (const action of Object.values(bp.actions)) {
        const a = action as { phases?: unknown[]; deferPhase?: unknown; outputArtifacts?: unknown };
        for (const phase of a.phases ?? []) phaseTemplates(phase, strings);
        phaseTemplates(a.deferPhase, strings);
        collect(a.outputArtifacts, strings);
      }
      for (const t of strings) {
        if (seen.has(t)) continue;
        seen.add(t);
        templates.push(t);
      }
    }
  }
  return { templates, params: paramsFor(templates) };
}
