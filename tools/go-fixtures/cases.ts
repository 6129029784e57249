/**
 * Generates packages/template/fixtures/cases.json: templates and data that go-fixtures renders with
 * real Go text/template + sprig, and that the differential test renders with @quiesce/template.
 * Data bytes are written as {"$bytes": "<base64>"}; integral numbers become int64 in Go.
 *
 *   tsx tools/go-fixtures/cases.ts packages/template/fixtures/cases.json
 */
import { writeFileSync } from "node:fs";
import { bytes, cases, group, kanister } from "./kit.js";
// Each module adds its cases when imported, in this order.
import "./language-cases.js";
import "./sprig-cases.js";
import "./sprig-more-cases.js";
import "./generated-cases.js";
import "./dialect-cases.js";

// ---- realistic Kanister / KubeStash arguments ----
group(
  "kanister",
  [
    "{{ .StatefulSet.Namespace }}/{{ .StatefulSet.Name }}",
    "{{ index .StatefulSet.Pods 0 }}",
    '{{ index .Object.metadata.labels "app.kubernetes.io/instance" }}',
    '{{ toDate "2006-01-02T15:04:05.999999999Z07:00" .Time | date "2006-01-02T15-04-05" }}',
    "{{ toJson .Profile }}",
    "{{ .Profile.Credential.Secret.Data.aws_secret_access_key | toString }}",
    "{{ .Profile.Location.Region | quote}}",
    '{{ .StatefulSet.Name | replace "-" "_" | upper }}',
    "{{ (index .Object.spec.nodeSets 0).name }}-{{ (index .Object.spec.nodeSets 0).count }}",
    '{{ index .Object.data "connector-config.properties" | toString }}',
    '{{ index .Phases.prepareKeys.Secrets.adminSecret.Data "admin" | toString }}',
    "{{ .ArtifactsIn.dumpInfo.KeyValue.sourceNamespace }}",
    "{{ .Phases.startDumpPod.Output.name }}",
    "{{ .ConfigMaps.target.Data.bucket }}",
    "{{- if .Profile.Credential.KeyPair }}\nexport AWS_ACCESS_KEY_ID={{ .Profile.Credential.KeyPair.ID }}\nexport AWS_SECRET_ACCESS_KEY={{ .Profile.Credential.KeyPair.Secret }}\n{{- else }}\nexport AWS_ACCESS_KEY_ID={{ .Profile.Credential.Secret.Data.aws_access_key_id | toString }}\n{{- end }}\n{{- if .Profile.Location.Region }}\nexport AWS_REGION={{ .Profile.Location.Region }}\n{{- end }}\n{{- if .Profile.SkipSSLVerify }}\nexport INSECURE=1\n{{- end }}",
    "{{ range .StatefulSet.Pods }}{{ . }} {{ end }}",
    's3://{{ .Profile.Location.Bucket }}/{{ .Profile.Location.Prefix }}/{{ .StatefulSet.Namespace }}/{{ toDate "2006-01-02T15:04:05.999999999Z07:00" .Time | date "2006-01-02T15-04-05" }}',
    "{{ .Deployment.Namespace }} {{ index .Deployment.Pods 0 }}",
    "{{ index .Deployment.Namespace }}",
    "{{ .Secrets.s3.Data.aws_access_key_id | toString }}:{{ .Secrets.s3.Data.aws_secret_access_key | toString }}",
    "{{ .Profile.Credential.KeyPair.Secret }}",
    "{{ toJson .Object.metadata.labels }}",
    "{{ .Object.spec.ratio }} {{ .Object.spec.replicas | add 1 }}",
    '{{ .Profile.Location.Endpoint | default "https://s3.amazonaws.com" }}',
    "{{ .Options.backupPrefix }}-{{ .Options.retain }}",
    "{{ .Phases.takeSnapshot.Output.size | mul 2 }}",
    "{{ .Phases.missing.Output.x }}",
    "{{ .ArtifactsIn.snap.KeyValue.snapshotName | b64enc }}",
    "{{ $pod := index .StatefulSet.Pods 1 }}kubectl exec -n {{ .StatefulSet.Namespace }} {{ $pod }} -- sh -c 'pg_dumpall'",
    "{{ range $i, $p := .StatefulSet.Pods }}{{ if $i }},{{ end }}{{ $p }}.{{ $.StatefulSet.Name }}{{ end }}",
    "{{ .Profile.SkipSSLVerify }} {{ .Profile.Credential.Secret.Data.aws_access_key_id }}",
    '{{ printf "%s/%s" .Profile.Location.Bucket (.StatefulSet.Name | lower) }}',
    "{{ toPrettyJson .ArtifactsIn }}",
    "{{ .Object.metadata.labels.app }}",
    "{{ sha256sum .StatefulSet.Name | trunc 8 }}",
    '{{ index .StatefulSet.PersistentVolumeClaims "my-db-0" }}',
    "{{ with .Profile.Location }}{{ .Bucket }}@{{ .Region }}{{ end }}",
    '{{ if eq .Profile.Location.Type "s3Compliant" }}s3{{ else }}other{{ end }}',
    "{{ .Deployment.Containers }}",
    "{{ .Object.data.tenant | toString | b64dec }}",
    '{{ index .Object.data "peers" | toString | b64dec }}',
    "{{ .Object.data.tenant | b64dec }}",
    '{{ if "$.status.phase"}}ready{{ end }}',
    '{{ range .Conditions }}{{ if and (eq .status "True") (eq .type "ContainersReady") }}ok{{ end }}{{ end }}',
    '{{ index .Phases.syncReplicas.Secrets.dbSecret.Data "replication-password" | toString }}',
    "{{ .ArtifactsIn.csiSnap.KeyValue.restoreSize }}",
    '{{ index .Object.metadata.labels "app.kubernetes.io/component" }}',
    "mongodump --uri={{ .Object.data.uri | toString | b64dec | quote }} --archive | gzip > /tmp/{{ .Object.metadata.name }}.gz",
  ],
  {
    ...kanister,
    Object: {
      ...kanister.Object,
      data: {
        ...kanister.Object.data,
        tenant: "b3JnLTEyMw==",
        peers: "aHR0cHM6Ly9ldGNkOjIzNzk=",
        uri: "bW9uZ29kYjovL3VzZXI6cHdAaG9zdDoyNzAxNw==",
      },
    },
    Conditions: [
      { type: "Ready", status: "False" },
      { type: "ContainersReady", status: "True" },
    ],
    Phases: {
      ...kanister.Phases,
      syncReplicas: { Secrets: { dbSecret: { Data: { "replication-password": bytes("rep<pw>") } } } },
    },
  },
);

// Data objects shared by several cases are written once, as named data sets.
const uses = new Map<unknown, number>();
for (const c of cases)
  if (c.data !== null && typeof c.data === "object") uses.set(c.data, (uses.get(c.data) ?? 0) + 1);
const datasets: Record<string, unknown> = {};
const datasetNames = new Map<unknown, string>();
const written = cases.map((c) => {
  if ((uses.get(c.data) ?? 0) < 2) return c;
  let name = datasetNames.get(c.data);
  if (name === undefined) {
    name = `set${datasetNames.size + 1}`;
    datasetNames.set(c.data, name);
    datasets[name] = c.data;
  }
  return { name: c.name, template: c.template, dataset: name };
});
writeFileSync(
  process.argv[2] ?? "packages/template/fixtures/cases.json",
  `${JSON.stringify({ datasets, cases: written }, null, 1)}\n`,
);
console.log(`${cases.length} cases`);
