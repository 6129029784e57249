/**
 * The KubeStash documents of the compatibility corpus, unedited, on the local cluster.
 *
 * @module-tag corpus
 */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { readCorpus } from "@quiesce/testing/corpus";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadHookReferences } from "./hook-reference.js";
import { loadHookTemplate } from "./hook-template.js";
import { runWithHooks } from "./lifecycle.js";
import type { HookRecord } from "./result.js";
import { inMemoryTemplates } from "./template-source.js";
import { hookTemplateCrd, mysqlPods, startReceiver } from "./test-support/cluster-fixtures.js";

const fast = { backoff: { baseMs: 1, maxMs: 5, jitter: 0 } };
const find = (hooks: HookRecord[], name: string) => hooks.find((h) => h.name === name) as HookRecord;

let lc: LocalCluster;
beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: ["demo", "prod", "staging"],
  });
  await lc.apply(hookTemplateCrd);
  await lc.apply(mysqlPods("demo"));
  for (const file of [
    "kubestash/backup-and-restore-hooks__hooktemplate.yaml",
    "kubestash/backup-and-restore-hooks__hooktemplate-post.yaml",
  ]) {
    await lc.apply(readCorpus(file));
  }
  await lc.cluster.waitFor(
    { version: "v1", resource: "pods", namespace: "demo", name: "sample-mysql-1" },
    (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
  );
});
afterAll(() => lc?.stop());

describe("KubeStash corpus documents on the local cluster", () => {
  it("runs the BackupConfiguration's pre and post hooks (templates read as CRs) on every selected pod", async () => {
    const execs: string[] = [];
    const undo = lc.runtime.onExec({ container: "mysql", command: /super_read_only/ }, (ctx) => {
      execs.push(`${ctx.pod}: ${ctx.argv[2]}`);
      return { stdout: "ok\n" };
    });
    try {
      const { sets, target } = loadHookReferences(
        readCorpus("kubestash/backup-and-restore-hooks__post_backup_hook_demo.yaml"),
      );
      const set = sets[0];
      if (!set || !target) throw new Error("corpus document lost its hooks");
      let stepSawFrozen = 0;
      const result = await runWithHooks(
        {
          cluster: lc.cluster,
          subject: target,
          hooks: { pre: set.pre, post: set.post },
          sessionName: "sample-backup-frequent-backup-1",
        },
        async () => {
          stepSawFrozen = execs.length;
        },
      );
      expect(result.outcome).toBe("succeeded");
      expect(stepSawFrozen).toBe(2);
      // Each pod ran the freeze and the thaw script exactly as the corpus's HookTemplates write them.
      const script = (file: string) => loadHookTemplate(readCorpus(file)).spec.action?.exec?.command?.[2];
      const freeze = script("kubestash/backup-and-restore-hooks__hooktemplate.yaml");
      const thaw = script("kubestash/backup-and-restore-hooks__hooktemplate-post.yaml");
      expect(freeze).toMatch(/super_read_only = ON/);
      expect(thaw).toMatch(/super_read_only = OFF/);
      expect(execs.sort()).toEqual(
        ["sample-mysql-0", "sample-mysql-1"].flatMap((pod) => [`${pod}: ${thaw}`, `${pod}: ${freeze}`]),
      );
      const pre = find(result.hooks, "pre-hook");
      expect(pre.targets.map((t) => [t.name, t.exitCode, t.stdout])).toEqual([
        ["sample-mysql-0/mysql", 0, "ok\n"],
        ["sample-mysql-1/mysql", 0, "ok\n"],
      ]);
    } finally {
      undo();
    }
  });

  it("a failing pre hook is retried maxRetry times, skips the step, and the post hook still thaws", async () => {
    const undoOn = lc.runtime.onExec({ container: "mysql", command: /read_only = ON/ }, () => ({
      stderr: "ERROR 2002: can't connect\n",
      exitCode: 1,
    }));
    const thawed: string[] = [];
    const undoOff = lc.runtime.onExec({ container: "mysql", command: /read_only = OFF/ }, (ctx) => {
      thawed.push(ctx.pod);
      return {};
    });
    try {
      const { sets, target } = loadHookReferences(
        readCorpus("kubestash/backup-and-restore-hooks__post_backup_hook_demo.yaml"),
      );
      let stepRan = false;
      const result = await runWithHooks(
        {
          cluster: lc.cluster,
          subject: target as never,
          ...fast,
          hooks: { pre: sets[0]?.pre ?? [], post: sets[0]?.post ?? [] },
        },
        async () => {
          stepRan = true;
        },
      );
      expect(stepRan).toBe(false);
      expect(result).toMatchObject({
        outcome: "failed",
        decidedBy: "pre-hook-failed",
        step: { status: "skipped" },
      });
      const pre = find(result.hooks, "pre-hook");
      expect(pre.attempts).toHaveLength(4);
      expect(pre.attempts[3]).toMatchObject({
        status: "failed",
        exitCode: 1,
        stderr: "ERROR 2002: can't connect\n",
      });
      expect(find(result.hooks, "post-hook").status).toBe("succeeded");
      expect(thawed.sort()).toEqual(["sample-mysql-0", "sample-mysql-1"]);
    } finally {
      undoOn();
      undoOff();
    }
  });

  it("loads the RestoreSession with its quirk and runs its hook after the restore step", async () => {
    const loaded = loadHookReferences(
      readCorpus("kubestash/backup-and-restore-hooks__pre_restore_hook_demo.yaml"),
    );
    expect(loaded.warnings).toHaveLength(1);
    // drop-db-hook is not in the corpus; the migration template stands in for it under that name.
    const migration = loadHookTemplate(
      readCorpus("kubestash/backup-and-restore-hooks__hooktemplate-post-rs.yaml"),
    );
    const templates = inMemoryTemplates([
      { ...migration, metadata: { ...migration.metadata, name: "drop-db-hook" } },
    ]);
    const order: string[] = [];
    const undo = lc.runtime.onExec({ container: "mysql", command: /RENAME TABLE/ }, (ctx) => {
      order.push(`hook:${ctx.pod}`);
      return {};
    });
    try {
      const result = await runWithHooks(
        {
          cluster: lc.cluster,
          subject: loaded.target as never,
          templates,
          hooks: { pre: loaded.sets[0]?.pre ?? [], post: loaded.sets[0]?.post ?? [] },
        },
        async () => {
          order.push("restore");
        },
      );
      expect(result.outcome).toBe("succeeded");
      expect(order).toEqual(["restore", "hook:sample-mysql-0", "hook:sample-mysql-1"]);
    } finally {
      undo();
    }
  });

  it("posts the Slack notifications to a local receiver with the rendered bodies", async () => {
    const receiver = await startReceiver();
    try {
      const failedDoc = loadHookReferences(
        readCorpus("kubestash/slack-notification__failed_backup_notification.yaml"),
      );
      // The corpus posts to https://hooks.slack.com:443; tests redirect the action to the local
      // receiver with transformAction (a host option for staging receivers and proxies). The body
      // template, headers and path are the corpus's own.
      const transformAction = (
        action: Parameters<NonNullable<Parameters<typeof runWithHooks>[0]["transformAction"]>>[0],
      ) =>
        action.httpPost
          ? {
              ...action,
              httpPost: {
                ...action.httpPost,
                host: "127.0.0.1",
                port: receiver.port,
                scheme: "HTTP" as const,
              },
            }
          : action;
      const base = {
        cluster: lc.cluster,
        subject: failedDoc.target as never,
        transformAction,
        sessionName: "sample-backup-frequent-backup-1708413480",
      };

      const failedTemplate = inMemoryTemplates([
        readCorpus("kubestash/slack-notification__hooktemplate_failed.yaml"),
      ]);
      const failed = await runWithHooks(
        { ...base, templates: failedTemplate, hooks: { post: failedDoc.sets[0]?.post ?? [] } },
        async () => {
          throw new QuiesceError(ErrorCodes.HOOK_FAILED, "path /wrong/data does not exist");
        },
      );
      expect(failed.decidedBy).toBe("step-failed");
      expect(find(failed.hooks, "slack-notification")).toMatchObject({
        status: "succeeded",
        attempts: [{ httpStatus: 200 }],
      });
      expect(receiver.received).toHaveLength(1);
      const [first] = receiver.received;
      expect(first).toMatchObject({
        method: "POST",
        url: "/services/XX/XX/XX",
        headers: { "content-type": "application/json" },
      });
      expect(JSON.parse(first?.body ?? "")).toEqual({
        blocks: [
          {
            type: "section",
            text: {
              type: "mrkdwn",
              text: "Backup failed for demo/ks-demo Status: path /wrong/data does not exist.",
            },
          },
        ],
      });

      // The all-notifications template, on a successful backup (the OnFailure policy would skip it).
      const allTemplate = inMemoryTemplates([readCorpus("kubestash/slack-notification__hooktemplate.yaml")]);
      const ref = { ...(failedDoc.sets[0]?.post[0] as object), executionPolicy: "Always" } as never;
      const ok = await runWithHooks(
        { ...base, templates: allTemplate, hooks: { post: [ref] } },
        async () => {},
      );
      expect(ok.outcome).toBe("succeeded");
      expect(JSON.parse(receiver.received[1]?.body ?? "").blocks[0].text.text).toBe(
        "Backup completed for demo/ks-demo Status: Succeeded.",
      );
      const skipped = await runWithHooks(
        { ...base, templates: allTemplate, hooks: { post: failedDoc.sets[0]?.post ?? [] } },
        async () => {},
      );
      expect(find(skipped.hooks, "slack-notification")).toMatchObject({
        status: "skipped",
        skippedBecause: "execution-policy",
      });
      expect(receiver.received).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  });
});
