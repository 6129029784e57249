/** The `profile` option of runWithHooks: `.Profile` of Blueprint (K10) hooks, read once, checked before any hook runs. */
import "@quiesce/functions/builtins";
import { readEnvelope } from "@quiesce/kube";
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWithHooks } from "./lifecycle.js";
import { recoverSessions } from "./recovery/recover-sessions.js";
import { staleHost } from "./test-support/stale-host.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");

const blueprint = `
apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata: { name: push }
actions:
  push:
    phases:
      - func: KubeExec
        name: push
        args:
          namespace: app
          pod: tools
          command: [push, --profile, "{{ toJson .Profile }}", --bucket, "{{ .Profile.Location.Bucket }}"]
`;

const unlockBlueprint = `
apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata: { name: unlock }
actions:
  lock:
    phases:
      - func: KubeExec
        name: lock
        args: { namespace: app, pod: tools, command: [lock] }
  unlock:
    phases:
      - func: KubeExec
        name: unlock
        args: { namespace: app, pod: tools, command: [unlock, "{{ toJson .Profile }}"] }
`;

const PROFILE_JSON =
  '{"Location":{"type":"s3Compliant","bucket":"nightly","endpoint":"https://s3.example","prefix":"","region":"eu-west-1"},"Credential":{"Type":"keyPair","KeyPair":{"ID":"AKIDHOOKS","Secret":"hooks-secret-key"},"Secret":null,"KopiaServerSecret":null},"SkipSSLVerify":false}';

let lc: LocalCluster;
const seen: string[][] = [];
const unlocked: string[] = [];
beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: ["app", "kanister"],
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
data: { id: ${b64("AKIDHOOKS")}, key: ${b64("hooks-secret-key")} }
---
apiVersion: cr.kanister.io/v1alpha1
kind: Profile
metadata: { name: s3, namespace: kanister }
location: { type: s3Compliant, bucket: nightly, endpoint: "https://s3.example", region: eu-west-1 }
credential: { type: keyPair, keyPair: { idField: id, secretField: key, secret: { name: creds, namespace: kanister } } }
---
apiVersion: cr.kanister.io/v1alpha1
kind: Profile
metadata: { name: broken, namespace: kanister }
location: { type: s3Compliant, bucket: nightly }
credential: { type: keyPair, keyPair: { idField: access_key, secretField: key, secret: { name: creds, namespace: kanister } } }
---
apiVersion: v1
kind: Pod
metadata: { name: tools, namespace: app }
spec: { containers: [{ name: tools, image: example/tools:1 }] }
`);
  lc.runtime.onExec({ pod: "tools", command: /^push / }, (ctx) => {
    seen.push([...ctx.argv]);
    return { stderr: `uploaded with ${ctx.argv[2]}\n`, exitCode: 1 };
  });
  lc.runtime.onExec({ pod: "tools", command: /^unlock / }, (ctx) => {
    unlocked.push(ctx.argv[1] ?? "");
    return { stdout: "unlocked\n" };
  });
  lc.runtime.onExec({ pod: "tools", command: "lock" }, () => ({ stdout: "locked\n" }));
  await lc.cluster.waitFor(
    { version: "v1", resource: "pods", namespace: "app", name: "tools" },
    (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
    { timeoutMs: 10_000 },
  );
});
afterAll(() => lc.stop());

const hooks = { preHook: [{ name: "push", blueprint, actionName: "push", maxRetry: 0 }] };

describe("runWithHooks with a Profile", () => {
  it("gives Blueprint hooks Kanister's .Profile from a Profile resource, its credentials redacted", async () => {
    seen.length = 0;
    const result = await runWithHooks(
      {
        cluster: lc.cluster,
        subject: { kind: "Namespace", name: "app" },
        hooks,
        profile: { namespace: "kanister", name: "s3" },
      },
      async () => {},
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]?.[2]).toBe(PROFILE_JSON);
    expect(seen[0]?.[4]).toBe("nightly");
    // The hook failed (its command said so); the Profile's secret is not in the result.
    expect(result.outcome).toBe("failed");
    expect(JSON.stringify(result)).not.toContain("hooks-secret-key");
  });

  it("fails the session with QUIESCE_PROFILE_INVALID naming the field, before any hook runs", async () => {
    seen.length = 0;
    let stepRan = false;
    const result = await runWithHooks(
      {
        cluster: lc.cluster,
        subject: { kind: "Namespace", name: "app" },
        hooks,
        profile: { namespace: "kanister", name: "broken" },
      },
      async () => {
        stepRan = true;
      },
    );
    expect(seen).toEqual([]);
    expect(stepRan).toBe(false);
    expect(result.outcome).toBe("failed");
    const text = JSON.stringify(result);
    expect(text).toContain("QUIESCE_PROFILE_INVALID");
    expect(text).toContain("credential.keyPair.idField");
  });

  it("records the Profile reference, never its credentials, and a recoverer reads it again for the owed Blueprint hook", async () => {
    unlocked.length = 0;
    // A host that stops renewing its Lease (1 s) while its step runs.
    const stale = await staleHost({
      cluster: lc.cluster,
      subject: { kind: "Namespace", name: "app" },
      hooks: {
        preHook: [{ name: "lock", blueprint: unlockBlueprint, actionName: "lock", maxRetry: 0 }],
        onFailure: [{ name: "unlock", blueprint: unlockBlueprint, actionName: "unlock", maxRetry: 0 }],
      },
      profile: { namespace: "kanister", name: "s3" },
    });
    const { items } = await lc.cluster.list(
      { version: "v1", resource: "configmaps" },
      { labelSelector: "quiesce.dev/session" },
    );
    expect(items).toHaveLength(1);
    expect(readEnvelope(items[0] ?? {})).toMatchObject({
      payload: { settings: { profile: { namespace: "kanister", name: "s3" } } },
    });
    expect(JSON.stringify(items)).not.toContain("hooks-secret-key");

    const report = await recoverSessions({ cluster: lc.cluster, namespaces: ["app"], identity: "rescuer" });
    expect(report.recovered).toHaveLength(1);
    expect(report.recovered[0]?.cleanup).toBe("completed");
    expect(unlocked).toEqual([PROFILE_JSON]);
    expect(JSON.stringify(report)).not.toContain("hooks-secret-key");
    await stale.release();
  });
});
