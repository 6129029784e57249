/**
 * Interoperability with Kanister's repositories: a repository written with the exact command lines
 * Kanister builds (pkg/restic) is restored and deleted by quiesce's functions, and a backup made by
 * quiesce's BackupData is found and restored by Kanister's command lines — real restic, real S3.
 *
 * @module-tag restic
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBlueprintAction } from "../runner/run-action.js";
import { blueprintOf } from "../test-support/local.js";
import { DEFAULT_ENCRYPTION_KEY, snapshotIdFromBackupLog } from "./restic.js";
import { type DataEnv, startDataEnv, TOOLS_IMAGE } from "./test-support/data-env.js";
import { type KanisterS3, kanisterShell } from "./test-support/kanister-shell.js";

const NS = "interop";

const claims = ["source", "restored-by-quiesce", "restored-by-kanister"]
  .map(
    (name) =>
      `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: ${name}, namespace: ${NS} }\nspec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }`,
  )
  .join("\n---\n");

/** A pod with the kanister-tools container mounting `claim` at /data. */
const toolsPod = (name: string, claim: string) => `
apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${NS} }
spec:
  volumes: [{ name: data, persistentVolumeClaim: { claimName: ${claim} } }]
  containers:
  - { name: tools, image: ${TOOLS_IMAGE}, command: [sh, -c, "tail -f /dev/null"], volumeMounts: [{ name: data, mountPath: /data }] }
`;

const files: Record<string, string> = {
  "orders.csv": "id,total\n1,9.99\n2,105.00\n",
  "nested/blob.bin": Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 31) % 251)).toString("latin1"),
};

describe("repositories shared with Kanister", () => {
  let env: DataEnv;
  let s3: KanisterS3;
  const dir = (claim: string) => env.lc.runtime.pvcDir(NS, claim);

  beforeAll(async () => {
    env = await startDataEnv([NS]);
    s3 = {
      endpoint: env.store.endpoint,
      accessKeyId: env.store.accessKeyId,
      secretAccessKey: env.store.secretAccessKey,
    };
    await env.lc.apply(claims);
    await env.lc.apply(`${toolsPod("app", "source")}\n---\n${toolsPod("kanister", "restored-by-kanister")}`);
    for (const name of ["app", "kanister"]) {
      await env.lc.cluster.waitFor(
        { version: "v1", resource: "pods", namespace: NS, name },
        (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
        { timeoutMs: 10_000 },
      );
    }
    for (const [name, content] of Object.entries(files)) {
      await mkdir(join(dir("source"), name, ".."), { recursive: true });
      await writeFile(join(dir("source"), name), content, "latin1");
    }
  });
  afterAll(() => env?.stop());

  const kanister = async (pod: string, argv: string[]) => {
    const result = await env.lc.cluster.exec({ namespace: NS, pod, container: "tools" }, argv, {
      timeoutMs: 60_000,
    });
    expect(result.exitCode, result.stderr).toBe(0);
    return result.stdout;
  };
  const run = (phases: unknown[]) =>
    runBlueprintAction(blueprintOf(phases), "run", {
      cluster: env.lc.cluster,
      registry: env.registry,
      subject: { kind: "Namespace", name: NS },
      profile: env.profile,
    });

  it("restores and deletes, with RestoreData and DeleteData, a backup written by Kanister's command lines", async () => {
    const repo = "quiesce/written-by-kanister";
    await kanister("app", kanisterShell.init(s3, repo, DEFAULT_ENCRYPTION_KEY));
    const id = snapshotIdFromBackupLog(
      await kanister(
        "app",
        kanisterShell.backupByTag(s3, repo, "kanistertag", "/data", DEFAULT_ENCRYPTION_KEY),
      ),
    );
    expect(id).toMatch(/^[0-9a-f]{8}$/);

    const restore = await run([
      {
        func: "RestoreData",
        name: "restore",
        args: {
          namespace: NS,
          image: TOOLS_IMAGE,
          // The snapshot holds /data: restored at / into a pod mounting the claim at /data, the files land in the claim.
          volumes: { "restored-by-quiesce": "/data" },
          restorePath: "/",
          backupArtifactPrefix: repo,
          backupIdentifier: id,
        },
      },
    ]);
    expect(restore.error).toBeUndefined();
    for (const [name, content] of Object.entries(files)) {
      expect(await readFile(join(dir("restored-by-quiesce"), name), "latin1"), name).toBe(content);
    }

    const del = await run([
      {
        func: "DeleteData",
        name: "delete",
        args: { namespace: NS, image: TOOLS_IMAGE, backupArtifactPrefix: repo, backupTag: "kanistertag" },
      },
    ]);
    expect(del.error).toBeUndefined();
    expect(JSON.parse((await env.restic(repo, ["snapshots", "--json"])).stdout)).toEqual([]);
  });

  it("lets Kanister's command lines find and restore a backup made by BackupData", async () => {
    const backup = await run([
      {
        func: "BackupData",
        name: "backup",
        args: {
          namespace: NS,
          pod: "app",
          container: "tools",
          includePath: "/data",
          backupArtifactPrefix: "written-by-quiesce",
        },
      },
    ]);
    expect(backup.error).toBeUndefined();
    const { backupID, backupTag } = (backup.phases[0]?.output ?? {}) as Record<string, string>;
    const repo = "quiesce/written-by-quiesce";

    const listed = JSON.parse(
      await kanister(
        "kanister",
        kanisterShell.snapshotsByTag(s3, repo, backupTag ?? "", DEFAULT_ENCRYPTION_KEY),
      ),
    );
    expect(listed[0]?.short_id).toBe(backupID);
    await kanister(
      "kanister",
      kanisterShell.restoreById(s3, repo, backupID ?? "", "/", DEFAULT_ENCRYPTION_KEY),
    );
    // Kanister's pod mounts its claim at /data too: the files are back where they were.
    for (const [name, content] of Object.entries(files)) {
      expect(await readFile(join(dir("restored-by-kanister"), name), "latin1"), name).toBe(content);
    }
  });
});
