/**
 * BackupDataAll → RestoreDataAll → DeleteDataAll over a two-replica StatefulSet, with real restic.
 *
 * @module-tag restic
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBlueprintAction } from "../runner/run-action.js";
import { waitReady } from "../test-support/local.js";
import { type DataEnv, startDataEnv, TOOLS_IMAGE } from "./test-support/data-env.js";

const NS = "db";

const statefulSet = `
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: mongo, namespace: ${NS} }
spec:
  replicas: 2
  serviceName: mongo
  selector: { matchLabels: { app: mongo } }
  template:
    metadata: { labels: { app: mongo } }
    spec:
      containers:
      - { name: mongo, image: example/mongo:7, volumeMounts: [{ name: data, mountPath: /data/db }] }
      - { name: tools, image: ${TOOLS_IMAGE}, command: [sh, -c, "tail -f /dev/null"], volumeMounts: [{ name: data, mountPath: /data/db }] }
  volumeClaimTemplates:
  - metadata: { name: data }
    spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
`;

const blueprint = `
apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata: { name: mongo-all }
actions:
  backup:
    outputArtifacts:
      all: { keyValue: { info: "{{ .Phases.backup.Output.BackupAllInfo }}" } }
    phases:
    - func: BackupDataAll
      name: backup
      args:
        namespace: "{{ .StatefulSet.Namespace }}"
        container: tools
        includePath: /data/db
        backupArtifactPrefix: "{{ .Profile.Location.Bucket }}/mongo"
  restore:
    inputArtifactNames: [all]
    phases:
    - func: RestoreDataAll
      name: restore
      args:
        namespace: "{{ .StatefulSet.Namespace }}"
        image: ${TOOLS_IMAGE}
        backupArtifactPrefix: "{{ .Profile.Location.Bucket }}/mongo"
        backupInfo: "{{ .ArtifactsIn.all.KeyValue.info }}"
  delete:
    inputArtifactNames: [all]
    phases:
    - func: DeleteDataAll
      name: delete
      args:
        namespace: "{{ .StatefulSet.Namespace }}"
        image: ${TOOLS_IMAGE}
        backupArtifactPrefix: "{{ .Profile.Location.Bucket }}/mongo"
        backupInfo: "{{ .ArtifactsIn.all.KeyValue.info }}"
        reclaimSpace: true
`;

describe("the *All data functions on restic", () => {
  let env: DataEnv;
  const subject = { kind: "StatefulSet", namespace: NS, name: "mongo" };

  beforeAll(async () => {
    env = await startDataEnv([NS]);
    await env.lc.apply(statefulSet);
    await waitReady(env.lc, "statefulsets", NS, "mongo", 2);
  });
  afterAll(() => env?.stop());

  const run = (action: string, artifacts?: Record<string, { KeyValue: Record<string, string> }>) =>
    runBlueprintAction(blueprint, action, {
      cluster: env.lc.cluster,
      registry: env.registry,
      subject,
      profile: env.profile,
      ...(artifacts ? { artifacts } : {}),
    });

  it("backs up every pod into its own repository, restores each pod's claim, and deletes every snapshot", async () => {
    const pods = ["mongo-0", "mongo-1"];
    for (const pod of pods)
      await writeFile(join(env.lc.runtime.pvcDir(NS, `data-${pod}`), "journal"), `journal of ${pod}\n`);

    const backup = await run("backup");
    expect(backup.error).toBeUndefined();
    const info = backup.outputArtifacts.all?.KeyValue?.info ?? "";
    const parsed = JSON.parse(info) as Record<
      string,
      { PodName: string; BackupID: string; BackupTag: string }
    >;
    expect(Object.keys(parsed)).toEqual(pods);
    // Go's json.Marshal of map[string]BackupInfo: keys sorted, fields in declaration order.
    expect(info).toMatch(
      /^\{"mongo-0":\{"PodName":"mongo-0","BackupID":"[0-9a-f]{8}","BackupTag":"\w{10}"\},"mongo-1":/,
    );
    for (const pod of pods) {
      const listed = JSON.parse((await env.restic(`quiesce/mongo/${pod}`, ["snapshots", "--json"])).stdout);
      expect(listed).toEqual([
        expect.objectContaining({ short_id: parsed[pod]?.BackupID, paths: ["/data/db"] }),
      ]);
    }

    for (const pod of pods)
      await writeFile(join(env.lc.runtime.pvcDir(NS, `data-${pod}`), "journal"), "lost\n");
    const restore = await run(
      "restore",
      backup.outputArtifacts as Record<string, { KeyValue: Record<string, string> }>,
    );
    expect(restore.error).toBeUndefined();
    for (const pod of pods) {
      expect(await readFile(join(env.lc.runtime.pvcDir(NS, `data-${pod}`), "journal"), "utf8")).toBe(
        `journal of ${pod}\n`,
      );
    }

    const del = await run(
      "delete",
      backup.outputArtifacts as Record<string, { KeyValue: Record<string, string> }>,
    );
    expect(del.error).toBeUndefined();
    for (const pod of pods) {
      expect(JSON.parse((await env.restic(`quiesce/mongo/${pod}`, ["snapshots", "--json"])).stdout)).toEqual(
        [],
      );
    }
  });

  it("reports every pod's failure together and no BackupAllInfo", async () => {
    const result = await runBlueprintAction(
      {
        apiVersion: "cr.kanister.io/v1alpha1",
        kind: "Blueprint",
        metadata: { name: "bad" },
        actions: {
          backup: {
            phases: [
              {
                func: "BackupDataAll",
                name: "backup",
                args: {
                  namespace: NS,
                  container: "tools",
                  includePath: "/no/such/dir",
                  backupArtifactPrefix: "bad",
                  pods: "mongo-0 mongo-1",
                },
              },
            ],
          },
        },
      },
      "backup",
      { cluster: env.lc.cluster, registry: env.registry, subject, profile: env.profile },
    );
    expect(result.status).toBe("failed");
    expect(result.phases[0]?.output).toEqual({});
    const message = result.error?.message ?? "";
    // Kanister backupDataAll: "Failed to backup data for pod" (the pod in errkit's details), one line each.
    const lines = message.split("\n").filter((l) => l.includes("Failed to backup data for pod: "));
    expect(lines).toHaveLength(2);
    expect(JSON.stringify(result.error?.cause)).toContain('"pod":"mongo-0"');
    expect(JSON.stringify(result.error?.cause)).toContain('"pod":"mongo-1"');
  });
});
