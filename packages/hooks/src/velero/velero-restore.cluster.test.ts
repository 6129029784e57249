import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { CORPUS_TAG, readCorpus } from "@quiesce/testing/corpus";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLifecycleEvents } from "../events.js";
import { runWithHooks } from "../lifecycle.js";
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
        ["db-0", "sidecar", undefined, "30s"],
      ]);
      const events = createLifecycleEvents();
      // The containers start only once the session is already waiting for them.
      events.once("session:started", () => setTimeout(() => gates.get("db-0")?.(), 50));
      const result = await runWithHooks(
        { cluster: lc.cluster, subject: velero.subject, hooks: { post: velero.post }, events },
        async () => {},
      );
      expect(result).toMatchObject({
        outcome: "succeeded",
        hookStatus: { hooksAttempted: 3, hooksFailed: 0 },
      });
      expect(ran).toEqual([
        "postgres: while ! pg_isready; do sleep 1; done",
        "postgres: psql < /backup/backup.sql",
        "sidecar: date > /start",
      ]);
    },
  );

  it("lists restore init hooks for addVeleroInitContainers while running nothing for them", async () => {
    const loaded = loadVeleroHooks({
      apiVersion: "velero.io/v1",
      kind: "Restore",
      spec: {
        hooks: {
          resources: [
            {
              name: "init",
              includedNamespaces: ["app"],
              postHooks: [{ init: { initContainers: [{ name: "i", image: "alpine", command: ["date"] }] } }],
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
        message: expect.stringContaining("addVeleroInitContainers"),
      }),
    ]);
  });
});
