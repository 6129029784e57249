/**
 * Bad input and faults of the data functions with real restic: a wrong key, a store that cannot be
 * reached, a store that stops in the middle of an upload — each ends, is reported with its code and
 * restic's words, runs the deferPhase, and never reports a backup the repository does not hold.
 *
 * @module-tag restic
 */
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProfile } from "../profile/load.js";
import type { Profile } from "../profile/types.js";
import { runBlueprintAction } from "../runner/run-action.js";
import { type DataEnv, startDataEnv, TOOLS_IMAGE } from "./test-support/data-env.js";

const NS = "faults";

const pod = `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: payload, namespace: ${NS} }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
---
apiVersion: v1
kind: Pod
metadata: { name: app, namespace: ${NS} }
spec:
  volumes: [{ name: data, persistentVolumeClaim: { claimName: payload } }]
  containers:
  - { name: tools, image: ${TOOLS_IMAGE}, command: [sh, -c, "tail -f /dev/null"], volumeMounts: [{ name: data, mountPath: /data }] }
`;

const backupPhase = (prefix: string, extra: Record<string, unknown> = {}) => ({
  func: "BackupData",
  name: "backup",
  args: {
    namespace: NS,
    pod: "app",
    container: "tools",
    includePath: "/data",
    backupArtifactPrefix: prefix,
    ...extra,
  },
});

// The deferPhase leaves a mark in the claim: it ran.
const deferPhase = {
  func: "KubeExec",
  name: "cleanup",
  args: { namespace: NS, pod: "app", container: "tools", command: ["sh", "-c", "date > /data/cleanup-ran"] },
};

describe("data functions under faults", () => {
  let env: DataEnv;
  let profile: Profile;
  beforeAll(async () => {
    env = await startDataEnv([NS]);
    await env.lc.apply(pod);
    await env.lc.cluster.waitFor(
      { version: "v1", resource: "pods", namespace: NS, name: "app" },
      (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
      { timeoutMs: 10_000 },
    );
    await writeFile(join(env.lc.runtime.pvcDir(NS, "payload"), "small.txt"), "small\n");
    profile = await loadProfile(env.lc.cluster, env.profile);
  });
  afterAll(() => env?.stop());

  const run = (phases: unknown[], options: Record<string, unknown> = {}) =>
    runBlueprintAction(
      {
        apiVersion: "cr.kanister.io/v1alpha1",
        kind: "Blueprint",
        metadata: { name: "faults" },
        actions: { run: { phases, deferPhase } },
      },
      "run",
      {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject: { kind: "Namespace", name: NS },
        profile,
        ...options,
      },
    );

  it("a wrong key: the backup fails as QUIESCE_RESTIC_PASSWORD_INCORRECT, the restore too, CheckRepository says passwordIncorrect", async () => {
    expect((await run([backupPhase("keyed", { encryptionKey: "right-key" })])).error).toBeUndefined();
    const backup = await run([backupPhase("keyed", { encryptionKey: "wrong-key" })]);
    expect(backup.status).toBe("failed");
    expect(backup.error?.cause).toMatchObject({ code: "QUIESCE_RESTIC_PASSWORD_INCORRECT" });
    // Kanister reports the failed init (GetOrCreateRepository); the listing's words give the code.
    expect(backup.error?.message).toContain(
      "Failed to backup data: Failed to create object store backup location: Failed to exec command in pod: command terminated with exit code 1.",
    );
    expect(JSON.stringify(backup.error?.cause)).toContain("wrong password or no key found");
    expect(JSON.stringify(backup)).not.toContain("right-key");
    expect(backup.deferPhase?.status).toBe("succeeded");

    const restore = await run([
      {
        func: "RestoreData",
        name: "restore",
        args: {
          namespace: NS,
          image: TOOLS_IMAGE,
          volumes: { payload: "/data" },
          backupArtifactPrefix: "keyed",
          backupTag: "none",
          encryptionKey: "wrong-key",
        },
      },
    ]);
    expect(restore.error?.cause).toMatchObject({ code: "QUIESCE_RESTIC_PASSWORD_INCORRECT" });
    const check = await run([
      {
        func: "CheckRepository",
        name: "check",
        args: { image: TOOLS_IMAGE, backupArtifactPrefix: "keyed", encryptionKey: "wrong-key" },
      },
    ]);
    expect(check.phases[0]?.output).toMatchObject({ passwordIncorrect: "true", repoUnavailable: "false" });
  });

  it("a store that cannot be reached: QUIESCE_RESTIC_REPOSITORY_UNAVAILABLE, and the deferPhase runs", async () => {
    const unreachable: Profile = {
      ...profile,
      Location: { ...profile.Location, Endpoint: "https://127.0.0.1:9" },
    };
    const result = await run([backupPhase("unreachable")], { profile: unreachable });
    expect(result.status).toBe("failed");
    expect(result.error?.cause).toMatchObject({ code: "QUIESCE_RESTIC_REPOSITORY_UNAVAILABLE" });
    expect(result.error?.message).toMatch(/connection refused/);
    expect(result.deferPhase?.status).toBe("succeeded");
  });

  it("a store that stops mid-upload: the phase fails with restic's words, the deferPhase runs, no snapshot is reported or kept", async () => {
    // New data after the first backup, so the second one uploads new packs.
    await writeFile(join(env.lc.runtime.pvcDir(NS, "payload"), "big.bin"), randomBytes(24 * 1024 * 1024));
    expect((await run([backupPhase("midway")])).error).toBeUndefined(); // the repository exists
    const before = JSON.parse(
      (await env.restic("quiesce/midway", ["snapshots", "--json"])).stdout,
    ) as unknown[];
    await writeFile(join(env.lc.runtime.pvcDir(NS, "payload"), "big.bin"), randomBytes(24 * 1024 * 1024));

    // The store halts as the first new data pack's upload arrives, however fast the machine is.
    const halted = env.store.haltOnUpload("quiesce", "midway/data/");
    // restic retries a store that stopped answering for minutes (no default deadline, as in
    // Kanister): this host bounds the phase.
    const result = await run([backupPhase("midway")], { phaseTimeouts: { backup: "25s" } });
    await halted;
    await env.store.resume();

    expect(result.status).toBe("failed");
    expect(result.phases[0]?.output).toEqual({});
    const cause = result.error?.cause as unknown as {
      code: string;
      message: string;
      details: { stderr: string; possiblyStillRunning: boolean };
    };
    expect(cause.code).toBe("QUIESCE_TIMEOUT");
    expect(cause.details.possiblyStillRunning).toBe(true);
    expect(cause.details.stderr).toMatch(/connection refused/);
    expect(result.deferPhase?.status).toBe("succeeded");
    // Nothing new in the repository.
    const after = JSON.parse(
      (await env.restic("quiesce/midway", ["snapshots", "--json"])).stdout,
    ) as unknown[];
    expect(after).toHaveLength(before.length);
  }, 90_000);
});
