/**
 * Generates packages/functions/fixtures/typed-cases.json: templates over Kanister's Go-typed
 * TemplateParams. go-fixtures decodes each case's data (JSON, as encoding/json fills the struct:
 * struct fields by name, Kubernetes objects by json tag) into param.TemplateParams; the
 * functions package decodes the same JSON with goValueFromJson and compares.
 *
 *   tsx tools/go-fixtures/typed-cases.ts packages/functions/fixtures/typed-cases.json
 */
import { writeFileSync } from "node:fs";

const b64 = (s: string) => Buffer.from(s).toString("base64");

const secret = {
  metadata: {
    name: "creds",
    namespace: "db",
    uid: "5c2f0a3e-1111-4bb2-9a3e-6f0e1d2c3b4a",
    resourceVersion: "4711",
    creationTimestamp: "2024-03-05T07:08:09Z",
    labels: { app: "db", "app.kubernetes.io/part-of": "shop" },
    managedFields: [
      {
        manager: "kubectl-create",
        operation: "Update",
        apiVersion: "v1",
        time: "2024-03-05T07:08:09Z",
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:data": { ".": {}, "f:password": {} },
          "f:metadata": { "f:labels": { "f:a<b": {} } },
          "f:type": {},
        },
      },
    ],
  },
  data: { password: b64("s3cr<et>"), user: b64("admin") },
  type: "Opaque",
};

const configMap = {
  metadata: { name: "cfg", namespace: "db", creationTimestamp: "2024-03-05T07:08:09Z" },
  data: { bucket: "backups", "retention.days": "7" },
};

/** A Kanister TemplateParams of a StatefulSet action (the shape pkg/param/param.go New builds). */
export const params = {
  StatefulSet: {
    Name: "db",
    Namespace: "prod",
    Pods: ["db-0", "db-1"],
    Containers: [
      ["agent", "db"],
      ["agent", "db"],
    ],
    PersistentVolumeClaims: {
      "db-0": { "data-db-0": "/var/lib/db" },
      "db-1": { "data-db-1": "/var/lib/db" },
    },
  },
  ArtifactsIn: { snap: { keyValue: { id: "s-1", path: "/b/s-1" } }, kopia: { kopiaSnapshot: '{"id":"k1"}' } },
  ConfigMaps: { cfg: configMap },
  Secrets: { creds: secret },
  Time: "2024-03-05T07:08:09.123456789Z",
  Profile: {
    Location: {
      type: "s3Compliant",
      bucket: "backups",
      endpoint: "https://s3.example",
      prefix: "p",
      region: "eu-1",
    },
    Credential: { Type: "secret", Secret: secret },
    SkipSSLVerify: true,
  },
  Options: { prefix: "daily", zone: "eu" },
  Object: {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "db", namespace: "prod", labels: { app: "db" } },
    spec: { replicas: 2, ratio: 0.5, serviceName: "db" },
  },
  Phases: {
    dump: { Secrets: { creds: secret }, ConfigMaps: {}, Output: { path: "/b/dump", size: 1024, ok: true } },
  },
  DeferPhase: {},
  PodOverride: { nodeSelector: { disk: "ssd" }, tolerations: [{ key: "k", operator: "Exists" }] },
};

const keyPairProfile = {
  ...params,
  Profile: {
    Location: { type: "gcs", bucket: "b", endpoint: "", prefix: "", region: "" },
    Credential: { Type: "keyPair", KeyPair: { ID: "AKID", Secret: "s<k>" } },
    SkipSSLVerify: false,
  },
};

const deployment = {
  Deployment: {
    Name: "web",
    Namespace: "shop",
    Pods: ["web-5d9c-abcde"],
    Containers: [["nginx"]],
    PersistentVolumeClaims: {},
  },
  Time: "2024-12-31T23:59:59Z",
  Options: {},
  Object: { metadata: { name: "web" } },
  DeferPhase: {},
  PodLabels: { team: "a" },
};

const templates: Record<string, [string, unknown][]> = {
  maps: [
    ['{{ index .Options "missing" | quote }}|{{ index .Options "prefix" }}', params],
    ["{{ .Options.missing }}", params],
    ['{{ hasKey .Options "prefix" }}', params],
    ["{{ keys .Options }}", params],
    [
      '{{ hasKey .Object "spec" }} {{ hasKey .PodOverride "nodeSelector" }} {{ printf "%T" .PodOverride }}',
      params,
    ],
    ["{{ .Options }} {{ len .Options }} {{ range $k, $v := .Options }}{{ $k }}={{ $v }};{{ end }}", params],
    ['{{ dig "prefix" "x" .Options }}', params],
    ['{{ default "none" (index .Options "zz") }} {{ empty .Options }} {{ empty .PodLabels }}', params],
    [
      "{{ .PodLabels }}|{{ toJson .PodAnnotations }}|{{ len .PodLabels }}|{{ .PodOverride.nodeSelector.disk }}",
      params,
    ],
    [
      '{{ index .ArtifactsIn.snap.KeyValue "missing" | quote }} {{ .ArtifactsIn.snap.KeyValue.id }} {{ .ArtifactsIn.kopia.KopiaSnapshot }}',
      params,
    ],
    ["{{ toJson .ArtifactsIn }}", params],
    ["{{ eq .Options .Options }}", params],
    ['{{ merge .Options (dict "a" 1) }}', params],
  ],
  workloads: [
    ["{{ .StatefulSet }}", params],
    ["{{ toJson .StatefulSet }}", params],
    ["{{ toPrettyJson .Deployment }}", deployment],
    [
      '{{ index .StatefulSet.PersistentVolumeClaims "db-0" }} {{ index .StatefulSet.PersistentVolumeClaims "zz" }} {{ index .StatefulSet.Containers 0 1 }}',
      params,
    ],
    ["{{ .Deployment.Name }}", params],
    ["{{ .StatefulSet.Name }}", deployment],
    [
      "{{ if .Deployment }}d{{ else }}none{{ end }} {{ .PVC }} {{ eq .Deployment nil }} {{ eq .StatefulSet nil }} {{ empty .Deployment }}",
      params,
    ],
    [
      '{{ printf "%T" . }} {{ printf "%T" .StatefulSet }} {{ typeOf .StatefulSet.Pods }} {{ kindOf .StatefulSet }} {{ typeOf .Phases }}',
      params,
    ],
    ["{{ .Nope }}", params],
    ["{{ .StatefulSet.Nope }}", params],
    [
      '{{ deepEqual .StatefulSet.Pods (list "db-0" "db-1") }} {{ has "db-1" .StatefulSet.Pods }} {{ join "," .StatefulSet.Pods }} {{ first .StatefulSet.Pods }}',
      params,
    ],
    ["{{ len .StatefulSet }}", params],
    ["{{ index .StatefulSet 0 }}", params],
    ["{{ range .StatefulSet }}x{{ end }}", params],
    [
      '{{ range $i, $p := .StatefulSet.Pods }}{{ $i }}:{{ $p }} {{ end }}{{ slice .StatefulSet.Pods 1 | printf "%T" }}',
      params,
    ],
  ],
  objects: [
    [
      '{{ .Secrets.creds.Data.password }}|{{ .Secrets.creds.Data.password | toString }}|{{ index .Secrets.creds.Data "user" | toString }}',
      params,
    ],
    [
      "{{ .Secrets.creds.Name }}/{{ .Secrets.creds.Namespace }} {{ .Secrets.creds.Labels.app }} {{ .Secrets.creds.Type }} {{ .Secrets.creds.ObjectMeta.UID }} {{ .Secrets.creds.Kind | quote }}",
      params,
    ],
    ["{{ toJson .Secrets.creds }}", params],
    ["{{ toPrettyJson .ConfigMaps.cfg }}", params],
    [
      "{{ .Secrets.creds.CreationTimestamp }}|{{ .Secrets.creds.CreationTimestamp.Unix }}|{{ .Secrets.creds.Immutable }}",
      params,
    ],
    ["{{ .Secrets.creds.Type | upper }}", params],
    [
      '{{ printf "%T" .Secrets.creds }} {{ printf "%T" .Secrets.creds.Type }} {{ printf "%T" .Secrets.creds.UID }} {{ printf "%T" .Secrets.creds.CreationTimestamp }}',
      params,
    ],
    [
      '{{ .ConfigMaps.cfg.Data.bucket }} {{ index .ConfigMaps.cfg.Data "retention.days" }} {{ index .ConfigMaps.cfg.Data "missing" | quote }} {{ .ConfigMaps.cfg.BinaryData }}',
      params,
    ],
    ["{{ .Secrets.creds.ManagedFields }}", params],
    [
      "{{ (index .Secrets.creds.ManagedFields 0).Manager }} {{ (index .Secrets.creds.ManagedFields 0).Time }}",
      params,
    ],
  ],
  phases: [
    ["{{ toJson .DeferPhase }}", params],
    [
      "{{ .Phases.dump.Output.path }} {{ .Phases.dump.Output.size | add 1 }} {{ .Phases.dump.Output.ok }} {{ index .Phases.dump.Secrets.creds.Data.password 0 }}",
      params,
    ],
    ["{{ .Phases.later.Output }}", params],
    ['{{ printf "%T" .Phases.dump }} {{ .Phases.dump.ConfigMaps }} {{ len .Phases.dump.Secrets }}', params],
    ["{{ .CurrentPhase }}", params],
    ["{{ .CurrentPhase.Output }}", params],
  ],
  time: [
    ['{{ .Time }} {{ printf "%T" .Time }}', params],
    [
      '{{ $t := toDate "2006-01-02T15:04:05.999999999Z07:00" .Time }}{{ $t.Unix }} {{ $t.Format "2006-01-02" }} {{ $t.Month }} {{ $t.Weekday }} {{ $t.YearDay }} {{ $t.UnixNano }}',
      params,
    ],
    [
      '{{ $t := toDate "2006-01-02T15:04:05.999999999Z07:00" .Time }}{{ $t.UTC }} {{ $t.Add 3600000000000 }} {{ $t.AddDate 0 1 -5 }} {{ ($t.Truncate 3600000000000).Format "15:04" }} {{ $t.IsZero }}',
      params,
    ],
    [
      '{{ $t := toDate "2006-01-02T15:04:05Z07:00" .Time }}{{ $t.Sub (toDate "2006-01-02" "2024-12-01") }} {{ $t.Before (toDate "2006-01-02" "2025-01-01") }} {{ printf "%d %v" $t.Month $t.Month }}',
      deployment,
    ],
    ['{{ (toDate "2006-01-02T15:04:05.999999999Z07:00" .Time).Zone }}', params],
  ],
  profile: [
    [
      '{{ if eq .Profile.Location.Type "s3Compliant" }}s3{{ end }} {{ .Profile.Location }} {{ .Profile.Location.Type | toString | upper }}',
      params,
    ],
    ["{{ toJson .Profile }}", params],
    ["{{ toJson .Profile }}", keyPairProfile],
    ["{{ .Profile.Credential.KeyPair.ID }}", params],
    [
      "{{ .Profile.Credential.Secret.Data.password | toString }} {{ .Profile.Credential.Secret.Name }} {{ .Profile.SkipSSLVerify }}",
      params,
    ],
    [
      '{{ printf "%v" .Profile.Credential.KeyPair }} {{ printf "%+v" .Profile.Location }} {{ printf "%#v" .Profile.Location }}',
      keyPairProfile,
    ],
    [
      '{{ printf "%T" .Profile }} {{ printf "%T" .Profile.Location.Type }} {{ kindOf .Profile }} {{ kindOf .Profile.Location }} {{ empty .Profile.Location }}',
      params,
    ],
    ["{{ upper .Profile.Location.Type }}", params],
    ["{{ .Profile }}", keyPairProfile],
    ["{{ toString .Profile.Location }} {{ eq .Profile.Location .Profile.Location }}", params],
    ["{{ .Profile.Location.Nope }}", params],
    ["{{ .Profile.Location }}", deployment],
  ],
};

const cases: { name: string; template: string; goType: string; data: unknown }[] = [];
for (const [group, list] of Object.entries(templates)) {
  list.forEach(([template, data], i) => {
    cases.push({
      name: `typed-${group}/${String(i + 1).padStart(2, "0")}`,
      template,
      goType: "param.TemplateParams",
      data,
    });
  });
}
writeFileSync(
  process.argv[2] ?? "packages/functions/fixtures/typed-cases.json",
  `${JSON.stringify({ cases }, null, 1)}\n`,
);
console.log(`${cases.length} typed cases`);
