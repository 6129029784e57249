/**
 * The end-to-end scenario: a two-replica database on the embedded local cluster (process runtime),
 * a backup wrapped in KubeStash hooks (freeze → copy → thaw, a webhook on failure), then a restore
 * driven by a Kanister Blueprint (scale down → copy back → scale up), each verified from the host.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QuiesceError, sleep } from "@quiesce/core";
import "@quiesce/functions/builtins";
import { type ActionResult, BlueprintEvents, loadBlueprint, runBlueprintAction } from "@quiesce/functions";
import {
  createLifecycleEvents,
  inMemoryTemplates,
  loadHookTemplate,
  runWithHooks,
  type SessionResult,
} from "@quiesce/hooks";
import type { KubeObject } from "@quiesce/kube";
import { startLocalCluster } from "@quiesce/testing";
import {
  backupClaims,
  type ClaimBackup,
  type ClaimCheck,
  checkAgainstBackup,
  countRecords,
  JOURNAL,
} from "./data.js";
import {
  DATABASE,
  freezeTemplateYaml,
  hostPaths,
  NAMESPACE,
  notifyTemplateYaml,
  restoreBlueprintYaml,
  thawTemplateYaml,
  workloadYaml,
} from "./manifests.js";
import { actionTable, sessionTable, Timeline } from "./report.js";
import { type ReceivedRequest, startWebhookReceiver } from "./webhook.js";

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
  /** Each pod's journal state before the restore (deleted, corrupted), as the demo left it. */
  damage: string[];
}

const SUBJECT = { kind: "StatefulSet", namespace: NAMESPACE, name: DATABASE } as const;

/**
 * Runs the scenario and resolves with its outcome; never throws for a failed hook, step or phase
 * (those are in the outcome), only for a broken environment or when `signal` aborts.
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
  const paths = hostPaths();
  const work = await mkdtemp(join(tmpdir(), "quiesce-demo-"));
  const webhook = await startWebhookReceiver({
    onRequest: (r) => timeline.line("webhook", "received", r.path, r.method, clipBody(r.body)),
  });
  const lc = await startLocalCluster({
    runtime: "process",
    podStartDelayMs: 5,
    readyDelayMs: 5,
    terminationDelayMs: 5,
    ...(signal ? { signal } : {}),
  });
  const claimDir = (namespace: string, claim: string) => lc.runtime.pvcDir(namespace, claim);
  try {
    out(
      `quiesce demo — local cluster ${lc.url} (process runtime), webhook receiver 127.0.0.1:${webhook.port}`,
    );
    out("");
    timeline.line("setup", "apply", DATABASE, "started", `StatefulSet ${NAMESPACE}/${DATABASE}, 2 replicas`);
    await lc.apply(workloadYaml(paths));
    const ready = (o: KubeObject | undefined) =>
      (o?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 2;
    await lc.cluster.waitFor(
      { group: "apps", version: "v1", resource: "statefulsets", namespace: NAMESPACE, name: DATABASE },
      ready,
      { timeoutMs: 20_000, ...(signal ? { signal } : {}) },
    );
    const live = await waitForRecords(claimDir, () => 10, signal);
    timeline.line("setup", "ready", DATABASE, "succeeded", `writing: ${live.join(", ")}`);

    // ---- Backup: KubeStash pre/post hooks around the host's copy step.
    out("");
    const backupDir = join(work, "backup");
    const copied: ClaimBackup[] = [];
    const backupEvents = createLifecycleEvents();
    timeline.followSession(backupEvents, "backup");
    const hookParams = { node: paths.node, script: paths.script };
    const backup = await runWithHooks(
      {
        cluster: lc.cluster,
        subject: SUBJECT,
        sessionName: `${DATABASE}-backup`,
        templates: inMemoryTemplates([
          loadHookTemplate(freezeTemplateYaml),
          loadHookTemplate(thawTemplateYaml),
          loadHookTemplate(notifyTemplateYaml(webhook.port)),
        ]),
        hooks: {
          pre: [
            {
              name: "freeze",
              hookTemplate: { name: "inventory-freeze", namespace: NAMESPACE },
              params: hookParams,
              maxRetry: 1,
              timeout: "30s",
            },
          ],
          post: [
            {
              name: "thaw",
              hookTemplate: { name: "inventory-thaw", namespace: NAMESPACE },
              params: hookParams,
              executionPolicy: "Always",
              maxRetry: 2,
              timeout: "30s",
            },
            {
              name: "notify-on-failure",
              hookTemplate: { name: "backup-failed-webhook", namespace: NAMESPACE },
              executionPolicy: "OnFailure",
              timeout: "10s",
            },
          ],
        },
        events: backupEvents,
        backoff: { baseMs: 50, maxMs: 500 },
        ...(signal ? { signal } : {}),
      },
      async (ctx) => {
        copied.push(
          ...(await backupClaims({
            cluster: lc.cluster,
            claimDir,
            namespace: NAMESPACE,
            statefulSet: DATABASE,
            dest: backupDir,
            signal: ctx.signal,
          })),
        );
        for (const c of copied) {
          timeline.line(
            "backup",
            "verify",
            c.claim,
            c.consistent ? "passed" : "failed",
            `${c.pod}: ${c.records} records copied, frozen at ${c.frozenAtRecord}, unchanged during the copy`,
          );
        }
        if (options.failBackup) {
          throw new QuiesceError(
            "QUIESCE_DEMO_UPLOAD_FAILED",
            "uploading the backup to s3://inventory-backups failed: object store unreachable",
          );
        }
        return { claims: copied.length, records: copied.reduce((n, c) => n + c.records, 0) };
      },
    );

    const problems: string[] = [];
    if (backup.outcome !== "succeeded") {
      problems.push(`backup ${backup.outcome} (${backup.decidedBy}): ${backup.error?.message ?? "?"}`);
    }
    for (const c of copied) if (!c.consistent) problems.push(`backup of ${c.claim} is inconsistent`);

    // ---- Disaster, then restore with a Kanister Blueprint.
    const damage: string[] = [];
    let restore: ActionResult | undefined;
    let restored: ClaimCheck[] = [];
    if (backup.outcome === "succeeded") {
      out("");
      damage.push(...(await damageClaims(copied, claimDir)));
      for (const d of damage) timeline.line("disaster", "damage", DATABASE, "done", d);
      const restoreEvents = new BlueprintEvents();
      timeline.followBlueprint(restoreEvents, "restore");
      const { blueprint } = loadBlueprint(restoreBlueprintYaml);
      restore = await runBlueprintAction(blueprint, "restore", {
        cluster: lc.cluster,
        subject: SUBJECT,
        options: { ...hookParams, backupDir: options.failRestore ? join(work, "no-such-backup") : backupDir },
        events: restoreEvents,
        phaseTimeout: "60s",
        ...(signal ? { signal } : {}),
      });
      if (restore.status !== "succeeded") {
        problems.push(`restore ${restore.status}: ${restore.error?.message ?? "?"}`);
      } else {
        // The database is back: wait until each pod has written again, then compare with the backup.
        await waitForRecords(
          claimDir,
          (claim) => (copied.find((c) => c.claim === claim)?.records ?? 0) + 1,
          signal,
        );
        restored = await checkAgainstBackup({ claimDir, namespace: NAMESPACE, backupDir });
        for (const r of restored) {
          timeline.line(
            "restore",
            "verify",
            r.claim,
            r.matches ? "passed" : "failed",
            r.matches
              ? `${r.backupRecords} backed-up records intact, ${r.newRecords} written since restart`
              : "the journal does not start with the backup",
          );
          if (!r.matches) problems.push(`restored ${r.claim} does not match its backup`);
        }
        if (restored.length !== copied.length) problems.push("not every backed-up claim was checked");
      }
    } else {
      out("");
      timeline.line("restore", "-", DATABASE, "skipped", "no backup to restore from");
    }

    // ---- Summary.
    out("");
    out(`Backup session ${backup.operationId.slice(0, 8)}: ${backup.outcome} (${backup.decidedBy})`);
    for (const line of sessionTable(backup, color)) out(`  ${line}`);
    if (restore) {
      out("");
      out(`Restore: Blueprint inventory-db, action restore: ${restore.status}`);
      for (const line of actionTable(restore, `${NAMESPACE}/${DATABASE}`, color)) out(`  ${line}`);
    }
    if (webhook.received.length > 0) {
      out("");
      out(`Webhook receiver got ${webhook.received.length} request(s):`);
      for (const r of webhook.received) out(`  ${r.method} ${r.path} ${r.body.replace(/\s+/g, " ").trim()}`);
    }
    const ok = problems.length === 0;
    out("");
    out(
      ok
        ? `VERDICT: PASS — backup of ${copied.length} claims consistent (${copied.reduce((n, c) => n + c.records, 0)} records), restore verified`
        : `VERDICT: FAIL — ${problems.join("; ")}`,
    );
    return {
      ok,
      problems,
      backup,
      copied,
      ...(restore ? { restore } : {}),
      restored,
      webhook: webhook.received,
      damage,
    };
  } finally {
    await lc.stop();
    await webhook.close();
    await rm(work, { recursive: true, force: true });
  }
}

const clipBody = (body: string) => {
  const line = body.replace(/\s+/g, " ").trim();
  return line.length > 90 ? `${line.slice(0, 89)}…` : line;
};

/** Waits until every claim of the database has at least `min(claim)` records; returns "claim n records". */
async function waitForRecords(
  claimDir: (namespace: string, claim: string) => string,
  min: (claim: string) => number,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const claims = [0, 1].map((i) => `data-${DATABASE}-${i}`);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const counts = await Promise.all(
      claims.map(async (c) =>
        countRecords(await readFile(join(claimDir(NAMESPACE, c), JOURNAL)).catch(() => new Uint8Array())),
      ),
    );
    if (counts.every((n, i) => n >= min(claims[i] ?? "")))
      return claims.map((c, i) => `${c} ${counts[i]} records`);
    if (Date.now() > deadline) {
      throw new QuiesceError(
        "QUIESCE_TIMEOUT",
        `the database did not start writing: ${counts.join(", ")} records`,
      );
    }
    await sleep(10, signal ? { signal } : {});
  }
}

/** Deletes the first claim's journal and overwrites the others with garbage. */
async function damageClaims(
  copied: readonly ClaimBackup[],
  claimDir: (namespace: string, claim: string) => string,
): Promise<string[]> {
  const done: string[] = [];
  for (const [i, c] of copied.entries()) {
    const journal = join(claimDir(NAMESPACE, c.claim), JOURNAL);
    if (i === 0) {
      await rm(journal, { force: true });
      done.push(`${c.claim}: journal deleted`);
    } else {
      await writeFile(journal, "\u0000\u0000 bit rot \u0000\n");
      done.push(`${c.claim}: journal overwritten with garbage`);
    }
  }
  return done;
}
