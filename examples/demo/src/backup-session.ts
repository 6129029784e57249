/** The backup: KubeStash hooks (freeze, thaw, a webhook on failure) around the host's copy step. */
import { join } from "node:path";
import { QuiesceError } from "@quiesce/core";
import {
  createLifecycleEvents,
  inMemoryTemplates,
  loadHookTemplate,
  runWithHooks,
  type SessionResult,
} from "@quiesce/hooks";
import { backupClaims, type ClaimBackup } from "./data.js";
import { type DemoEnvironment, SUBJECT, withSignal } from "./environment.js";
import {
  DATABASE,
  freezeTemplateYaml,
  NAMESPACE,
  notifyTemplateYaml,
  thawTemplateYaml,
} from "./manifests.js";

/** What the backup produced. */
export interface BackupOutcome {
  session: SessionResult;
  /** Per claim, when the step got that far. */
  copied: ClaimBackup[];
  /** The backup folder (one directory per claim). */
  backupDir: string;
}

/**
 * Runs the backup session: pre `freeze` on every database pod, the copy step (which verifies the
 * copy), post `thaw` (Always) and post `notify-on-failure` (OnFailure, httpPost to the webhook).
 * With `failBackup` the step fails after copying, as if the upload had failed.
 */
export async function runBackup(
  env: DemoEnvironment,
  options: { webhookPort: number; failBackup: boolean },
): Promise<BackupOutcome> {
  const { cluster, claimDir, timeline, paths, signal } = env;
  const backupDir = join(env.workDir, "backup");
  const copied: ClaimBackup[] = [];
  const events = createLifecycleEvents();
  timeline.followSession(events, "backup");
  const session = await runWithHooks(
    {
      cluster,
      subject: SUBJECT,
      sessionName: `${DATABASE}-backup`,
      templates: inMemoryTemplates([
        loadHookTemplate(freezeTemplateYaml(paths)),
        loadHookTemplate(thawTemplateYaml(paths)),
        loadHookTemplate(notifyTemplateYaml(options.webhookPort)),
      ]),
      hooks: {
        pre: [
          {
            name: "freeze",
            hookTemplate: { name: "inventory-freeze", namespace: NAMESPACE },
            maxRetry: 1,
            timeout: "30s",
          },
        ],
        post: [
          {
            name: "thaw",
            hookTemplate: { name: "inventory-thaw", namespace: NAMESPACE },
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
      events,
      backoff: { baseMs: 50, maxMs: 500 },
      ...withSignal(signal),
    },
    async (ctx) => {
      copied.push(
        ...(await backupClaims({
          cluster,
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
  return { session, copied, backupDir };
}
