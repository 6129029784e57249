/**
 * Kanister's TemplateParams as templates see them, written from pkg/param/param.go (the Go types and
 * how New fills them) and pkg/param/render.go (text/template, missingkey=error, ksprig).
 */
import { render, TemplateError } from "@quiesce/template";
import { describe, expect, it } from "vitest";
import { emptyTemplateParams, type SecretParams, type TemplateParams } from "../template-params.js";
import { kanisterTemplateData, profileGoValue } from "./template-data.js";

const bytes = (s: string) => new Uint8Array(Buffer.from(s));

const secret: SecretParams = {
  Name: "creds",
  Namespace: "db",
  Type: "Opaque",
  Data: { password: bytes("hi") },
  StringData: {},
  Labels: { app: "db" },
  Annotations: {},
  ObjectMeta: {
    name: "creds",
    namespace: "db",
    uid: "1234",
    resourceVersion: "7",
    creationTimestamp: "2024-03-05T07:08:09Z",
    labels: { app: "db" },
  },
};

function params(over: Partial<TemplateParams> = {}): TemplateParams {
  return {
    ...emptyTemplateParams({ time: new Date(Date.UTC(2024, 2, 5, 7, 8, 9, 120)) }),
    StatefulSet: {
      Name: "db",
      Namespace: "prod",
      Pods: ["db-0", "db-1"],
      Containers: [
        ["agent", "db"],
        ["agent", "db"],
      ],
      PersistentVolumeClaims: { "db-0": { "data-db-0": "/data" } },
    },
    Object: { metadata: { name: "db", labels: { app: "db" } }, spec: { replicas: 2 } },
    Options: { prefix: "daily" },
    ArtifactsIn: { snap: { KeyValue: { id: "s-1" } } },
    Secrets: { creds: secret },
    ConfigMaps: {
      cfg: {
        Name: "cfg",
        Namespace: "db",
        Data: { bucket: "b" },
        BinaryData: {},
        Labels: {},
        Annotations: {},
        ObjectMeta: { name: "cfg", namespace: "db" },
      },
    },
    ...over,
  };
}

function run(src: string, p: TemplateParams = params()): string {
  return render(src, kanisterTemplateData(p), { name: "config" });
}

function failure(src: string, p: TemplateParams = params()): string {
  try {
    run(src, p);
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return (err as Error).message;
  }
  throw new Error(`expected ${src} to fail`);
}

describe("Kanister's TemplateParams as Go values", () => {
  it('Options, artifact KeyValues, ConfigMap data and labels are map[string]string: index of a missing key is ""', () => {
    expect(run('{{ index .Options "missing" | quote }}')).toBe('""');
    expect(run('{{ index .ArtifactsIn.snap.KeyValue "missing" | quote }}')).toBe('""');
    expect(run('{{ index .ConfigMaps.cfg.Data "missing" | quote }}|{{ .ConfigMaps.cfg.Data.bucket }}')).toBe(
      '""|b',
    );
    expect(run('{{ index .Secrets.creds.Labels "missing" | quote }}')).toBe('""');
    // A field-style lookup of a missing key still fails under missingkey=error.
    expect(failure("{{ .Options.missing }}")).toContain('map has no entry for key "missing"');
    // .Object stays map[string]interface{}: a missing key is nil there.
    expect(run('{{ index .Object.metadata "missing" }}')).toBe("<no value>");
  });

  it("sprig's map[string]interface{} functions refuse map[string]string, accept .Object and .PodOverride", () => {
    expect(failure('{{ hasKey .Options "prefix" }}')).toContain(
      "wrong type for value; expected map[string]interface {}; got map[string]string",
    );
    expect(run('{{ hasKey .Object "spec" }}')).toBe("true");
    const withOverride = params({ PodOverride: { nodeSelector: { disk: "ssd" } } });
    expect(run('{{ hasKey .PodOverride "nodeSelector" }}|{{ printf "%T" .PodOverride }}', withOverride)).toBe(
      "true|v1alpha1.JSONMap",
    );
  });

  it("absent workloads are nil pointers of their Go types", () => {
    expect(failure("{{ .Deployment.Name }}")).toBe(
      'template: config:1:14: executing "config" at <.Deployment.Name>: nil pointer evaluating *param.DeploymentParams.Name',
    );
    expect(run("{{ if .Deployment }}d{{ else }}none{{ end }}|{{ .PVC }}")).toBe("none|<nil>");
    expect(run('{{ printf "%T" . }}|{{ printf "%T" .StatefulSet }}|{{ typeOf .StatefulSet.Pods }}')).toBe(
      "param.TemplateParams|*param.StatefulSetParams|[]string",
    );
    expect(failure("{{ .Nope }}")).toContain("can't evaluate field Nope in type param.TemplateParams");
  });

  it("prints and encodes the workload params as Go does", () => {
    expect(run("{{ .StatefulSet }}")).toBe(
      "{db prod [db-0 db-1] [[agent db] [agent db]] map[db-0:map[data-db-0:/data]]}",
    );
    expect(run("{{ toJson .StatefulSet }}")).toBe(
      '{"Name":"db","Namespace":"prod","Pods":["db-0","db-1"],"Containers":[["agent","db"],["agent","db"]],"PersistentVolumeClaims":{"db-0":{"data-db-0":"/data"}}}',
    );
  });

  it("Secrets are corev1.Secrets: bytes data, promoted ObjectMeta fields, json tags", () => {
    expect(run("{{ .Secrets.creds.Data.password }}|{{ .Secrets.creds.Data.password | toString }}")).toBe(
      "[104 105]|hi",
    );
    expect(
      run(
        "{{ .Secrets.creds.Name }}/{{ .Secrets.creds.Namespace }} {{ .Secrets.creds.Labels.app }} {{ .Secrets.creds.Type }}",
      ),
    ).toBe("creds/db db Opaque");
    expect(run("{{ .Secrets.creds.CreationTimestamp.Unix }}|{{ .Secrets.creds.CreationTimestamp }}")).toBe(
      "1709622489|2024-03-05 07:08:09 +0000 UTC",
    );
    expect(run("{{ toJson .Secrets.creds }}")).toBe(
      '{"metadata":{"name":"creds","namespace":"db","uid":"1234","resourceVersion":"7","creationTimestamp":"2024-03-05T07:08:09Z","labels":{"app":"db"}},"data":{"password":"aGk="},"type":"Opaque"}',
    );
    // corev1.SecretType is a defined type: a plain-string parameter refuses it.
    expect(failure("{{ .Secrets.creds.Type | lower }}")).toContain("expected string; got v1.SecretType");
  });

  it("ConfigMaps are corev1.ConfigMaps", () => {
    expect(run("{{ toJson .ConfigMaps.cfg }}")).toBe(
      '{"metadata":{"name":"cfg","namespace":"db","creationTimestamp":null},"data":{"bucket":"b"}}',
    );
  });

  it("the deferPhase is &Phase{} until it runs; phases hold their objects and output", () => {
    expect(run("{{ toJson .DeferPhase }}")).toBe('{"Secrets":null,"ConfigMaps":null,"Output":null}');
    const p = params({
      Phases: { dump: { Secrets: { creds: secret }, ConfigMaps: {}, Output: { path: "/b", n: 3 } } },
    });
    expect(
      run(
        "{{ .Phases.dump.Output.path }} {{ .Phases.dump.Output.n }} {{ index .Phases.dump.Secrets.creds.Data.password 0 }}",
        p,
      ),
    ).toBe("/b 3 104");
    expect(failure("{{ .Phases.later.Output }}", p)).toContain('map has no entry for key "later"');
    expect(run('{{ printf "%T" .Phases.dump }}', p)).toBe("*param.Phase");
  });

  it("Time is the RFC3339Nano string of the action's start; toDate makes a time.Time with Go's methods", () => {
    expect(run('{{ .Time }}|{{ printf "%T" .Time }}')).toBe("2024-03-05T07:08:09.12Z|string");
    expect(run('{{ (toDate "2006-01-02T15:04:05.999999999Z07:00" .Time).Unix }}')).toBe("1709622489");
    expect(run('{{ (toDate "2006-01-02T15:04:05.999999999Z07:00" .Time).Format "Jan 2" }}')).toBe("Mar 5");
  });

  it("nil PodAnnotations and PodLabels print map[] and encode as null", () => {
    expect(run("{{ .PodLabels }}|{{ toJson .PodAnnotations }}|{{ len .PodLabels }}")).toBe("map[]|null|0");
  });

  it("Profile is a *param.Profile: Location's json tags, a defined LocationType, the Secret credential", () => {
    const profile = {
      Location: { Type: "s3Compliant", Bucket: "b", Endpoint: "", Prefix: "p", Region: "r" },
      Credential: { Type: "secret", KeyPair: null, Secret: secret, KopiaServerSecret: null },
      SkipSSLVerify: true,
    };
    const p = params({ Profile: profile });
    expect(
      run('{{ if eq .Profile.Location.Type "s3Compliant" }}s3{{ end }} {{ .Profile.Location }}', p),
    ).toBe("s3 {s3Compliant b  p r}");
    expect(run("{{ toJson .Profile }}", p)).toBe(
      '{"Location":{"type":"s3Compliant","bucket":"b","endpoint":"","prefix":"p","region":"r"},"Credential":{"Type":"secret","KeyPair":null,"Secret":{"metadata":{"name":"creds","namespace":"db","uid":"1234","resourceVersion":"7","creationTimestamp":"2024-03-05T07:08:09Z","labels":{"app":"db"}},"data":{"password":"aGk="},"type":"Opaque"},"KopiaServerSecret":null},"SkipSSLVerify":true}',
    );
    expect(run("{{ .Profile.Credential.Secret.Data.password | toString }}", p)).toBe("hi");
    expect(failure("{{ .Profile.Credential.KeyPair.ID }}", p)).toContain(
      "nil pointer evaluating *param.KeyPair.ID",
    );
    // No profile: a nil *param.Profile.
    expect(failure("{{ .Profile.Location }}")).toContain("nil pointer evaluating *param.Profile.Location");
    // A Go value built once is used as it is.
    expect(run("{{ .Profile.SkipSSLVerify }}", params({ Profile: profileGoValue(profile) }))).toBe("true");
  });

  it("refuses parameters that do not fit Kanister's types, naming the field", () => {
    expect(() => kanisterTemplateData(params({ Options: { n: 3 as unknown as string } }))).toThrow(
      "template parameters: Options.n: expected a value of Go type string",
    );
  });
});
