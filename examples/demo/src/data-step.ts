/**
 * The data step: the database's journals backed up with Kanister's BackupData (restic in each pod's
 * kanister-tools sidecar) into the local S3 server and, after new damage, restored with RestoreData
 * (a one-off pod per claim). The host checks every snapshot in the repository with restic itself and
 * every restored journal against its snapshot, byte for byte.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type ActionResult,
  BlueprintEvents,
  DEFAULT_ENCRYPTION_KEY,
  loadBlueprint,
  runBlueprintAction,
} from "@quiesce/functions";
import type { LocalCluster, ObjectStoreServer, ProcessRuntime } from "@quiesce/testing";
import {
  KANISTER_PROFILE_CRD,
  kanisterProfileManifests,
  resticTestsUnavailable,
  runResticOnHost,
  startObjectStore,
} from "@quiesce/testing";
import { type ClaimCheck, checkAgainstBackup, countRecords, JOURNAL, waitForRecords } from "./data.js";
import { BUCKET, dataBlueprintYaml, PROFILE } from "./data-blueprint.js";
import { type DemoEnvironment, SUBJECT, withSignal } from "./environment.js";
import { CLAIM_TEMPLATE, DATA_MOUNT, DATABASE, NAMESPACE } from "./manifests.js";
import { damageClaims } from "./restore-action.js";

/** The store the data step writes to, started before the database (its sidecars trust its CA). */
export interface DataStore {
  store: ObjectStoreServer;
  stop(): Promise<void>;
}

/** One pod's backup as the repository holds it. */
export interface JournalSnapshot {
  pod: string;
  claim: string;
  /** BackupData's `backupID`. */
  backupID: string;
  /** The snapshot is listed by `restic snapshots` under that ID. */
  listed: boolean;
  /** Records in the snapshot's journal (read back with `restic dump`). */
  records: number;
}

/** What the data step did. */
export interface DataOutcome {
  /** Why it did not run (restic or container file systems unavailable, or an earlier failure). */
  skipped?: string;
  backup?: ActionResult;
  snapshots: JournalSnapshot[];
  restore?: ActionResult;
  /** Each claim compared with its snapshot after the restore. */
  restored: ClaimCheck[];
  problems: string[];
}

/**
 * Starts the local S3 server and gives the kanister-tools containers (the sidecars, RestoreData's
 * pods) a file system of their own that trusts its CA; `{ unavailable }`, the reason, when restic or
 * such file systems are not available here.
 */
export async function prepareDataStore(
  lc: LocalCluster<ProcessRuntime>,
): Promise<DataStore | { unavailable: string }> {
  const reason = await resticTestsUnavailable();
  if (reason !== undefined) return { unavailable: reason };
  const store = await startObjectStore({ buckets: [BUCKET] });
  lc.runtime.isolate({
    image: "kanister-tools",
    env: { SSL_CERT_FILE: store.caFile },
    hostPaths: [store.caFile],
  });
  return { store, stop: () => store.stop() };
}

/** Backs up, damages, restores and verifies (see the file's description). */
export async function runDataStep(
  env: DemoEnvironment,
  lc: LocalCluster<ProcessRuntime>,
  data: DataStore,
  claims: readonly string[],
): Promise<DataOutcome> {
  const { timeline, signal } = env;
  const { store } = data;
  const problems: string[] = [];
  await lc.apply(KANISTER_PROFILE_CRD);
  await lc.apply(
    kanisterProfileManifests(store, {
      namespace: PROFILE.namespace,
      name: PROFILE.name,
      secretName: `${PROFILE.name}-creds`,
    }),
  );
  timeline.line(
    "data",
    "profile",
    PROFILE.name,
    "applied",
    `s3Compliant ${store.endpoint}/${BUCKET} (keyPair)`,
  );

  const { blueprint } = loadBlueprint(dataBlueprintYaml);
  const run = (action: string, artifacts?: ActionResult["outputArtifacts"]) => {
    const events = new BlueprintEvents();
    timeline.followBlueprint(events, "data");
    return runBlueprintAction(blueprint, action, {
      cluster: env.cluster,
      subject: SUBJECT,
      profile: PROFILE,
      options: { node: env.paths.node, script: env.paths.script },
      events,
      phaseTimeout: "120s",
      ...(artifacts ? { artifacts } : {}),
      ...withSignal(signal),
    });
  };

  const backup = await run("backup");
  if (backup.status !== "succeeded") {
    problems.push(`data backup ${backup.status}: ${backup.error?.message ?? "?"}`);
    return { backup, snapshots: [], restored: [], problems };
  }

  // Nothing counts as backed up unless restic finds it in the repository.
  const journals = backup.outputArtifacts.journals?.KeyValue ?? {};
  const snapshotDir = join(env.workDir, "snapshots");
  const snapshots: JournalSnapshot[] = [];
  for (const i of [0, 1]) {
    const pod = journals[`pod${i}`] ?? "";
    const backupID = journals[`id${i}`] ?? "";
    const claim = `${CLAIM_TEMPLATE}-${pod}`;
    const repository = `${journals.prefix ?? ""}/${pod}`;
    const listed = await runResticOnHost(store, repository, ["snapshots", "--json"], DEFAULT_ENCRYPTION_KEY);
    const ids =
      listed.code === 0 ? (JSON.parse(listed.stdout) as { short_id: string }[]).map((s) => s.short_id) : [];
    const dumped = await runResticOnHost(
      store,
      repository,
      ["dump", backupID, `${DATA_MOUNT}/${JOURNAL}`],
      DEFAULT_ENCRYPTION_KEY,
    );
    await mkdir(join(snapshotDir, claim), { recursive: true });
    await writeFile(join(snapshotDir, claim, JOURNAL), dumped.stdout);
    const snapshot = {
      pod,
      claim,
      backupID,
      listed: ids.includes(backupID) && dumped.code === 0,
      records: countRecords(Buffer.from(dumped.stdout)),
    };
    snapshots.push(snapshot);
    timeline.line(
      "data",
      "verify",
      claim,
      snapshot.listed && snapshot.records > 0 ? "passed" : "failed",
      `snapshot ${backupID} in s3://${repository}: ${snapshot.records} records`,
    );
    if (!snapshot.listed || snapshot.records === 0)
      problems.push(`snapshot ${backupID} of ${claim} is not in the repository`);
  }
  if (problems.length > 0) return { backup, snapshots, restored: [], problems };

  for (const d of await damageClaims(env, snapshots)) timeline.line("data", "damage", DATABASE, "done", d);
  const restore = await run("restore", backup.outputArtifacts);
  if (restore.status !== "succeeded") {
    problems.push(`data restore ${restore.status}: ${restore.error?.message ?? "?"}`);
    return { backup, snapshots, restore, restored: [], problems };
  }
  await waitForRecords({
    claimDir: env.claimDir,
    namespace: NAMESPACE,
    claims,
    min: (claim) => (snapshots.find((s) => s.claim === claim)?.records ?? 0) + 1,
    signal,
  });
  const restored = await checkAgainstBackup({
    claimDir: env.claimDir,
    namespace: NAMESPACE,
    backupDir: snapshotDir,
  });
  for (const r of restored) {
    timeline.line(
      "data",
      "verify",
      r.claim,
      r.matches ? "passed" : "failed",
      r.matches
        ? `restored journal starts with the snapshot byte for byte (${r.backupRecords} records), ${r.newRecords} written since`
        : "the journal does not start with the snapshot",
    );
    if (!r.matches) problems.push(`restored ${r.claim} does not match its snapshot`);
  }
  if (restored.length !== snapshots.length) problems.push("not every snapshot was checked");
  return { backup, snapshots, restore, restored, problems };
}
