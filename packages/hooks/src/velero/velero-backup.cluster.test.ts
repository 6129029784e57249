import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { CORPUS_TAG, readCorpus } from "@quiesce/testing/corpus";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { runWithHooks } from "../lifecycle.js";
import { loadVeleroHooks } from "./load.js";
import { resolveVeleroBackupHooks } from "./resolve-backup.js";

const read = (name: string) => readCorpus(`velero/${name}`);
const corpus = { tags: [CORPUS_TAG] };

async function waitForRunning(lc: LocalCluster, namespace: string, count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const pods = await lc.cluster.selectPods(namespace);
    if (pods.filter((p) => p.status?.phase === "Running").length >= count) return;
    if (Date.now() > deadline) throw new Error(`pods of ${namespace} did not reach Running`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function pod(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  containers: string[],
  annotations = {},
) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels, annotations },
    spec: { containers: containers.map((c) => ({ name: c, image: "busybox" })) },
  };
}

let lc: LocalCluster;
const ran: string[] = [];
beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: ["team-a", "some-namespace", "hooks"],
  });
  lc.runtime.onExec({ command: "/bin/uname -a" }, (ctx) => {
    ran.push(`uname ${ctx.namespace}/${ctx.pod}/${ctx.container}`);
    return { stdout: "Linux\n" };
  });
});
afterAll(() => lc.stop());

describe("Velero backup hooks on the local cluster", () => {
  it(
    "runs the corpus Backup's pre hook in my-container of the selected pods, honouring excludedNamespaces",
    corpus,
    async () => {
      const labels = { app: "velero", component: "server" };
      await lc.apply([
        pod("team-a", "velero-1", labels, ["first", "my-container"]),
        pod("team-a", "other", { app: "web" }, ["my-container"]),
        pod("some-namespace", "velero-2", labels, ["my-container"]),
      ]);
      await waitForRunning(lc, "team-a", 2);
      await waitForRunning(lc, "some-namespace", 1);
      const velero = await resolveVeleroBackupHooks({
        cluster: lc.cluster,
        hooks: loadVeleroHooks(read("api-types__backup.md__backup-spec-block.yaml")),
      });
      expect(velero.planned).toEqual([
        expect.objectContaining({
          phase: "pre",
          namespace: "team-a",
          pod: "velero-1",
          container: "my-container",
        }),
      ]);
      ran.length = 0;
      const result = await runWithHooks(
        { cluster: lc.cluster, subject: velero.subject, hooks: { pre: velero.pre, post: velero.post } },
        async () => {
          ran.push("backup");
        },
      );
      expect(result.outcome).toBe("succeeded");
      expect(ran).toEqual(["uname team-a/velero-1/my-container", "backup"]);
      expect(result.hooks[0]?.targets[0]).toMatchObject({
        name: "velero-1/my-container",
        stdout: "Linux\n",
        exitCode: 0,
      });
      expect(velero.subject).toEqual({ kind: "Backup", name: "a", namespace: "velero" });
    },
  );

  it(
    "freezes and unfreezes the nginx example's fsfreeze container from its pod-template annotations",
    corpus,
    async () => {
      const text = read("velero__examples__nginx-app__with-pv.yaml");
      const docs = parseAllDocuments(text).map((d) => d.toJS() as { kind?: string } | null);
      const objects = docs.filter((d): d is { kind: string } => d !== null && typeof d.kind === "string");
      try {
        await lc.apply(objects);
      } catch {
        // The LoadBalancer Service may not be accepted by the local cluster; the rest is what matters.
        await lc.apply(objects.filter((o) => o.kind !== "Service"));
      }
      await waitForRunning(lc, "nginx-example", 1);
      const order: string[] = [];
      lc.runtime.onExec({ container: "fsfreeze", command: /^\/sbin\/fsfreeze / }, (ctx) => {
        order.push(`${ctx.container}: ${ctx.argv.join(" ")}`);
        return {};
      });
      const velero = await resolveVeleroBackupHooks({
        cluster: lc.cluster,
        hooks: loadVeleroHooks(text),
        namespaces: ["nginx-example"],
      });
      const result = await runWithHooks(
        { cluster: lc.cluster, subject: velero.subject, hooks: { pre: velero.pre, post: velero.post } },
        async () => {
          order.push("backup");
        },
      );
      expect(result.outcome).toBe("succeeded");
      expect(order).toEqual([
        "fsfreeze: /sbin/fsfreeze --freeze /var/log/nginx",
        "backup",
        "fsfreeze: /sbin/fsfreeze --unfreeze /var/log/nginx",
      ]);
      expect(velero.planned.every((p) => p.source === "<from-annotation>")).toBe(true);
    },
  );

  it("an annotation hook on a pod replaces the Backup's spec hooks for that pod", corpus, async () => {
    lc.runtime.onExec({ command: "annotated-hook" }, (ctx) => {
      ran.push(`annotated ${ctx.pod}/${ctx.container}`);
      return {};
    });
    const labels = { app: "velero", component: "server" };
    await lc.apply([
      pod("team-a", "velero-annotated", labels, ["my-container"], {
        "pre.hook.backup.velero.io/command": "annotated-hook",
      }),
    ]);
    await waitForRunning(lc, "team-a", 3);
    const velero = await resolveVeleroBackupHooks({
      cluster: lc.cluster,
      hooks: loadVeleroHooks(read("api-types__backup.md__backup-spec-block.yaml")),
      namespaces: ["team-a"],
    });
    ran.length = 0;
    const result = await runWithHooks(
      { cluster: lc.cluster, subject: velero.subject, hooks: { pre: velero.pre } },
      async () => {},
    );
    expect(result.outcome).toBe("succeeded");
    // velero-annotated matches the spec rule too, but only its annotation hook runs there.
    expect(ran).toEqual(["uname team-a/velero-1/my-container", "annotated velero-annotated/my-container"]);
  });
});
