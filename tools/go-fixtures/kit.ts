/** Shared helpers and data sets for the differential case list (see cases.ts). */

export type Data = unknown;
export interface Case {
  name: string;
  template: string;
  data: Data;
}

export const cases: Case[] = [];
const names = new Set<string>();

export function add(name: string, template: string, data: Data = null): void {
  if (names.has(name)) throw new Error(`duplicate case ${name}`);
  names.add(name);
  cases.push({ name, template, data });
}

/** Adds templates of one group, named group/01, group/02… */
export function group(prefix: string, templates: readonly string[], data: Data = null): void {
  for (const [i, t] of templates.entries()) add(`${prefix}/${String(i + 1).padStart(2, "0")}`, t, data);
}

export const bytes = (s: string) => ({ $bytes: Buffer.from(s).toString("base64") });

/** A realistic Kanister template parameter set. */
export const kanister = {
  StatefulSet: {
    Name: "my-db",
    Namespace: "prod-ns",
    Pods: ["my-db-0", "my-db-1", "my-db-2"],
    PersistentVolumeClaims: { "my-db-0": { "data-my-db-0": "pvc-0" } },
  },
  Deployment: {
    Name: "web",
    Namespace: "web-ns",
    Pods: ["web-7d9f-abc"],
    Containers: [["nginx", "sidecar"]],
  },
  Namespace: { Name: "prod-ns" },
  Object: {
    metadata: {
      name: "es-cluster",
      namespace: "search",
      labels: { "app.kubernetes.io/instance": "es-1", app: "elastic" },
    },
    spec: {
      clusterName: "c1",
      nodeSets: [
        { name: "master", count: 3 },
        { name: "data", count: 5 },
      ],
      replicas: 2,
      ratio: 0.25,
    },
    data: { "connector-config.properties": bytes("bootstrap.servers=kafka:9092\n") },
  },
  Profile: {
    Location: {
      Bucket: "backups",
      Region: "us-east-1",
      Endpoint: "https://s3.example.com",
      Type: "s3Compliant",
      Prefix: "kanister/prod",
    },
    Credential: {
      KeyPair: { ID: "AKIAEXAMPLE", Secret: "s3cr3t<&>" },
      Secret: {
        Data: { aws_access_key_id: bytes("AKIAEXAMPLE"), aws_secret_access_key: bytes("topsecret") },
      },
    },
    SkipSSLVerify: false,
  },
  Time: "2024-03-05T07:08:09.123456789Z",
  ArtifactsIn: {
    dumpInfo: { KeyValue: { sourceNamespace: "prod-ns", path: "/backups/2024" } },
    snap: {
      KeyValue: {
        snapshotName: "snap-1",
        repoPath: "repo/path",
        clusterName: "es",
        clusterNamespace: "search",
      },
    },
  },
  Phases: {
    startDumpPod: { Output: { name: "backup-pod-xyz" } },
    takeSnapshot: { Output: { etcdPod: "etcd-0", size: 1024 } },
    prepareKeys: { Secrets: { adminSecret: { Data: { admin: bytes("changeme") } } } },
  },
  Secrets: { s3: { Data: { aws_access_key_id: bytes("AKID"), aws_secret_access_key: bytes("SAK") } } },
  ConfigMaps: { target: { Data: { bucket: "cm-bucket" } } },
  Options: { backupPrefix: "daily", retain: 7 },
};

export const values = {
  s: "hello",
  e: "",
  n: 42,
  neg: -7,
  z: 0,
  f: 1.5,
  tiny: 1e-7,
  big: 1e21,
  third: 0.1,
  t: true,
  fl: false,
  nil: null,
  list: ["a", "b", "c"],
  nums: [3, 1, 2],
  mixed: [1, "two", 3.5, true, null],
  empty: [],
  m: { b: 2, a: 1, c: "x" },
  em: {},
  nested: { a: { b: { c: "deep" } }, list: [{ name: "x" }, { name: "y" }] },
  b: bytes("hi"),
  eb: bytes(""),
  html: '<a href="x">&amp;</a>',
  uni: "héllo wörld ✓",
  multi: "line1\nline2\nline3",
  spaced: "  padded  ",
  keyWithDash: { "my-key": "dash", "dot.key": "dot" },
};
