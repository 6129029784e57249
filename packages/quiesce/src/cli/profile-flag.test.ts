import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "./main.js";
import { memoryIO } from "./test-support/memory-io.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const dir = mkdtempSync(join(tmpdir(), "quiesce-profile-"));
const bp = join(dir, "upload.yaml");
writeFileSync(
  bp,
  `apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata: { name: upload }
actions:
  backup:
    phases:
      - func: KubeExec
        name: upload
        args:
          namespace: shop
          pod: tools
          command: [upload, "s3://{{ .Profile.Location.Bucket }}/{{ .Profile.Location.Prefix }}", "{{ .Profile.Credential.KeyPair.Secret }}"]
`,
);

let lc: LocalCluster;
const seen: string[] = [];
beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: ["shop", "kanister"],
  });
  await lc.apply(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: profiles.cr.kanister.io }
spec:
  group: cr.kanister.io
  scope: Namespaced
  names: { plural: profiles, singular: profile, kind: Profile }
  versions: [{ name: v1alpha1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }]
---
apiVersion: v1
kind: Secret
metadata: { name: creds, namespace: kanister }
data: { id: ${b64("AKIDCLI")}, key: ${b64("cli-secret-key")} }
---
apiVersion: cr.kanister.io/v1alpha1
kind: Profile
metadata: { name: s3, namespace: kanister }
location: { type: s3Compliant, bucket: shop-backups, prefix: nightly }
credential: { type: keyPair, keyPair: { idField: id, secretField: key, secret: { name: creds, namespace: kanister } } }
---
apiVersion: v1
kind: Pod
metadata: { name: tools, namespace: shop }
spec: { containers: [{ name: tools, image: example/tools:1 }] }
`);
  lc.runtime.onExec({ pod: "tools", command: /^upload / }, (ctx) => {
    seen.push(ctx.argv.join(" "));
    return { stderr: `denied for ${ctx.argv[2]}\n`, exitCode: 1 };
  });
  await lc.cluster.waitFor(
    { version: "v1", resource: "pods", namespace: "shop", name: "tools" },
    (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
    { timeoutMs: 10_000 },
  );
});
afterAll(() => lc.stop());

const run = (...extra: string[]) => [
  "run",
  bp,
  "--action",
  "backup",
  "--subject",
  "namespace/shop",
  "--kubeconfig",
  lc.kubeconfigPath,
  ...extra,
];

describe("quiesce run --profile", () => {
  it("gives the action .Profile from the Profile resource and keeps its credentials out of the output", async () => {
    const { io, out } = memoryIO();
    const code = await main(run("--profile", "kanister/s3", "--json"), io);
    expect(seen).toEqual(["upload s3://shop-backups/nightly cli-secret-key"]);
    expect(code).toBe(1);
    expect(out.stdout).toContain("denied for [REDACTED]");
    expect(out.stdout).not.toContain("cli-secret-key");
  });

  it("reports a missing Profile by field, and a malformed flag as a usage error", async () => {
    const missing = memoryIO();
    expect(await main(run("--profile", "kanister/none", "--json"), missing.io)).toBe(1);
    expect(JSON.parse(missing.out.stdout).error).toMatchObject({
      code: "QUIESCE_PROFILE_INVALID",
      details: { field: "metadata.name" },
    });
    const bad = memoryIO();
    expect(await main(run("--profile", "s3"), bad.io)).toBe(2);
    expect(bad.out.stderr).toContain('--profile expects namespace/name, got "s3"');
  });
});
