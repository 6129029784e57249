/** loadProfile against the local cluster: Kanister's param.Profile, and bad Profiles reported by field. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBlueprintAction } from "../runner/run-action.js";
import { blueprintOf, startEnv, type TestEnv } from "../test-support/local.js";
import { loadProfile } from "./load.js";

const CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: profiles.cr.kanister.io }
spec:
  group: cr.kanister.io
  scope: Namespaced
  names: { plural: profiles, singular: profile, kind: Profile }
  versions: [{ name: v1alpha1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }]
`;
const b64 = (s: string) => Buffer.from(s).toString("base64");

function profileYaml(name: string, body: string): string {
  return `apiVersion: cr.kanister.io/v1alpha1\nkind: Profile\nmetadata: { name: ${name}, namespace: kanister }\n${body}`;
}

const keyPairRef = (secret: string, id = "access_key", value = "secret_key") =>
  `credential:\n  type: keyPair\n  keyPair: { idField: ${id}, secretField: ${value}, secret: { apiVersion: v1, kind: Secret, name: ${secret}, namespace: kanister } }`;

let env: TestEnv;
beforeAll(async () => {
  env = await startEnv(["kanister"]);
  await env.lc.apply(CRD);
  await env.lc.apply(`
apiVersion: v1
kind: Secret
metadata: { name: s3-creds, namespace: kanister }
data: { access_key: ${b64("AKIAEXAMPLE")}, secret_key: ${b64("wJalrXUtnFEMI-secret")} }
---
apiVersion: v1
kind: Secret
metadata: { name: aws-typed, namespace: kanister }
type: secrets.kanister.io/aws
data: { aws_access_key_id: ${b64("AKIATYPED")}, aws_secret_access_key: ${b64("typed-secret")} }
---
apiVersion: v1
kind: Secret
metadata: { name: aws-extra, namespace: kanister }
type: secrets.kanister.io/aws
data: { aws_access_key_id: ${b64("a")}, aws_secret_access_key: ${b64("b")}, region: ${b64("eu-west-1")} }
---
apiVersion: v1
kind: Secret
metadata: { name: gcp-partial, namespace: kanister }
type: secrets.kanister.io/gcp
data: { gcp_project_id: ${b64("my-project")} }
---
apiVersion: v1
kind: Secret
metadata: { name: s3-empty, namespace: kanister }
data: { access_key: "", secret_key: ${b64("s")} }
---
${profileYaml("empty-id", `location: { type: s3Compliant, bucket: b }\n${keyPairRef("s3-empty")}`)}
---
apiVersion: v1
kind: Secret
metadata: { name: opaque, namespace: kanister }
type: Opaque
data: { whatever: ${b64("x")} }
---
${profileYaml("s3", `location: { type: s3Compliant, bucket: backups, endpoint: "https://minio.example:9000", region: us-east-1 }\n${keyPairRef("s3-creds")}\nskipSSLVerify: true`)}
---
${profileYaml("typed", `location: { type: s3Compliant, bucket: backups, prefix: team-a }\ncredential: { type: secret, secret: { apiVersion: v1, kind: Secret, name: aws-typed, namespace: kanister } }`)}
---
${profileYaml("no-secret", `location: { type: s3Compliant, bucket: b }\n${keyPairRef("missing")}`)}
---
${profileYaml("wrong-id", `location: { type: s3Compliant, bucket: b }\n${keyPairRef("s3-creds", "aws_access_key_id")}`)}
---
${profileYaml("wrong-secret", `location: { type: s3Compliant, bucket: b }\n${keyPairRef("s3-creds", "access_key", "secretKey")}`)}
---
${profileYaml("nfs", `location: { type: nfs, bucket: b }\n${keyPairRef("s3-creds")}`)}
---
${profileYaml("token", `location: { type: gcs, bucket: b }\ncredential: { type: token }`)}
---
${profileYaml("extra", `location: { type: s3Compliant, bucket: b }\ncredential: { type: secret, secret: { name: aws-extra, namespace: kanister } }`)}
---
${profileYaml("gcp", `location: { type: gcs, bucket: b }\ncredential: { type: secret, secret: { name: gcp-partial, namespace: kanister } }`)}
---
${profileYaml("opaque", `location: { type: s3Compliant, bucket: b }\ncredential: { type: secret, secret: { name: opaque, namespace: kanister } }`)}
---
${profileYaml("no-namespace", `location: { type: s3Compliant, bucket: b }\ncredential: { type: keyPair, keyPair: { idField: access_key, secretField: secret_key, secret: { name: s3-creds } } }`)}
`);
});
afterAll(() => env.lc.stop());

const load = (name: string) => loadProfile(env.lc.cluster, { namespace: "kanister", name });

describe("loadProfile", () => {
  it("builds Kanister's param.Profile from a keyPair Profile: the two values of the Secret, location as given", async () => {
    expect(await load("s3")).toEqual({
      Location: {
        Type: "s3Compliant",
        Bucket: "backups",
        Endpoint: "https://minio.example:9000",
        Prefix: "",
        Region: "us-east-1",
      },
      Credential: {
        Type: "keyPair",
        KeyPair: { ID: "AKIAEXAMPLE", Secret: "wJalrXUtnFEMI-secret" },
        Secret: null,
        KopiaServerSecret: null,
      },
      SkipSSLVerify: true,
    });
  });

  it("carries the whole Secret of a `secret` credential, data as bytes", async () => {
    const profile = await load("typed");
    expect(profile.Location).toMatchObject({ Prefix: "team-a", Endpoint: "", Region: "" });
    expect(profile.SkipSSLVerify).toBe(false);
    expect(profile.Credential).toMatchObject({ Type: "secret", KeyPair: null, KopiaServerSecret: null });
    expect(profile.Credential.Secret).toMatchObject({
      Name: "aws-typed",
      Namespace: "kanister",
      Type: "secrets.kanister.io/aws",
    });
    expect(Buffer.from(profile.Credential.Secret?.Data.aws_secret_access_key ?? []).toString()).toBe(
      "typed-secret",
    );
  });

  it.each([
    ["absent", "metadata.name", /cannot read the Profile/],
    ["no-secret", "credential.keyPair.secret", /cannot read Secret kanister\/missing/],
    [
      "wrong-id",
      "credential.keyPair.idField",
      /key "aws_access_key_id" not found in Secret kanister\/s3-creds/,
    ],
    [
      "wrong-secret",
      "credential.keyPair.secretField",
      /key "secretKey" not found in Secret kanister\/s3-creds/,
    ],
    ["token", "credential.type", /"token" is not supported/],
    [
      "extra",
      "credential.secret",
      /has an unknown field "region" \(allowed: aws_access_key_id, aws_secret_access_key, role\)/,
    ],
    ["gcp", "credential.secret", /missing the required field "service-account.json"/],
    ["opaque", "credential.secret.type", /has type "Opaque"/],
    ["no-namespace", "credential.keyPair.secret.namespace", /required/],
  ])("refuses Profile %s with QUIESCE_PROFILE_INVALID naming %s", async (name, field, message) => {
    const err = await load(name).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({
      code: "QUIESCE_PROFILE_INVALID",
      details: { profile: `kanister/${name}`, field },
    });
    expect((err as Error).message).toContain(`Profile kanister/${name}: ${field}: `);
    expect((err as Error).message).toMatch(message);
  });
});

describe("the profile option of runBlueprintAction", () => {
  const phases = [
    {
      func: "KubeTask",
      name: "task",
      args: { namespace: "kanister", image: "busybox", command: ["echo", "{{ .Profile.Location.Bucket }}"] },
    },
  ];

  it("loads a Profile reference before anything runs, and fails the action without starting a pod when it is bad", async () => {
    const before = (await env.lc.cluster.list({ version: "v1", resource: "pods", namespace: "kanister" }))
      .items.length;
    const result = await runBlueprintAction(blueprintOf(phases), "run", {
      cluster: env.lc.cluster,
      registry: env.registry,
      subject: { kind: "Namespace", name: "kanister" },
      profile: { namespace: "kanister", name: "wrong-id" },
    });
    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({
      code: "QUIESCE_PROFILE_INVALID",
      details: { field: "credential.keyPair.idField" },
    });
    expect(result.phases.map((p) => p.status)).toEqual(["skipped"]);
    expect(
      (await env.lc.cluster.list({ version: "v1", resource: "pods", namespace: "kanister" })).items.length,
    ).toBe(before);
  });

  // Kanister pkg/param/param.go fetchProfile checks that the keys are there, not their values, and
  // not the location type: the action runs, and only a data function refuses the Profile
  // (pkg/function/utils.go ValidateProfile).
  it.each([
    ["nfs", "Location type not supported", "location.type"],
    ["empty-id", "Access key ID is not set", "credential.keyPair.idField"],
  ])("loads Profile %s as Kanister does; BackupData refuses it with %j", async (name, text, field) => {
    expect((await load(name)).Location.Bucket).toBe("b");
    const undo = env.lc.runtime.onRun({ image: "busybox" }, () => ({}));
    try {
      const result = await runBlueprintAction(
        blueprintOf([
          ...phases,
          {
            func: "BackupData",
            name: "backup",
            args: {
              namespace: "kanister",
              pod: "p",
              container: "c",
              includePath: "/d",
              backupArtifactPrefix: "b/x",
            },
          },
        ]),
        "run",
        {
          cluster: env.lc.cluster,
          registry: env.registry,
          subject: { kind: "Namespace", name: "kanister" },
          profile: { namespace: "kanister", name },
        },
      );
      expect(result.phases.map((p) => p.status)).toEqual(["succeeded", "failed"]);
      expect(result.phases[1]?.error).toMatchObject({
        code: "QUIESCE_PROFILE_INVALID",
        message: `Failed to validate Profile: ${text}`,
        details: { field },
      });
    } finally {
      undo();
    }
  });

  it("gives templates .Profile and redacts its credentials from errors", async () => {
    const undo = env.lc.runtime.onRun({ image: "busybox" }, (ctx) => ({
      stdout: `bucket=${ctx.argv[1]}\n`,
      stderr: "auth failed for wJalrXUtnFEMI-secret\n",
      exitCode: 1,
    }));
    try {
      const result = await runBlueprintAction(blueprintOf(phases), "run", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject: { kind: "Namespace", name: "kanister" },
        profile: { namespace: "kanister", name: "s3" },
      });
      expect(result.status).toBe("failed");
      const text = JSON.stringify(result);
      expect(text).toContain("bucket=backups");
      expect(text).not.toContain("wJalrXUtnFEMI-secret");
    } finally {
      undo();
    }
  });
});
