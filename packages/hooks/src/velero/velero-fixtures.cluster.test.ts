/** The repository's own Velero hook declarations (packages/testing/fixtures/velero), unedited, on the local cluster. */
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { readFixture } from "@quiesce/testing/corpus";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { createLifecycleEvents } from "../events.js";
import { runWithHooks } from "../lifecycle.js";
import { loadVeleroHooks } from "./load.js";
import { resolveVeleroBackupHooks } from "./resolve-backup.js";
import { resolveVeleroRestoreHooks } from "./resolve-restore.js";

const fixture = (name: string) => readFixture(`velero/${name}`);
const inventory = { "app.kubernetes.io/name": "inventory", "app.kubernetes.io/component": "database" };

/** A pod whose containers start only once its init container (held by the test) ends. */
function gatedPod(namespace: string, name: string, labels: Record<string, string>, containers: string[]) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels },
    spec: {
      initContainers: [{ name: "gate", image: "busybox", command: ["gate", `${namespace}/${name}`] }],
      containers: containers.map((c) => ({ name: c, image: `example/${c}:1` })),
    },
  };
}

let lc: LocalCluster;
const gates = new Map<string, () => void>();
const open = (key: string) => gates.get(key)?.();
beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: ["shop", "team-a", "team-scratch", "team-big"],
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

async function running(namespace: string, count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const pods = await lc.cluster.selectPods(namespace);
    if (pods.filter((p) => p.status?.phase === "Running").length >= count) return;
    if (Date.now() > deadline) throw new Error(`pods of ${namespace} did not reach Running`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("the nightly-shop Backup's hooks", () => {
  it("lock and unlock the inventory pods around the backup, and a failing best-effort cache sync goes on", async () => {
    const pod = (namespace: string, name: string, labels: Record<string, string>, containers: string[]) => ({
      ...gatedPod(namespace, name, labels, containers),
      spec: { containers: containers.map((c) => ({ name: c, image: `example/${c}:1` })) },
    });
    await lc.apply([
      pod("shop", "inventory-db-0", inventory, ["db", "exporter"]),
      pod("shop", "web-0", { app: "web" }, ["web"]),
      pod("team-scratch", "inventory-db-0", inventory, ["db"]),
      pod("team-a", "cache-0", { tier: "cache" }, ["cache", "sidecar"]),
      // team-big matches the Backup's "team-*" but not the sync rule's "team-?".
      pod("team-big", "cache-0", { tier: "cache" }, ["cache"]),
    ]);
    for (const [ns, n] of [
      ["shop", 2],
      ["team-scratch", 1],
      ["team-a", 1],
      ["team-big", 1],
    ] as const)
      await running(ns, n);
    const ran: string[] = [];
    lc.runtime.onExec({ command: /inventory-admin/ }, (ctx) => {
      ran.push(`${ctx.namespace}/${ctx.pod}/${ctx.container}: ${ctx.argv.slice(1).join(" ")}`);
      return {};
    });
    lc.runtime.onExec({ command: /cachectl/ }, (ctx) => {
      ran.push(`${ctx.namespace}/${ctx.pod}/${ctx.container}: sync`);
      return { stderr: "cachectl: peer unreachable\n", exitCode: 2 };
    });
    const velero = await resolveVeleroBackupHooks({
      cluster: lc.cluster,
      hooks: loadVeleroHooks(fixture("backup-hooks.yaml")),
    });
    expect(velero.subject).toEqual({ kind: "Backup", name: "nightly-shop", namespace: "velero" });
    expect(velero.planned.map((p) => [p.phase, `${p.namespace}/${p.pod}/${p.container}`, p.source])).toEqual([
      ["pre", "shop/inventory-db-0/db", "lock-inventory"],
      ["post", "shop/inventory-db-0/db", "lock-inventory"],
      ["pre", "team-a/cache-0/cache", "sync-cache"],
    ]);
    const result = await runWithHooks(
      { cluster: lc.cluster, subject: velero.subject, hooks: { pre: velero.pre, post: velero.post } },
      async () => {
        ran.push("backup");
      },
    );
    // A failed hook, even a best-effort one, makes a Velero backup PartiallyFailed; the rest ran.
    expect(result).toMatchObject({
      outcome: "partiallyFailed",
      decidedBy: "partially-failed",
      hookStatus: { hooksAttempted: 3, hooksFailed: 1 },
    });
    expect(ran).toEqual([
      "shop/inventory-db-0/db: lock --flush",
      "team-a/cache-0/cache: sync",
      "backup",
      "shop/inventory-db-0/db: unlock",
    ]);
    const sync = result.hooks.find((h) => h.targets[0]?.name === "cache-0/cache");
    expect(sync).toMatchObject({ kind: "velero", status: "failed" });
    expect(sync?.targets[0]).toMatchObject({ exitCode: 2, stderr: "cachectl: peer unreachable\n" });
  });
});

describe("the nightly-shop Restore's hooks", () => {
  it("wait for the restored pod's containers, then run its three post hooks in order", async () => {
    const ran: string[] = [];
    lc.runtime.onExec({ namespace: "shop", pod: "inventory-db-1" }, (ctx) => {
      ran.push(`${ctx.container}: ${ctx.argv.at(-1)}`);
      return {};
    });
    await lc.apply(
      gatedPod("shop", "inventory-db-1", { "app.kubernetes.io/name": "inventory" }, ["db", "agent"]),
    );
    const velero = await resolveVeleroRestoreHooks({
      cluster: lc.cluster,
      hooks: loadVeleroHooks(fixture("restore-hooks.yaml")),
    });
    const mine = velero.planned.filter((p) => p.pod === "inventory-db-1");
    expect(mine.map((p) => [p.container, p.waitTimeout, p.execTimeout])).toEqual([
      ["db", "3m", "90s"],
      ["db", "3m", "10m"],
      // No waitTimeout of its own: the pod's wait is bounded by defaultWaitTimeout (10m).
      ["agent", undefined, "30s"],
    ]);
    expect(mine[0]?.onError).toBe("Fail");
    const events = createLifecycleEvents();
    // The containers start only once the session is already waiting for them.
    events.once("session:started", () => setTimeout(() => open("shop/inventory-db-1"), 50));
    const post = velero.post.filter((h) => h.name?.startsWith("shop/inventory-db-1 "));
    const result = await runWithHooks(
      { cluster: lc.cluster, subject: velero.subject, hooks: { post }, events },
      async () => {},
    );
    expect(result.outcome).toBe("succeeded");
    expect(ran).toEqual([
      "db: until inventory-admin ping; do sleep 1; done",
      "db: /restore/inventory.dump",
      "agent: touch /run/restored",
    ]);
  });
});

describe("the storefront's hook annotations", () => {
  const objects = parseAllDocuments(fixture("annotated-app.yaml"))
    .map((d) => d.toJS() as { kind?: string } | null)
    .filter((d): d is { kind: string } => d !== null && typeof d.kind === "string");

  it("pause and resume uploads in the guard container around a backup, from the pod template's annotations", async () => {
    await lc.apply(objects);
    await running("storefront", 2);
    const order: string[] = [];
    lc.runtime.onExec({ container: "uploads-guard" }, (ctx) => {
      order.push(ctx.argv.join(" "));
      return {};
    });
    const velero = await resolveVeleroBackupHooks({
      cluster: lc.cluster,
      hooks: loadVeleroHooks(fixture("annotated-app.yaml")),
      namespaces: ["storefront"],
    });
    expect(
      velero.planned.map((p) => [p.phase, p.pod.replace(/-[a-z0-9]+-[a-z0-9]+$/, "-…"), p.container]),
    ).toEqual([
      ["pre", "storefront-web-…", "uploads-guard"],
      ["post", "storefront-web-…", "uploads-guard"],
    ]);
    const result = await runWithHooks(
      { cluster: lc.cluster, subject: velero.subject, hooks: { pre: velero.pre, post: velero.post } },
      async () => {
        order.push("backup");
      },
    );
    expect(result.outcome).toBe("succeeded");
    expect(order).toEqual([
      "/bin/uploads-guard pause --dir /srv/uploads",
      "backup",
      "/bin/uploads-guard resume --dir /srv/uploads",
    ]);
  });

  it("expire the sessions after a restore, from the StatefulSet's restore annotation", async () => {
    const ran: string[] = [];
    lc.runtime.onExec({ container: "sessions" }, (ctx) => {
      ran.push(`${ctx.pod}: ${ctx.argv.join(" ")}`);
      return {};
    });
    const velero = await resolveVeleroRestoreHooks({
      cluster: lc.cluster,
      hooks: loadVeleroHooks(fixture("annotated-app.yaml")),
      namespaces: ["storefront"],
    });
    expect(velero.planned.map((p) => [p.pod, p.container, p.waitTimeout, p.execTimeout, p.onError])).toEqual([
      ["storefront-sessions-0", "sessions", "2m", "30s", "Continue"],
    ]);
    const result = await runWithHooks(
      { cluster: lc.cluster, subject: velero.subject, hooks: { post: velero.post } },
      async () => {},
    );
    expect(result.outcome).toBe("succeeded");
    expect(ran).toEqual(["storefront-sessions-0: /bin/sessions-admin expire-all"]);
  });
});
