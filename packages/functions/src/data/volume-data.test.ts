/**
 * CopyVolumeData → RestoreData → DeleteData, BackupDataStats, CheckRepository and LocationDelete on
 * the local cluster with real restic and an S3 server.
 *
 * @module-tag restic
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProfile } from "../profile/load.js";
import { runBlueprintAction } from "../runner/run-action.js";
import { blueprintOf } from "../test-support/local.js";
import { type DataEnv, startDataEnv, TOOLS_IMAGE } from "./test-support/data-env.js";

const NS = "vol";

describe("volume data functions on restic", () => {
  let env: DataEnv;
  let claim: string;
  const subject = { kind: "Namespace", name: NS };

  beforeAll(async () => {
    env = await startDataEnv([NS]);
    await env.lc.apply(
      `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: pg-data, namespace: ${NS} }\nspec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }`,
    );
    claim = env.lc.runtime.pvcDir(NS, "pg-data");
    await mkdir(join(claim, "base/1"), { recursive: true });
    await writeFile(join(claim, "base/1/1259"), Buffer.alloc(20_000, 7));
    await writeFile(join(claim, "PG_VERSION"), "17\n");
  });
  afterAll(() => env?.stop());

  const run = (phases: unknown[], profile: unknown = env.profile) =>
    runBlueprintAction(blueprintOf(phases), "run", {
      cluster: env.lc.cluster,
      registry: env.registry,
      subject,
      profile: profile as never,
    });
  const output = (result: Awaited<ReturnType<typeof run>>, i = 0) =>
    result.phases[i]?.output as Record<string, string>;

  it("copies a PVC with CopyVolumeData, restores it by tag with RestoreData, and DeleteData forgets the snapshot", async () => {
    const copy = await run([
      {
        func: "CopyVolumeData",
        name: "copy",
        args: { namespace: NS, volume: "pg-data", dataArtifactPrefix: "pg/artifacts", image: TOOLS_IMAGE },
      },
    ]);
    expect(copy.error).toBeUndefined();
    const out = output(copy);
    expect(out).toMatchObject({
      backupRoot: "/mnt/vol_data/pg-data",
      backupArtifactLocation: "quiesce/pg/artifacts",
      fileCount: "2",
      version: "v0.0.0",
    });
    const listed = JSON.parse((await env.restic("quiesce/pg/artifacts", ["snapshots", "--json"])).stdout);
    expect(listed).toEqual([
      expect.objectContaining({
        short_id: out.backupID,
        tags: [out.backupTag],
        paths: ["/mnt/vol_data/pg-data"],
      }),
    ]);

    await rm(join(claim, "base"), { recursive: true });
    await writeFile(join(claim, "PG_VERSION"), "garbage");
    const restore = await run([
      {
        func: "RestoreData",
        name: "restore",
        args: {
          namespace: NS,
          image: TOOLS_IMAGE,
          volumes: { "pg-data": "/mnt/vol_data/pg-data" },
          backupArtifactPrefix: "pg/artifacts",
          backupTag: out.backupTag,
        },
      },
    ]);
    expect(restore.error).toBeUndefined();
    expect(await readFile(join(claim, "PG_VERSION"), "utf8")).toBe("17\n");
    expect(await readFile(join(claim, "base/1/1259"))).toEqual(Buffer.alloc(20_000, 7));

    const del = await run([
      {
        func: "DeleteData",
        name: "delete",
        args: {
          namespace: NS,
          image: TOOLS_IMAGE,
          backupArtifactPrefix: "pg/artifacts",
          backupID: out.backupID,
        },
      },
    ]);
    expect(del.error).toBeUndefined();
    expect(output(del)).toEqual({ spaceFreed: "0 B" });
    expect(JSON.parse((await env.restic("quiesce/pg/artifacts", ["snapshots", "--json"])).stdout)).toEqual(
      [],
    );
  });

  it("reports a snapshot's stats, then deletes it by tag and reclaims the space", async () => {
    const copy = await run([
      {
        func: "CopyVolumeData",
        name: "copy",
        args: {
          namespace: NS,
          volume: "pg-data",
          dataArtifactPrefix: "stats",
          image: TOOLS_IMAGE,
          mountPath: "/data",
        },
      },
      {
        func: "BackupDataStats",
        name: "stats",
        args: {
          namespace: NS,
          image: TOOLS_IMAGE,
          backupArtifactPrefix: "stats",
          backupID: "{{ .Phases.copy.Output.backupID }}",
        },
      },
      {
        func: "BackupDataStats",
        name: "raw",
        args: {
          namespace: NS,
          image: TOOLS_IMAGE,
          backupArtifactPrefix: "stats",
          backupID: "{{ .Phases.copy.Output.backupID }}",
          statsMode: "raw-data",
        },
      },
    ]);
    expect(copy.error).toBeUndefined();
    expect(output(copy).backupRoot).toBe("/data");
    // What restic itself says about the snapshot (files and directories in restore-size mode, blobs in raw-data).
    const id = output(copy).backupID ?? "";
    const direct = await env.restic("quiesce/stats", ["stats", id, "--mode", "restore-size"]);
    const files = /Total File Count:\s+(\d+)/.exec(direct.stdout)?.[1];
    const size = /Total Size:\s+(.+)$/m.exec(direct.stdout)?.[1];
    expect(output(copy, 1)).toEqual({ mode: "restore-size", fileCount: files, size, version: "v0.0.0" });
    expect(output(copy, 2)).toMatchObject({ mode: "raw-data", fileCount: expect.stringMatching(/^\d+$/) });

    const del = await run([
      {
        func: "DeleteData",
        name: "delete",
        args: {
          namespace: NS,
          image: TOOLS_IMAGE,
          backupArtifactPrefix: "stats",
          backupTag: output(copy).backupTag,
          reclaimSpace: "true",
        },
      },
    ]);
    // restic 0.14's prune words its summary differently from what Kanister parses: 0 B, as Kanister would report.
    expect(output(del)).toEqual({ spaceFreed: "0 B" });
    expect(JSON.parse((await env.restic("quiesce/stats", ["snapshots", "--json"])).stdout)).toEqual([]);
    expect(await env.store.keys("quiesce", "stats/data/")).toEqual([]);
  });

  it("tells with CheckRepository whether the repository opens, the key is wrong, or there is none", async () => {
    await run([
      {
        func: "CopyVolumeData",
        name: "copy",
        args: { namespace: NS, volume: "pg-data", dataArtifactPrefix: "checked", image: TOOLS_IMAGE },
      },
    ]);
    const check = (args: Record<string, unknown>, profile?: unknown) =>
      run([{ func: "CheckRepository", name: "check", args: { image: TOOLS_IMAGE, ...args } }], profile);
    const ok = await check({ backupArtifactPrefix: "checked" });
    expect(output(ok)).toEqual({ passwordIncorrect: "false", repoUnavailable: "false", version: "v0.0.0" });
    const wrong = await check({ backupArtifactPrefix: "checked", encryptionKey: "not-the-key" });
    expect(output(wrong)).toEqual({ passwordIncorrect: "true", repoUnavailable: "false", version: "v0.0.0" });
    const none = await check({ backupArtifactPrefix: "nothing-here" });
    expect(output(none)).toEqual({ passwordIncorrect: "false", repoUnavailable: "true", version: "v0.0.0" });
    const loaded = await loadProfile(env.lc.cluster, env.profile);
    const unreachable = { ...loaded, Location: { ...loaded.Location, Endpoint: "https://127.0.0.1:9" } };
    const down = await check({ backupArtifactPrefix: "checked" }, unreachable);
    expect(output(down)).toEqual({ passwordIncorrect: "false", repoUnavailable: "true", version: "v0.0.0" });
  });

  it("deletes an artifact's objects from the host with LocationDelete, and nothing else", async () => {
    await run([
      {
        func: "CopyVolumeData",
        name: "a",
        args: { namespace: NS, volume: "pg-data", dataArtifactPrefix: "gone/app", image: TOOLS_IMAGE },
      },
    ]);
    await run([
      {
        func: "CopyVolumeData",
        name: "b",
        args: { namespace: NS, volume: "pg-data", dataArtifactPrefix: "kept/app", image: TOOLS_IMAGE },
      },
    ]);
    expect((await env.store.keys("quiesce", "gone/")).length).toBeGreaterThan(3);
    const del = await run([
      { func: "LocationDelete", name: "delete", args: { artifact: "{{ .Profile.Location.Bucket }}/gone" } },
    ]);
    expect(del.error).toBeUndefined();
    expect(await env.store.keys("quiesce", "gone/")).toEqual([]);
    expect(await env.store.keys("quiesce", "kept/app/")).toContain("kept/app/config");
    const whole = await run([{ func: "LocationDelete", name: "delete", args: { artifact: "quiesce" } }]);
    expect(whole.error?.message).toContain("refusing to delete every object of bucket quiesce");
    expect(await env.store.keys("quiesce", "kept/app/")).toContain("kept/app/config");
  });
});
