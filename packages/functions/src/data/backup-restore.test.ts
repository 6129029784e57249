/**
 * BackupData / RestoreData / DeleteData / CheckRepository / BackupDataStats on the local cluster with
 * real restic and an S3 server, checked against what is in the repository.
 *
 * @module-tag restic
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBlueprintAction } from "../runner/run-action.js";
import { blueprintOf } from "../test-support/local.js";
import { type DataEnv, startDataEnv, TOOLS_IMAGE } from "./test-support/data-env.js";

const NS = "app";

const workload = `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: logger-data, namespace: ${NS} }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: logger, namespace: ${NS} }
spec:
  replicas: 1
  selector: { matchLabels: { app: logger } }
  template:
    metadata: { labels: { app: logger } }
    spec:
      volumes: [{ name: data, persistentVolumeClaim: { claimName: logger-data } }]
      containers:
      - { name: app, image: example/logger:1, volumeMounts: [{ name: data, mountPath: /var/log }] }
      - { name: tools, image: ${TOOLS_IMAGE}, command: [sh, -c, "tail -f /dev/null"], volumeMounts: [{ name: data, mountPath: /var/log }] }
`;

async function writeTree(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, ".."), { recursive: true });
    await writeFile(join(dir, name), content);
  }
}

describe("data functions on restic", () => {
  let env: DataEnv;
  let claim: string;
  const subject = { kind: "Deployment", namespace: NS, name: "logger" };
  const files = { "time.log": "10:00 up\n10:01 still up\n", "nested/deeper/app.log": "x".repeat(70_000) };

  beforeAll(async () => {
    env = await startDataEnv([NS]);
    await env.lc.apply(workload);
    await env.lc.cluster.waitFor(
      { group: "apps", version: "v1", resource: "deployments", namespace: NS, name: "logger" },
      (o) => (o?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 1,
      { timeoutMs: 10_000 },
    );
    claim = env.lc.runtime.pvcDir(NS, "logger-data");
    await writeTree(claim, files);
  });
  afterAll(() => env?.stop());

  const run = (phases: unknown[], action = "run", extra: Record<string, unknown> = {}) =>
    runBlueprintAction(blueprintOf(phases), action, {
      cluster: env.lc.cluster,
      registry: env.registry,
      subject,
      profile: env.profile,
      ...extra,
    });

  it("backs up a path of the sidecar with BackupData and restores it by ID with RestoreData, byte for byte", async () => {
    const backup = await run([
      {
        func: "BackupData",
        name: "backup",
        args: {
          namespace: "{{ .Deployment.Namespace }}",
          pod: "{{ index .Deployment.Pods 0 }}",
          container: "tools",
          includePath: "/var/log",
          backupArtifactPrefix: "{{ .Profile.Location.Bucket }}/logger",
        },
      },
    ]);
    expect(backup.error).toBeUndefined();
    const out = backup.phases[0]?.output as Record<string, string>;
    expect(out.backupID).toMatch(/^[0-9a-f]{8}$/);
    expect(out.backupTag).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
    expect(out).toMatchObject({ fileCount: "2", version: "v0.0.0", phySize: "" });
    expect(out.size).toMatch(/KiB$/);

    // The snapshot is in the repository, under the tag, with the container's path.
    const listed = await env.restic("quiesce/logger", ["snapshots", "--json"]);
    const snapshots = JSON.parse(listed.stdout) as { short_id: string; tags: string[]; paths: string[] }[];
    expect(snapshots).toEqual([
      expect.objectContaining({ short_id: out.backupID, tags: [out.backupTag], paths: ["/var/log"] }),
    ]);

    await rm(join(claim, "time.log"));
    await writeFile(join(claim, "nested/deeper/app.log"), "damaged");
    const restore = await run([
      {
        func: "RestoreData",
        name: "restore",
        args: {
          namespace: NS,
          pod: "{{ index .Deployment.Pods 0 }}",
          image: TOOLS_IMAGE,
          backupArtifactPrefix: "quiesce/logger",
          backupIdentifier: out.backupID,
        },
      },
    ]);
    expect(restore.error).toBeUndefined();
    for (const [name, content] of Object.entries(files))
      expect(await readFile(join(claim, name), "utf8")).toBe(content);
    // The one-off pod is deleted.
    const left = await env.lc.cluster.list({ version: "v1", resource: "pods", namespace: NS });
    const oneOff = left.items.filter((p) => p.metadata?.name?.startsWith("restore-data-"));
    expect(oneOff.every((p) => p.metadata?.deletionTimestamp !== undefined)).toBe(true);
  });

  it("restores the latest snapshot of a tag into explicit volumes, under a restorePath", async () => {
    const backup = await run([
      {
        func: "BackupData",
        name: "b",
        args: {
          namespace: NS,
          pod: "{{ index .Deployment.Pods 0 }}",
          container: "tools",
          includePath: "/var/log",
          backupArtifactPrefix: "tagged",
        },
      },
    ]);
    const tag = String(backup.phases[0]?.output.backupTag);
    await env.lc.apply(
      `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: scratch, namespace: ${NS} }\nspec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }`,
    );
    const restore = await run([
      {
        func: "RestoreData",
        name: "r",
        args: {
          namespace: NS,
          volumes: { scratch: "/restored" },
          restorePath: "/restored",
          image: TOOLS_IMAGE,
          backupArtifactPrefix: "tagged",
          backupTag: tag,
          podLabels: { team: "storage" },
        },
      },
    ]);
    expect(restore.error).toBeUndefined();
    // The snapshot's path (/var/log) is recreated under the target.
    expect(await readFile(join(env.lc.runtime.pvcDir(NS, "scratch"), "var/log/time.log"), "utf8")).toBe(
      files["time.log"],
    );
  });
});
