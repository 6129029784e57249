import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWithHooks } from "./lifecycle.js";

// KubeStash's hook status: status.hooks.preHooks/postHooks and the Pre/Post…HooksExecutionSucceeded
// conditions of a BackupSession / RestoreSession (kubestash/apimachinery apis/core/v1alpha1).

const crd = (plural: string, kind: string) => `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: ${plural}.core.kubestash.com }
spec:
  group: core.kubestash.com
  scope: Namespaced
  names: { plural: ${plural}, singular: ${kind.toLowerCase()}, kind: ${kind}, listKind: ${kind}List }
  versions:
    - name: v1alpha1
      served: true
      storage: true
      subresources: { status: {} }
      schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
`;

let lc: LocalCluster;
beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: ["demo"],
  });
  await lc.apply(crd("backupsessions", "BackupSession"));
  await lc.apply(crd("restoresessions", "RestoreSession"));
});
afterAll(() => lc.stop());

const get = async (resource: string, name: string) =>
  (await lc.cluster.get({
    group: "core.kubestash.com",
    version: "v1alpha1",
    resource,
    namespace: "demo",
    name,
  })) as {
    status?: { hooks?: unknown; conditions?: Array<Record<string, unknown>> };
  };

describe("recording hook status in a KubeStash session", () => {
  it("writes each hook's phase and the pre/post conditions with KubeStash's reasons", async () => {
    await lc.apply({
      apiVersion: "core.kubestash.com/v1alpha1",
      kind: "BackupSession",
      metadata: { name: "sample-backup-frequent-1", namespace: "demo" },
      spec: { invoker: { kind: "BackupConfiguration", name: "sample-backup" }, session: "frequent" },
    });
    let midway: unknown;
    let sessionName: string | undefined;
    const result = await runWithHooks(
      {
        cluster: lc.cluster,
        subject: { kind: "MySQL", name: "sample-mysql", namespace: "demo" },
        kubestashSession: { kind: "BackupSession", name: "sample-backup-frequent-1" },
        hooks: {
          pre: [
            {
              name: "pre-hook",
              run: async (ctx) => {
                // `.Name` is the BackupSession's (GetSummary) when the run names none of its own.
                sessionName = ctx.sessionName;
              },
            },
          ],
          post: [
            {
              name: "post-hook",
              run: async () => {
                throw new QuiesceError(ErrorCodes.HOOK_FAILED, "cannot unlock tables");
              },
            },
            { name: "notify", executionPolicy: "OnFailure", run: async () => {} },
          ],
        },
      },
      async () => {
        midway = (await get("backupsessions", "sample-backup-frequent-1")).status;
      },
    );
    expect(result.decidedBy).toBe("post-hook-failed");
    expect(sessionName).toBe("sample-backup-frequent-1");
    // After the pre stage: its condition, and the post hooks still pending.
    expect(midway).toMatchObject({
      hooks: {
        preHooks: [{ name: "pre-hook", phase: "Succeeded" }],
        postHooks: [
          { name: "post-hook", phase: "Pending" },
          { name: "notify", phase: "Pending" },
        ],
      },
      conditions: [
        {
          type: "PreBackupHooksExecutionSucceeded",
          status: "True",
          reason: "SuccessfullyExecutedPreBackupHooks",
        },
      ],
    });
    const status = (await get("backupsessions", "sample-backup-frequent-1")).status;
    expect(status?.hooks).toEqual({
      preHooks: [{ name: "pre-hook", phase: "Succeeded" }],
      // The step succeeded, so the OnFailure hook did not run.
      postHooks: [
        { name: "post-hook", phase: "Failed" },
        { name: "notify", phase: "Pending" },
      ],
    });
    expect(status?.conditions).toEqual([
      expect.objectContaining({ type: "PreBackupHooksExecutionSucceeded", status: "True" }),
      expect.objectContaining({
        type: "PostBackupHooksExecutionSucceeded",
        status: "False",
        reason: "FailedToExecutePostBackupHooks",
        message: "cannot unlock tables",
        lastTransitionTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      }),
    ]);
  });

  it("uses the restore condition types for a RestoreSession; a missing session object is logged, not a hook failure", async () => {
    await lc.apply({
      apiVersion: "core.kubestash.com/v1alpha1",
      kind: "RestoreSession",
      metadata: { name: "sample-restore", namespace: "demo" },
      spec: {},
    });
    const result = await runWithHooks(
      {
        cluster: lc.cluster,
        subject: { kind: "MySQL", name: "sample-mysql", namespace: "demo" },
        kubestashSession: { kind: "RestoreSession", name: "sample-restore" },
        hooks: { post: [{ name: "migrate", run: async () => {} }] },
      },
      async () => {},
    );
    expect(result.outcome).toBe("succeeded");
    expect((await get("restoresessions", "sample-restore")).status?.conditions).toEqual([
      expect.objectContaining({
        type: "PostRestoreHooksExecutionSucceeded",
        status: "True",
        reason: "SuccessfullyExecutedPostRestoreHooks",
      }),
    ]);
    const warnings: string[] = [];
    const missing = await runWithHooks(
      {
        cluster: lc.cluster,
        subject: { kind: "MySQL", name: "sample-mysql", namespace: "demo" },
        kubestashSession: { kind: "RestoreSession", name: "gone" },
        logger: { debug() {}, info() {}, warn: (m) => void warnings.push(m), error() {} },
        hooks: { post: [{ name: "migrate", run: async () => {} }] },
      },
      async () => {},
    );
    expect(missing.outcome).toBe("succeeded");
    expect(warnings[0]).toContain("could not record hook status in RestoreSession demo/gone");
  });
});
