import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { CORPUS_TAG, readCorpus } from "@quiesce/testing/corpus";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLifecycleEvents } from "../events.js";
import { runWithHooks } from "../lifecycle.js";
import { VeleroErrorCodes } from "./exec-hook.js";
import { loadVeleroHooks } from "./load.js";
import { resolveVeleroRestoreHooks } from "./resolve-restore.js";

const restoreYaml = () => readCorpus("velero/restore-hooks.md__multiple-exec-restore-hooks-block.yaml");
const corpus = { tags: [CORPUS_TAG] };

// A restored pod whose containers start only once its init container (held by the test) ends.
function restoredPod(name: string, gate: string) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "app", labels: { app: "db" } },
    spec: {
      initContainers: [{ name: "gate", image: "busybox", command: ["gate", gate] }],
      containers: [
        { name: "postgres", image: "postgres:16" },
        { name: "sidecar", image: "busybox" },
      ],
    },
  };
}

let lc: LocalCluster;
const gates = new Map<string, () => void>();
beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: ["app"],
  });
  lc.runtime.onRun(
    { container: "gate" },
    (ctx) =>
      new Promise((done) => {
        gates.set(ctx.argv[1] as string, () => done({}));
        ctx.signal.addEventListener("abort", () => done({ exitCode: 137 }));
      }),
  );
});
afterAll(() => lc.stop());

describe("Velero restore hooks on the local cluster", () => {
  it(
    "waits for the late container, then runs the corpus Restore's three post hooks in order",
    corpus,
    async () => {
      const ran: string[] = [];
      lc.runtime.onExec({ pod: "db-0", command: (argv) => argv[0] === "/bin/bash" }, (ctx) => {
        ran.push(`${ctx.container}: ${ctx.argv[2]}`);
        return {};
      });
      await lc.apply(restoredPod("db-0", "db-0"));
      const loaded = loadVeleroHooks(restoreYaml());
      const velero = await resolveVeleroRestoreHooks({ cluster: lc.cluster, hooks: loaded });
      expect(velero.planned.map((p) => [p.pod, p.container, p.waitTimeout, p.execTimeout])).toEqual([
        ["db-0", "postgres", "5m", "1m"],
        ["db-0", "postgres", "6m", "1m"],
        ["db-0", "sidecar", "10m", "30s"],
      ]);
      const events = createLifecycleEvents();
      // The containers start only after the first hook is already waiting for them.
      events.once("hook:started", () => setTimeout(() => gates.get("db-0")?.(), 20));
      const result = await runWithHooks(
        { cluster: lc.cluster, subject: velero.subject, hooks: { post: velero.post }, events },
        async () => {},
      );
      expect(result.outcome).toBe("succeeded");
      expect(ran).toEqual([
        "postgres: while ! pg_isready; do sleep 1; done",
        "postgres: psql < /backup/backup.sql",
        "sidecar: date > /start",
      ]);
    },
  );

  it("fails a hook whose container does not run within waitTimeout, and does not run the pod's later hooks", async () => {
    await lc.apply(restoredPod("db-1", "never"));
    const loaded = loadVeleroHooks({
      apiVersion: "velero.io/v1",
      kind: "Restore",
      metadata: { name: "late", namespace: "velero" },
      spec: {
        hooks: {
          resources: [
            {
              name: "slow",
              includedNamespaces: ["app"],
              labelSelector: { matchLabels: { app: "db" } },
              postHooks: [
                { exec: { container: "postgres", command: ["pg_isready"], waitTimeout: "150ms" } },
                {
                  exec: {
                    container: "sidecar",
                    command: ["date"],
                    waitTimeout: "150ms",
                    onError: "Continue",
                  },
                },
              ],
            },
          ],
        },
      },
    });
    const velero = await resolveVeleroRestoreHooks({ cluster: lc.cluster, hooks: loaded });
    const mine = velero.post.filter((h) => h.name?.startsWith("app/db-1 "));
    const result = await runWithHooks(
      { cluster: lc.cluster, subject: velero.subject, hooks: { post: mine } },
      async () => {},
    );
    expect(result.outcome).toBe("failed");
    expect(result.decidedBy).toBe("post-hook-failed");
    expect(result.hooks.map((h) => [h.status, h.error?.code])).toEqual([
      ["failed", VeleroErrorCodes.WAIT_TIMEOUT],
      ["failed", VeleroErrorCodes.EARLIER_HOOK_FAILED],
    ]);
    expect(result.hooks[0]?.error?.message).toBe(
      "container postgres of app/db-1 was not running within waitTimeout 150ms",
    );
  });

  it("reports restore init hooks as unsupported while running nothing for them", async () => {
    const loaded = loadVeleroHooks({
      apiVersion: "velero.io/v1",
      kind: "Restore",
      spec: {
        hooks: {
          resources: [
            {
              name: "init",
              includedNamespaces: ["app"],
              postHooks: [{ init: { initContainers: [{ name: "i", image: "alpine" }] } }],
            },
          ],
        },
      },
    });
    const velero = await resolveVeleroRestoreHooks({ cluster: lc.cluster, hooks: loaded });
    expect(velero.post).toEqual([]);
    expect(velero.unsupported).toEqual([
      expect.objectContaining({
        rule: "init",
        index: 0,
        message: expect.stringContaining("quiesce does not restore pods"),
      }),
    ]);
  });
});
