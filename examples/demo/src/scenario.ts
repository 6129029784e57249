/**
 * The end-to-end scenario: a two-replica database on the embedded local cluster (process runtime),
 * a backup wrapped in KubeStash hooks (freeze → copy → thaw, a webhook on failure), then a restore
 * driven by a Kanister Blueprint (scale down → copy back → scale up), then a backup and restore with
 * Kanister's data functions (BackupData → restic → the local S3 server → RestoreData), each verified
 * from the host.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import "@quiesce/functions/builtins";
import type { ActionResult } from "@quiesce/functions";
import type { SessionResult } from "@quiesce/hooks";
import type { KubeObject } from "@quiesce/kube";
import { type LocalCluster, type ProcessRuntime, startLocalCluster } from "@quiesce/testing";
import { runBackup } from "./backup-session.js";
import { type ClaimBackup, type ClaimCheck, waitForRecords } from "./data.js";
import { type DataOutcome, type DataStore, prepareDataStore, runDataStep } from "./data-step.js";
import { type DemoEnvironment, withSignal } from "./environment.js";
import { CLAIM_TEMPLATE, DATABASE, hostPaths, NAMESPACE, workloadYaml } from "./manifests.js";
import { actionTable, sessionTable, Timeline } from "./report.js";
import { runRestore } from "./restore-action.js";
import { type ReceivedRequest, startWebhookReceiver, type WebhookReceiver } from "./webhook.js";

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Make the backup step fail after copying ("object store unreachable"). */
  failBackup?: boolean;
  /** Point the restore at a backup folder that does not exist: the copy fails, the deferPhase still scales back up. */
  failRestore?: boolean;
  /** Receives every output line (no trailing newline). */
  out: (line: string) => void;
  /** ANSI colours in the output. Default false. */
  color?: boolean;
  signal?: AbortSignal;
}

/** Everything the demo did, for the CLI's exit code and for tests. */
export interface DemoOutcome {
  /** Everything succeeded and every verification passed. */
  ok: boolean;
  /** Why not, one line each. */
  problems: string[];
  backup: SessionResult;
  /** What the backup step copied (per claim), when it got that far. */
  copied: ClaimBackup[];
  /** Absent when the backup failed (there is nothing to restore from). */
  restore?: ActionResult;
  /** Each claim compared with its backup after the restore. */
  restored: ClaimCheck[];
  /** What the webhook receiver got. */
  webhook: ReceivedRequest[];
  /** How each claim was damaged before the restore. */
  damage: string[];
  /** The backup and restore with the data functions (or why they did not run). */
  data: DataOutcome;
}

const REPLICAS = 2;
const claims = Array.from({ length: REPLICAS }, (_, i) => `${CLAIM_TEMPLATE}-${DATABASE}-${i}`);

/**
 * Runs the scenario and resolves with its outcome; never throws for a failed hook, step or phase
 * (those are in the outcome), only for a broken environment or when `signal` aborts before the
 * backup starts. Everything it started is stopped and its temporary files removed.
 *
 * @example
 * ```ts
 * const outcome = await runDemo({ out: (line) => console.log(line) });
 * process.exitCode = outcome.ok ? 0 : 1;
 * ```
 */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const { out, signal } = options;
  const color = options.color ?? false;
  const timeline = new Timeline({ out, color });
  const workDir = await mkdtemp(join(tmpdir(), "quiesce-demo-"));
  let webhook: WebhookReceiver | undefined;
  let lc: LocalCluster<ProcessRuntime> | undefined;
  let dataStore: DataStore | undefined;
  try {
    webhook = await startWebhookReceiver({
      onRequest: (r) => timeline.line("webhook", "received", r.path, r.method, oneLine(r.body, 90)),
    });
    lc = await startLocalCluster({
      runtime: "process",
      podStartDelayMs: 5,
      readyDelayMs: 5,
      terminationDelayMs: 5,
      ...withSignal(signal),
    });
    const runtime = lc.runtime;
    const env: DemoEnvironment = {
      cluster: lc.cluster,
      claimDir: (namespace, claim) => runtime.pvcDir(namespace, claim),
      timeline,
      paths: hostPaths(),
      workDir,
      signal,
    };
    // The data step runs after a successful restore; its store must exist before the database's
    // sidecars start (they trust its certificate).
    const failing = (options.failBackup ?? false) || (options.failRestore ?? false);
    const prepared = failing ? { unavailable: "a failure path was asked for" } : await prepareDataStore(lc);
    if ("store" in prepared) dataStore = prepared;
    out(
      `quiesce demo — local cluster ${lc.url} (process runtime), webhook receiver 127.0.0.1:${webhook.port}` +
        (dataStore ? `, S3 server ${dataStore.store.endpoint}` : ""),
    );
    out("");
    await startDatabase(env, lc);

    out("");
    const backup = await runBackup(env, {
      webhookPort: webhook.port,
      failBackup: options.failBackup ?? false,
    });
    const { session, copied } = backup;
    const problems: string[] = [];
    if (session.outcome !== "succeeded") {
      problems.push(`backup ${session.outcome} (${session.decidedBy}): ${session.error?.message ?? "?"}`);
    }
    for (const c of copied) if (!c.consistent) problems.push(`backup of ${c.claim} is inconsistent`);

    out("");
    const restore =
      session.outcome === "succeeded"
        ? await runRestore(env, backup, { failRestore: options.failRestore ?? false })
        : undefined;
    if (restore) problems.push(...restore.problems);
    else timeline.line("restore", "-", DATABASE, "skipped", "no backup to restore from");

    out("");
    let data: DataOutcome;
    if (!dataStore) {
      const why = "unavailable" in prepared ? prepared.unavailable : "";
      data = { skipped: why, snapshots: [], restored: [], problems: [] };
    } else if (restore?.action.status !== "succeeded" || restore.problems.length > 0) {
      data = { skipped: "the restore did not succeed", snapshots: [], restored: [], problems: [] };
    } else {
      data = await runDataStep(env, lc, dataStore, claims);
      problems.push(...data.problems);
    }
    if (data.skipped !== undefined) timeline.line("data", "-", DATABASE, "skipped", data.skipped);

    const outcome: DemoOutcome = {
      ok: problems.length === 0,
      problems,
      backup: session,
      copied,
      ...(restore ? { restore: restore.action } : {}),
      restored: restore?.restored ?? [],
      webhook: webhook.received,
      damage: restore?.damage ?? [],
      data,
    };
    printSummary(outcome, out, color);
    return outcome;
  } finally {
    await lc?.stop();
    await dataStore?.stop();
    await webhook?.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Applies the namespace and StatefulSet, then waits until both pods are Ready and writing. */
async function startDatabase(env: DemoEnvironment, lc: LocalCluster<ProcessRuntime>): Promise<void> {
  env.timeline.line(
    "setup",
    "apply",
    DATABASE,
    "started",
    `StatefulSet ${NAMESPACE}/${DATABASE}, ${REPLICAS} replicas`,
  );
  await lc.apply(workloadYaml(env.paths));
  const ready = (o: KubeObject | undefined) =>
    (o?.status as { readyReplicas?: number } | undefined)?.readyReplicas === REPLICAS;
  await env.cluster.waitFor(
    { group: "apps", version: "v1", resource: "statefulsets", namespace: NAMESPACE, name: DATABASE },
    ready,
    { timeoutMs: 20_000, ...withSignal(env.signal) },
  );
  const live = await waitForRecords({
    claimDir: env.claimDir,
    namespace: NAMESPACE,
    claims,
    min: () => 10,
    signal: env.signal,
  });
  env.timeline.line("setup", "ready", DATABASE, "succeeded", `writing: ${live.join(", ")}`);
}

/** The tables, the webhook's requests and the verdict line. */
function printSummary(outcome: DemoOutcome, out: (line: string) => void, color: boolean): void {
  const { backup, restore } = outcome;
  out("");
  out(`Backup session ${backup.operationId.slice(0, 8)}: ${backup.outcome} (${backup.decidedBy})`);
  for (const line of sessionTable(backup, color)) out(`  ${line}`);
  if (restore) {
    out("");
    out(`Restore: Blueprint inventory-db, action restore: ${restore.status}`);
    for (const line of actionTable(restore, `${NAMESPACE}/${DATABASE}`, color)) out(`  ${line}`);
  }
  if (outcome.data.backup) {
    out("");
    out(`Data: Blueprint inventory-db-data, action backup: ${outcome.data.backup.status}`);
    for (const line of actionTable(outcome.data.backup, `${NAMESPACE}/${DATABASE}`, color)) out(`  ${line}`);
  }
  if (outcome.data.restore) {
    out("");
    out(`Data: Blueprint inventory-db-data, action restore: ${outcome.data.restore.status}`);
    for (const line of actionTable(outcome.data.restore, `${NAMESPACE}/${DATABASE}`, color)) out(`  ${line}`);
  }
  if (outcome.webhook.length > 0) {
    out("");
    out(`Webhook receiver got ${outcome.webhook.length} request(s):`);
    for (const r of outcome.webhook) out(`  ${r.method} ${r.path} ${oneLine(r.body)}`);
  }
  const records = outcome.copied.reduce((n, c) => n + c.records, 0);
  out("");
  out(
    outcome.ok
      ? `VERDICT: PASS — backup of ${outcome.copied.length} claims consistent (${records} records), restore verified` +
          (outcome.data.skipped === undefined
            ? `; BackupData/RestoreData: ${outcome.data.snapshots.length} snapshots in the repository, restore verified`
            : `; data functions skipped (${outcome.data.skipped})`)
      : `VERDICT: FAIL — ${outcome.problems.join("; ")}`,
  );
}

/** Collapses whitespace; clips to `max` characters when given. */
function oneLine(text: string, max = Number.POSITIVE_INFINITY): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
