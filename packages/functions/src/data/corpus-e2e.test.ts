/**
 * The corpus Blueprints that move data, unedited, end to end on the local cluster with real restic
 * and an S3 server: time-log (BackupData, RestoreData, LocationDelete) and postgres start-stop
 * (CopyVolumeData, RestoreData, DeleteData; its database commands scripted). Each goes backup →
 * damage → restore → data verified byte for byte → delete → the backup is gone from the store.
 *
 * @module-tag corpus
 * @module-tag restic
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readCorpus } from "@quiesce/testing/corpus";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBlueprint } from "../blueprint/load.js";
import { runBlueprintAction } from "../runner/run-action.js";
import type { Artifact } from "../template-params.js";
import { waitReady } from "../test-support/local.js";
import { type DataEnv, startDataEnv } from "./test-support/data-env.js";

const blueprint = (file: string) => loadBlueprint(readCorpus(`kanister/${file}`)).blueprint;

let env: DataEnv;
beforeAll(async () => {
  env = await startDataEnv(["time-log", "pg"]);
});
afterAll(() => env?.stop());

const run = (
  file: string,
  action: string,
  subject: Record<string, string>,
  artifacts?: Record<string, Artifact>,
) =>
  runBlueprintAction(blueprint(file), action, {
    cluster: env.lc.cluster,
    registry: env.registry,
    subject: subject as { kind: string; namespace: string; name: string },
    profile: env.profile,
    ...(artifacts ? { artifacts } : {}),
  });

/** The log once it has `lines` lines (the logger writes when its container starts). */
async function logged(path: string, lines: number): Promise<Buffer> {
  for (let i = 0; i < 500; i++) {
    const text = await readFile(path).catch(() => Buffer.alloc(0));
    if (
      text
        .toString()
        .split("\n")
        .filter((l) => l !== "").length >= lines
    )
      return text;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${path} never reached ${lines} lines`);
}

describe("time-log: BackupData → RestoreData → LocationDelete", () => {
  const file = "time-log-time-log-blueprint.yaml";
  const subject = { kind: "Deployment", namespace: "time-log", name: "time-logger" };

  it("backs up /var/log of the logger, restores it over damage, and deletes the whole artifact", async () => {
    // Kanister's time-log example: a kanister-tools container appending the date to /var/log/time.log.
    await env.lc.apply(`
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: time-log-pvc, namespace: time-log }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: time-logger, namespace: time-log }
spec:
  replicas: 1
  selector: { matchLabels: { app: time-logger } }
  template:
    metadata: { labels: { app: time-logger } }
    spec:
      containers:
      - name: test-container
        image: ghcr.io/kanisterio/kanister-tools:0.116.0
        command: [sh, -c, "date >> /var/log/time.log; tail -f /dev/null"]
        volumeMounts: [{ name: data, mountPath: /var/log }]
      volumes: [{ name: data, persistentVolumeClaim: { claimName: time-log-pvc } }]
`);
    await waitReady(env.lc, "deployments", "time-log", "time-logger", 1);
    const log = join(env.lc.runtime.pvcDir("time-log", "time-log-pvc"), "time.log");
    await logged(log, 1);
    await writeFile(log, `${await readFile(log, "utf8")}${"backed-up line\n".repeat(100)}`);
    const original = await readFile(log);

    const backup = await run(file, "backup", subject);
    expect(backup.error).toBeUndefined();
    const id = backup.outputArtifacts.backupIdentifier?.KeyValue?.id ?? "";
    expect(backup.outputArtifacts.timeLog).toEqual({ KeyValue: { path: "quiesce/time-log" } });
    const listed = JSON.parse((await env.restic("quiesce/time-log", ["snapshots", "--json"])).stdout);
    expect(listed).toEqual([expect.objectContaining({ short_id: id, paths: ["/var/log"] })]);

    await writeFile(log, "damaged\n");
    const restore = await run(file, "restore", subject, backup.outputArtifacts);
    expect(restore.error).toBeUndefined();
    expect(restore.phases.map((p) => `${p.name}:${p.status}`)).toEqual([
      "shutdownPod:succeeded",
      "restoreFromS3:succeeded",
      "bringupPod:succeeded",
    ]);
    // The logger is back and has appended its start line to the restored log.
    const restored = await logged(log, original.toString().split("\n").length);
    expect(restored.subarray(0, original.length).equals(original)).toBe(true);
    expect(
      restored
        .toString()
        .split("\n")
        .filter((l) => l !== ""),
    ).toHaveLength(original.toString().split("\n").length);

    expect((await env.store.keys("quiesce", "time-log/")).length).toBeGreaterThan(3);
    const del = await run(file, "delete", subject, backup.outputArtifacts);
    expect(del.error).toBeUndefined();
    expect(await env.store.keys("quiesce", "time-log")).toEqual([]);
    const gone = await env.restic("quiesce/time-log", ["snapshots", "--json"]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain("Is there a repository at the following location?");
  }, 60_000);
});

describe("postgres start-stop: CopyVolumeData → RestoreData → DeleteData", () => {
  const file = "postgresql-postgres-start-stop-blueprint.yaml";
  const subject = { kind: "StatefulSet", namespace: "pg", name: "db-postgresql" };
  const sql: string[] = [];

  beforeAll(async () => {
    // The database and its psql session are scripted: the session pod idles; the backup start and
    // stop statements answer as PostgreSQL does once they reach psql.
    env.lc.runtime.onRun({ image: "bitnamilegacy/postgresql" }, async (ctx) => {
      await new Promise<void>((resolve) =>
        ctx.signal.addEventListener("abort", () => resolve(), { once: true }),
      );
      return { exitCode: 0 };
    });
    env.lc.runtime.onExec({ image: "bitnamilegacy/postgresql", command: /pg_backup_(start|stop)/ }, (ctx) => {
      sql.push(/SELECT[^;]*;/.exec(ctx.argv.join(" "))?.[0] ?? "");
      return { exitCode: 0 };
    });
    await env.lc.apply(`
apiVersion: v1
kind: Secret
metadata: { name: db-postgresql, namespace: pg }
data: { postgres-password: ${Buffer.from("pg-secret-pw").toString("base64")} }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db-postgresql, namespace: pg, labels: { app.kubernetes.io/instance: db } }
spec:
  replicas: 1
  serviceName: db-postgresql
  selector: { matchLabels: { app: db-postgresql } }
  template:
    metadata: { labels: { app: db-postgresql } }
    spec:
      containers:
      - { name: postgresql, image: "bitnamilegacy/postgresql:17", volumeMounts: [{ name: data, mountPath: /bitnami/postgresql }] }
  volumeClaimTemplates:
  - metadata: { name: data }
    spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
`);
    await waitReady(env.lc, "statefulsets", "pg", "db-postgresql", 1);
  });

  it("copies the data volume between pg_backup_start and pg_backup_stop, restores it over damage, and forgets the snapshot", async () => {
    const claim = env.lc.runtime.pvcDir("pg", "data-db-postgresql-0");
    const pgFiles: Record<string, Buffer> = {
      "data/PG_VERSION": Buffer.from("17\n"),
      "data/base/1/1259": randomBytes(40_000),
      "data/pg_wal/000000010000000000000001": randomBytes(256 * 1024),
    };
    for (const [name, content] of Object.entries(pgFiles)) {
      await mkdir(join(claim, name, ".."), { recursive: true });
      await writeFile(join(claim, name), content);
    }

    const backup = await run(file, "backup", subject);
    expect(backup.error).toBeUndefined();
    expect(sql).toEqual([
      "SELECT pg_backup_start(label => 'kanister_backup', fast => false);",
      "SELECT * FROM pg_backup_stop(wait_for_archive => true);",
    ]);
    expect(backup.deferPhase?.status).toBe("succeeded"); // the psql session pod is deleted
    const cloud = backup.outputArtifacts.cloudObject?.KeyValue ?? {};
    expect(cloud).toMatchObject({
      backupArtifactLocation: "quiesce/s3-bucket/path/artifactPrefix",
      pvc: "data-db-postgresql-0",
      backupID: expect.stringMatching(/^[0-9a-f]{8}$/),
      backupTag: expect.stringMatching(/^\w{10}$/),
    });

    await rm(join(claim, "data/base"), { recursive: true });
    await writeFile(join(claim, "data/PG_VERSION"), "corrupt");
    const restore = await run(file, "restore", subject, backup.outputArtifacts);
    expect(restore.error).toBeUndefined();
    expect(restore.deferPhase?.status).toBe("succeeded"); // scaled back up
    for (const [name, content] of Object.entries(pgFiles)) {
      expect((await readFile(join(claim, name))).equals(content), name).toBe(true);
    }

    const repo = "quiesce/s3-bucket/path/artifactPrefix";
    expect(JSON.parse((await env.restic(repo, ["snapshots", "--json"])).stdout)).toHaveLength(1);
    const del = await run(file, "delete", subject, backup.outputArtifacts);
    expect(del.error).toBeUndefined();
    expect(del.phases[0]?.output).toEqual({ spaceFreed: "0 B" });
    expect(JSON.parse((await env.restic(repo, ["snapshots", "--json"])).stdout)).toEqual([]);
  }, 60_000);
});
