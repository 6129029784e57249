/** The repository's own KubeStash documents (packages/testing/fixtures/kubestash), unedited, on the local cluster. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { readFixture } from "@quiesce/testing/corpus";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadHookReferences } from "./hook-reference.js";
import { runWithHooks } from "./lifecycle.js";
import type { HookRecord } from "./result.js";
import { hookTemplateCrd, startReceiver } from "./test-support/cluster-fixtures.js";

const fast = { backoff: { baseMs: 1, maxMs: 5, jitter: 0 } };
const find = (hooks: HookRecord[], name: string) => hooks.find((h) => h.name === name) as HookRecord;
const fixture = (name: string) => readFixture(`kubestash/${name}`);
const labels = { "app.kubernetes.io/name": "inventory", "app.kubernetes.io/component": "database" };

/** The inventory database: a StatefulSet of two pods (db, exporter) in `namespace`. */
const inventory = (namespace: string) => `
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: inventory-db, namespace: ${namespace} }
spec:
  replicas: 2
  serviceName: inventory-db
  selector: { matchLabels: ${JSON.stringify(labels)} }
  template:
    metadata: { labels: ${JSON.stringify(labels)} }
    spec:
      containers: [{ name: db, image: example/inventory:9 }, { name: exporter, image: example/exporter:1 }]
`;

let lc: LocalCluster;
beforeAll(async () => {
  lc = await startLocalCluster({ podStartDelayMs: 0, readyDelayMs: 0, terminationDelayMs: 0 });
  await lc.apply(hookTemplateCrd);
  await lc.apply(`
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { shop.example.com/environment: production } }
---
apiVersion: v1
kind: Namespace
metadata: { name: shop-staging }
`);
  await lc.apply(inventory("shop"));
  await lc.apply(inventory("shop-staging"));
  // The templates are read from the cluster as HookTemplate objects, as KubeStash reads them.
  for (const file of [
    "fs-freeze-hooktemplate.yaml",
    "fs-unfreeze-hooktemplate.yaml",
    "reindex-hooktemplate.yaml",
    "chat-notify-hooktemplate.yaml",
  ]) {
    await lc.apply(fixture(file));
  }
  for (const namespace of ["shop", "shop-staging"]) {
    await lc.cluster.waitFor(
      { version: "v1", resource: "pods", namespace, name: "inventory-db-1" },
      (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
    );
  }
});
afterAll(() => lc?.stop());

/** Points the chat hook's httpPost at a local receiver (a host option for staging receivers). */
const toReceiver =
  (port: number) =>
  (action: Parameters<NonNullable<Parameters<typeof runWithHooks>[0]["transformAction"]>>[0]) =>
    action.httpPost
      ? { ...action, httpPost: { ...action.httpPost, host: "127.0.0.1", port, scheme: "HTTP" as const } }
      : action;

describe("the inventory BackupConfiguration on the local cluster", () => {
  const loaded = loadHookReferences(fixture("inventory-backupconfiguration.yaml"));
  const set = loaded.sets[0];
  if (!set || !loaded.target) throw new Error("the fixture lost its hooks");
  const options = {
    subject: loaded.target,
    hooks: { pre: set.pre, post: set.post },
    sessionName: "inventory-nightly-1700000000",
  };

  it("freezes every selected pod's db container before the step and unfreezes after; no chat on success", async () => {
    const execs: string[] = [];
    const undo = lc.runtime.onExec({ container: "db", command: /^\/sbin\/fsfreeze / }, (ctx) => {
      execs.push(`${ctx.pod}: ${ctx.argv.join(" ")}`);
      return { stdout: "ok\n" };
    });
    const receiver = await startReceiver();
    try {
      let frozenDuringStep = 0;
      const result = await runWithHooks(
        { ...options, cluster: lc.cluster, transformAction: toReceiver(receiver.port) },
        async () => {
          frozenDuringStep = execs.length;
        },
      );
      expect(result.outcome).toBe("succeeded");
      expect(frozenDuringStep).toBe(2);
      expect(execs.sort()).toEqual([
        "inventory-db-0: /sbin/fsfreeze --freeze /var/lib/inventory",
        "inventory-db-0: /sbin/fsfreeze --unfreeze /var/lib/inventory",
        "inventory-db-1: /sbin/fsfreeze --freeze /var/lib/inventory",
        "inventory-db-1: /sbin/fsfreeze --unfreeze /var/lib/inventory",
      ]);
      expect(find(result.hooks, "freeze-data").targets.map((t) => [t.name, t.exitCode, t.stdout])).toEqual([
        ["inventory-db-0/db", 0, "ok\n"],
        ["inventory-db-1/db", 0, "ok\n"],
      ]);
      expect(find(result.hooks, "tell-chat")).toMatchObject({
        status: "skipped",
        skippedBecause: "execution-policy",
      });
      expect(receiver.received).toEqual([]);
    } finally {
      undo();
      await receiver.close();
    }
  });

  it("a failing freeze is retried maxRetry times and skips the step; unfreeze still runs and chat hears of it", async () => {
    const undoFreeze = lc.runtime.onExec({ container: "db", command: /--freeze/ }, () => ({
      stderr: "fsfreeze: /var/lib/inventory: device busy\n",
      exitCode: 1,
    }));
    const thawed: string[] = [];
    const undoThaw = lc.runtime.onExec({ container: "db", command: /--unfreeze/ }, (ctx) => {
      thawed.push(ctx.pod);
      return {};
    });
    const receiver = await startReceiver();
    try {
      let stepRan = false;
      const result = await runWithHooks(
        { ...options, ...fast, cluster: lc.cluster, transformAction: toReceiver(receiver.port) },
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
      const freeze = find(result.hooks, "freeze-data");
      expect(freeze.attempts).toHaveLength(3);
      expect(freeze.attempts[2]).toMatchObject({
        status: "failed",
        exitCode: 1,
        stderr: "fsfreeze: /var/lib/inventory: device busy\n",
      });
      expect(find(result.hooks, "unfreeze-data").status).toBe("succeeded");
      expect(thawed.sort()).toEqual(["inventory-db-0", "inventory-db-1"]);
      expect(find(result.hooks, "tell-chat")).toMatchObject({
        status: "succeeded",
        attempts: [{ httpStatus: 200 }],
      });
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]).toMatchObject({
        method: "POST",
        url: "/hooks/backups",
        headers: { "content-type": "application/json", "x-source": "kubestash" },
      });
      const body = JSON.parse(receiver.received[0]?.body ?? "") as { text: string; ok: boolean };
      expect(body.ok).toBe(false);
      expect(body.text).toMatch(/^inventory-nightly-1700000000 of shop\/inventory-db FAILED: /);
    } finally {
      undoFreeze();
      undoThaw();
      await receiver.close();
    }
  });

  it("a failing step fails the session after the post hooks ran, and chat gets the step's error", async () => {
    const undo = lc.runtime.onExec({ container: "db", command: /^\/sbin\/fsfreeze / }, () => ({}));
    const receiver = await startReceiver();
    try {
      const result = await runWithHooks(
        { ...options, cluster: lc.cluster, transformAction: toReceiver(receiver.port) },
        async () => {
          throw new QuiesceError(ErrorCodes.HOOK_FAILED, "repository inventory-repo is locked");
        },
      );
      expect(result).toMatchObject({ outcome: "failed", decidedBy: "step-failed" });
      expect(JSON.parse(receiver.received[0]?.body ?? "")).toEqual({
        channel: "#backups",
        text: "inventory-nightly-1700000000 of shop/inventory-db FAILED: repository inventory-repo is locked",
        ok: false,
      });
    } finally {
      undo();
      await receiver.close();
    }
  });
});

describe("the inventory RestoreSessions on the local cluster", () => {
  it("reindexes on one pod after the restore step, with the command rendered from the session", async () => {
    const loaded = loadHookReferences(fixture("inventory-restoresession.yaml"));
    const order: string[] = [];
    const undo = lc.runtime.onExec({ container: "db", command: /inventory-admin reindex/ }, (ctx) => {
      order.push(`${ctx.pod}: ${ctx.argv[2]}`);
      return {};
    });
    try {
      const result = await runWithHooks(
        {
          cluster: lc.cluster,
          subject: loaded.target as never,
          hooks: { post: loaded.sets[0]?.post ?? [] },
          sessionName: "inventory-restore",
        },
        async () => {
          order.push("restore");
        },
      );
      expect(result.outcome).toBe("succeeded");
      // ExecuteOnOne picks deterministically: Ready, then Running, then by name.
      expect(order).toEqual([
        "restore",
        'inventory-db-0: inventory-admin reindex --database "$INVENTORY_DB" --reason "restore inventory-restore of inventory-db"',
      ]);
    } finally {
      undo();
    }
  });

  it("refuses the Selector-policy template for a namespace without the label, before the step", async () => {
    const loaded = loadHookReferences(fixture("inventory-restoresession.yaml"));
    let stepRan = false;
    const result = await runWithHooks(
      {
        cluster: lc.cluster,
        subject: { kind: "StatefulSet", name: "inventory-db", namespace: "shop-staging" },
        hooks: { post: loaded.sets[0]?.post ?? [] },
      },
      async () => {
        stepRan = true;
      },
    );
    expect(stepRan).toBe(false);
    expect(result.outcome).toBe("failed");
    expect(result.error?.code).toBe("QUIESCE_POLICY_REFUSED");
  });

  it("runs a pre-named hook declared under postRestore after the step, as declared, with a warning", async () => {
    const loaded = loadHookReferences(fixture("misplaced-hook-restoresession.yaml"));
    expect(loaded.warnings).toHaveLength(1);
    const order: string[] = [];
    const undo = lc.runtime.onExec({ container: "db", command: /reindex/ }, (ctx) => {
      order.push(`hook:${ctx.pod}`);
      return {};
    });
    try {
      const result = await runWithHooks(
        { cluster: lc.cluster, subject: loaded.target as never, hooks: { post: loaded.sets[0]?.post ?? [] } },
        async () => {
          order.push("restore");
        },
      );
      expect(result.outcome).toBe("succeeded");
      expect(find(result.hooks, "pre-restore-check").phase).toBe("post");
      expect(order).toEqual(["restore", "hook:inventory-db-0"]);
    } finally {
      undo();
    }
  });
});
