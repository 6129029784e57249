import "@quiesce/functions/builtins";
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { CORPUS_TAG, readCorpus, readFixture } from "@quiesce/testing/corpus";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InMemoryHookJournal } from "./journal.js";
import { runWithHooks } from "./lifecycle.js";
import type { HookRecord } from "./result.js";

const corpus = { tags: [CORPUS_TAG] };
const find = (hooks: HookRecord[], name: string, phase?: string) =>
  hooks.find((h) => h.name === name && (phase === undefined || h.phase === phase)) as HookRecord;

// A small Blueprint whose preHook output artifact must reach onSuccess/onFailure as ArtifactsIn.
const walBlueprint = `
apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata: { name: wal-hooks }
actions:
  freeze:
    outputArtifacts:
      walpos:
        keyValue:
          lsn: "{{ .Phases.checkpoint.Output.lsn }}"
    phases:
      - func: KubeExec
        name: checkpoint
        args:
          namespace: "{{ .StatefulSet.Namespace }}"
          pod: "{{ index .StatefulSet.Pods 0 }}"
          container: postgres
          command: [checkpoint]
  thaw:
    inputArtifactNames: [walpos]
    phases:
      - func: KubeExec
        name: resume
        args:
          namespace: "{{ .StatefulSet.Namespace }}"
          pod: "{{ index .StatefulSet.Pods 0 }}"
          container: postgres
          command: [resume, "{{ .ArtifactsIn.walpos.KeyValue.lsn }}"]
`;

let lc: LocalCluster;
beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: ["db"],
  });
  await lc.apply(`
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: pg, namespace: db }
spec:
  replicas: 1
  serviceName: pg-headless
  selector: { matchLabels: { app: pg } }
  template:
    metadata: { labels: { app: pg } }
    spec:
      containers: [{ name: postgres, image: bitnami/postgresql-repmgr:16 }]
---
apiVersion: v1
kind: Secret
metadata: { name: pg, namespace: db }
stringData: { password: s3cret-pass, repmgr-password: repl-pass }
`);
  await lc.cluster.waitFor(
    { version: "v1", resource: "pods", namespace: "db", name: "pg-0" },
    (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
  );
});
afterAll(() => lc?.stop());

const subject = { kind: "StatefulSet", namespace: "db", name: "pg" };

describe("K10 hooks from Blueprints on the local cluster", () => {
  it("runs the queue-hooks Blueprint: drain as preHook, resume as onSuccess, around the step", async () => {
    await lc.apply(`
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: broker, namespace: db }
spec:
  replicas: 1
  serviceName: broker
  selector: { matchLabels: { app: broker } }
  template:
    metadata: { labels: { app: broker } }
    spec:
      containers: [{ name: broker, image: example/broker:3 }]
---
apiVersion: v1
kind: Secret
metadata: { name: broker-auth, namespace: db }
stringData: { user: ops, secret: br0ker-pass }
`);
    await lc.cluster.waitFor(
      { version: "v1", resource: "pods", namespace: "db", name: "broker-0" },
      (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
    );
    const order: string[] = [];
    const undoTask = lc.runtime.onRun({ image: /queue\/cli/ }, (ctx) => {
      order.push(`pause: ${ctx.argv.at(-1)?.includes("amqp://ops:br0ker-pass@broker.db.svc:5672")}`);
      return { stdout: "paused\n" };
    });
    const undoExec = lc.runtime.onExec({ container: "broker" }, (ctx) => {
      order.push(ctx.argv.join(" "));
      return {};
    });
    try {
      const blueprint = readFixture("kanister/queue-hooks-blueprint.yaml");
      const result = await runWithHooks(
        {
          cluster: lc.cluster,
          subject: { kind: "StatefulSet", namespace: "db", name: "broker" },
          hooks: {
            preHook: { name: "drain", blueprint, actionName: "drain", timeout: "60s" },
            onSuccess: { name: "resume", blueprint, actionName: "resume" },
          },
        },
        async () => {
          order.push("step");
        },
      );
      expect(result.outcome).toBe("succeeded");
      expect(order).toEqual(["pause: true", "step", "queuectl publishers resume --all"]);
      expect(find(result.hooks, "drain").targets.map((t) => [t.name, t.status])).toEqual([
        ["brokerReady (WaitV2)", "succeeded"],
        ["pausePublishers (KubeTask)", "succeeded"],
      ]);
      expect(find(result.hooks, "resume")).toMatchObject({
        kind: "k10",
        phase: "onSuccess",
        status: "succeeded",
      });
      expect(JSON.stringify(result)).not.toContain("br0ker-pass");
    } finally {
      undoTask();
      undoExec();
    }
  });

  it("runs the corpus postgresql-ha hook Blueprint as preHook and onSuccess", corpus, async () => {
    const tasks: { env: string; script: string }[] = [];
    const undo = lc.runtime.onRun({ image: /postgresql-repmgr/ }, (ctx) => {
      tasks.push({ env: ctx.image, script: ctx.argv[ctx.argv.length - 1] ?? "" });
      return { stdout: "UPDATE 1\n" };
    });
    try {
      const blueprint = readCorpus("kanister/postgresql-ha-postgres-ha-hook.yaml");
      const hook = { blueprint, actionName: "postrestorehook", timeout: "60s" };
      const order: string[] = [];
      const result = await runWithHooks(
        {
          cluster: lc.cluster,
          subject,
          hooks: { preHook: { ...hook, name: "pg-pre" }, onSuccess: { ...hook, name: "pg-post" } },
        },
        async () => {
          order.push(`step after ${tasks.length} task(s)`);
        },
      );
      expect(result.outcome).toBe("succeeded");
      expect(order).toEqual(["step after 1 task(s)"]);
      expect(tasks).toHaveLength(2);
      const script = tasks[0]?.script ?? "";
      expect(script).toContain("export PGHOST='pg.db.svc.cluster.local'");
      expect(script).toContain("export PGPASSWORD='s3cret-pass'");
      const pre = find(result.hooks, "pg-pre");
      expect(pre).toMatchObject({ kind: "k10", phase: "preHook", status: "succeeded" });
      expect(pre.targets.map((t) => [t.name, t.status])).toEqual([
        ["WaitForPodReady (Wait)", "succeeded"],
        ["PgUpdate (KubeTask)", "succeeded"],
      ]);
      // Secret values read by the Blueprint never reach the result.
      expect(JSON.stringify(result)).not.toContain("s3cret-pass");
    } finally {
      undo();
    }
  });

  it("preHook output artifacts become onSuccess/onFailure input artifacts, and succeeded hooks are journalled", async () => {
    const resumed: string[] = [];
    const undoCheckpoint = lc.runtime.onExec({ command: "checkpoint" }, () => ({
      stdout: '###Phase-output###: {"key":"lsn","value":"0/16B3748"}\n',
    }));
    const undoResume = lc.runtime.onExec({ command: /^resume / }, (ctx) => {
      resumed.push(ctx.argv[1] ?? "");
      return {};
    });
    try {
      const journal = new InMemoryHookJournal();
      const hooks = {
        preHook: { blueprint: walBlueprint, actionName: "freeze" },
        onSuccess: { blueprint: walBlueprint, actionName: "thaw" },
        onFailure: { blueprint: walBlueprint, actionName: "thaw", name: "thaw-after-failure" },
      };
      const failed = await runWithHooks(
        { cluster: lc.cluster, subject, journal, operationId: "backup-7", finalAttempt: false, hooks },
        async () => {
          throw new Error("snapshot failed");
        },
      );
      expect(find(failed.hooks, "freeze").artifacts).toEqual({ walpos: { KeyValue: { lsn: "0/16B3748" } } });
      expect(find(failed.hooks, "thaw-after-failure")).toMatchObject({
        status: "skipped",
        skippedBecause: "retries-remaining",
      });
      expect(resumed).toEqual([]);

      // The host retries the same operation: the freeze is not run again, its artifact still flows.
      undoCheckpoint();
      const retried = await runWithHooks(
        { cluster: lc.cluster, subject, journal, operationId: "backup-7", hooks },
        async (ctx) => ({
          lsnSeenByStep: ctx.artifacts.db?.walpos?.KeyValue?.lsn,
        }),
      );
      expect(retried.outcome).toBe("succeeded");
      expect(find(retried.hooks, "freeze")).toMatchObject({
        status: "skipped",
        skippedBecause: "already-succeeded",
      });
      expect(retried.step.outputs).toEqual({ lsnSeenByStep: "0/16B3748" });
      expect(resumed).toEqual(["0/16B3748"]);

      // The last attempt of another operation fails: onFailure runs once, with the preHook's artifact.
      const undoAgain = lc.runtime.onExec({ command: "checkpoint" }, () => ({
        stdout: '###Phase-output###: {"key":"lsn","value":"0/16B4000"}\n',
      }));
      try {
        const final = await runWithHooks(
          { cluster: lc.cluster, subject, journal, operationId: "backup-8", hooks },
          async () => {
            throw new Error("snapshot failed again");
          },
        );
        expect(final.decidedBy).toBe("step-failed");
        expect(find(final.hooks, "thaw")).toMatchObject({ status: "skipped", skippedBecause: "step-failed" });
        expect(find(final.hooks, "thaw-after-failure")).toMatchObject({
          status: "succeeded",
          attempts: [{ attempt: 1 }],
        });
        expect(resumed).toEqual(["0/16B3748", "0/16B4000"]);
      } finally {
        undoAgain();
      }
    } finally {
      undoCheckpoint();
      undoResume();
    }
  });
});
