import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLifecycleEvents, type LifecycleEmitter } from "../events.js";
import { runWithHooks } from "../lifecycle.js";
import { find } from "../test-support/function-hooks.js";
import { loadVeleroHooks } from "../velero/load.js";
import { resolveVeleroRestoreHooks } from "../velero/resolve-restore.js";
import { VeleroErrorCodes } from "../velero/velero-hook.js";

// Velero's post-restore exec hook rules (internal/hook/wait_exec_hook_handler.go,
// pkg/restore/restore.go hooksWaitExecutor) on the local cluster: restored pods whose containers
// start only when the test opens their gate.

let lc: LocalCluster;
const ran: string[] = [];
const gates = new Map<string, () => void>();
const failIn = new Set<string>();

// A restored pod: containers db and side start once the init container `gate` (held by the test) ends.
function restored(namespace: string, name: string, gate = name) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels: { app: "db" } },
    spec: {
      initContainers: [{ name: "gate", image: "busybox", command: ["gate", `${namespace}/${gate}`] }],
      containers: [
        { name: "db", image: "db" },
        { name: "side", image: "side" },
      ],
    },
  };
}

function restore(namespace: string, postHooks: unknown[]) {
  return loadVeleroHooks({
    apiVersion: "velero.io/v1",
    kind: "Restore",
    metadata: { name: "r1", namespace: "velero" },
    spec: { hooks: { resources: [{ name: "db", includedNamespaces: [namespace], postHooks }] } },
  });
}

// A waitTimeout that is not under test is 20s: far more than a loaded machine needs, so only the
// tests of expiry depend on time.
const hook = (container: string, command: string, extra: Record<string, unknown> = {}) => ({
  exec: { container, command: [command], ...extra },
});

const open = (key: string, delayMs = 0) => setTimeout(() => gates.get(key)?.(), delayMs);

/**
 * Resolves once the session watches the pods of `namespace`: its wait for the restored pod has
 * started (after the hooks were resolved, however long that took under load). What the test does
 * to the pod from then on is what the wait sees.
 */
async function watched(namespace: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (
    !lc.faults.requests.some((r) => r.verb === "watch" && r.resource === "pods" && r.namespace === namespace)
  ) {
    if (Date.now() > deadline) throw new Error(`nothing watched the pods of ${namespace}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function gated(key: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!gates.has(key)) {
    if (Date.now() > deadline) throw new Error(`${key} never reached its gate`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 400,
    terminationDelayMs: 0,
    namespaces: ["wait", "each", "fail", "expire", "gone", "ready", "missing", "ended", "kinds", "lapse"],
  });
  lc.runtime.onRun(
    { container: "gate" },
    (ctx) =>
      new Promise((done) => {
        gates.set(ctx.argv[1] as string, () => done({}));
        ctx.signal.addEventListener("abort", () => done({ exitCode: 137 }));
      }),
  );
  // The containers of namespace "ended" exit at once (their pod, restartPolicy Never, Succeeds).
  lc.runtime.onRun({ namespace: "ended", image: /^(db|side)$/ }, () => ({ exitCode: 0 }));
  lc.runtime.onExec({ command: (argv) => (argv[0] ?? "").startsWith("h") }, (ctx) => {
    ran.push(`${ctx.pod}/${ctx.container}:${ctx.argv[0]}`);
    return failIn.has(`${ctx.pod}:${ctx.argv[0]}`) ? { stderr: "no\n", exitCode: 2 } : {};
  });
});
afterAll(() => lc.stop());

async function run(namespace: string, postHooks: unknown[], events?: LifecycleEmitter) {
  const velero = await resolveVeleroRestoreHooks({
    cluster: lc.cluster,
    hooks: restore(namespace, postHooks),
  });
  return runWithHooks(
    {
      cluster: lc.cluster,
      subject: velero.subject,
      hooks: { post: velero.post },
      ...(events ? { events } : {}),
    },
    async () => {},
  );
}

describe("Velero restore policy", () => {
  it("a container that never runs: the pod waits for its hooks' longest waitTimeout, then every hook fails as not executed, PartiallyFailed", async () => {
    await lc.apply(restored("wait", "w1"));
    const result = await run("wait", [
      hook("db", "h-first", { waitTimeout: "100ms", onError: "Fail" }),
      hook("side", "h-second", { waitTimeout: "150ms", onError: "Continue" }),
    ]);
    expect(result).toMatchObject({
      outcome: "partiallyFailed",
      hookStatus: { hooksAttempted: 2, hooksFailed: 2 },
    });
    expect(result.hooks.map((h) => [h.status, h.error?.code])).toEqual([
      ["failed", VeleroErrorCodes.WAIT_TIMEOUT],
      ["failed", VeleroErrorCodes.WAIT_TIMEOUT],
    ]);
    expect(result.hooks[0]?.error?.message).toBe(
      "hook db in container db in pod wait/w1 not executed: context deadline exceeded",
    );
  });

  it("handles every pod at once: a pod whose containers start first runs its hooks first", async () => {
    await lc.apply([restored("each", "e1"), restored("each", "e2")]);
    await gated("each/e1");
    await gated("each/e2");
    ran.length = 0;
    // e1 comes first in order, but its containers start only after e2's hook ran: a pod-by-pod
    // handling would wait for e1 forever.
    const events = createLifecycleEvents();
    events.once("session:started", () => open("each/e2", 20));
    events.on("hook:succeeded", ({ name }) => {
      if (name.startsWith("each/e2 ")) open("each/e1");
    });
    const result = await run("each", [hook("db", "h-restore", { waitTimeout: "20s" })], events);
    expect(ran).toEqual(["e2/db:h-restore", "e1/db:h-restore"]);
    expect(result.outcome).toBe("succeeded");
  });

  it("a failed Fail hook stops its pod (its other hooks fail as not executed) and cancels the waits of the rest of the restore", async () => {
    await lc.apply([restored("fail", "f1"), restored("fail", "f2")]);
    await gated("fail/f1");
    failIn.add("f1:h-migrate");
    ran.length = 0;
    open("fail/f1");
    // Waits far longer than the test: only the cancellation can end them in time.
    const result = await run("fail", [
      hook("db", "h-migrate", { onError: "Fail", waitTimeout: "60s" }),
      hook("db", "h-after", { waitTimeout: "60s" }),
      hook("side", "h-side", { waitTimeout: "60s" }),
    ]);
    // f2's containers never started: Velero's cancelled hook context ends its wait at once.
    expect(ran).toEqual(["f1/db:h-migrate"]);
    expect(result.outcome).toBe("partiallyFailed");
    expect(find(result.hooks, "fail/f1 db.postHooks[1]").error).toMatchObject({
      code: VeleroErrorCodes.NOT_EXECUTED,
      message: "hook db in container db in pod fail/f1 not executed: context canceled",
    });
    expect(find(result.hooks, "fail/f2 db.postHooks[0]").error?.message).toBe(
      "hook db in container db in pod fail/f2 not executed: context canceled",
    );
    expect(result.hookStatus).toEqual({ hooksAttempted: 6, hooksFailed: 6 });
    expect(result.durationMs).toBeLessThan(30_000);
  });

  it("a hook whose own waitTimeout passed before its container came up fails as expired; without Fail it still runs", async () => {
    await lc.apply(restored("expire", "x1"));
    await gated("expire/x1");
    ran.length = 0;
    // The containers come up 200 ms into the wait: past h-late's 50 ms.
    void watched("expire").then(() => open("expire/x1", 200));
    const result = await run("expire", [
      hook("db", "h-late", { waitTimeout: "50ms", onError: "Continue" }),
      hook("side", "h-ok", { waitTimeout: "20s" }),
    ]);
    expect(ran).toEqual(["x1/db:h-late", "x1/side:h-ok"]);
    expect(find(result.hooks, "expire/x1 db.postHooks[0]")).toMatchObject({
      status: "failed",
      error: {
        code: VeleroErrorCodes.WAIT_TIMEOUT,
        message: "hook db in container db expired before executing",
      },
    });
    expect(find(result.hooks, "expire/x1 db.postHooks[1]").status).toBe("succeeded");
    expect(result.outcome).toBe("partiallyFailed");
  });

  it("a pod deleted while its hooks wait fails them as not executed", async () => {
    await lc.apply(restored("gone", "g1"));
    await gated("gone/g1");
    // Deleted once the session waits for it (the hooks were resolved against the live pod).
    void watched("gone").then(() =>
      lc.cluster.delete({ version: "v1", resource: "pods", namespace: "gone", name: "g1" }),
    );
    const result = await run("gone", [hook("db", "h-never", { waitTimeout: "20s" })]);
    // The informer's DeleteFunc cancels the pod's context: Velero reports ctx.Err().
    expect(result.hooks[0]).toMatchObject({
      status: "failed",
      error: {
        code: VeleroErrorCodes.POD_GONE,
        message: "hook db in container db in pod gone/g1 not executed: context canceled",
        details: { why: "pod gone/g1 deleted before all hooks were executed" },
      },
    });
  });

  it("a pod that ends while its hooks wait fails them as not executed (the handler cancels on Succeeded/Failed)", async () => {
    await lc.apply({
      ...restored("ended", "s1"),
      spec: { ...restored("ended", "s1").spec, restartPolicy: "Never" },
    });
    await gated("ended/s1");
    const events = createLifecycleEvents();
    events.once("session:started", () => open("ended/s1", 20));
    // Both containers exit at once: the pod Succeeds before db is ever Ready.
    const result = await run(
      "ended",
      [hook("db", "h-never", { waitForReady: true, waitTimeout: "20s" })],
      events,
    );
    expect(ran).not.toContain("s1/db:h-never");
    expect(result.hooks[0]).toMatchObject({
      status: "failed",
      error: {
        code: VeleroErrorCodes.NOT_EXECUTED,
        message: "hook db in container db in pod ended/s1 not executed: context canceled",
        details: { why: "pod entered phase Succeeded before some post-restore exec hooks ran" },
      },
    });
    expect(result).toMatchObject({
      outcome: "partiallyFailed",
      hookStatus: { hooksAttempted: 1, hooksFailed: 1 },
    });
  });

  it("an expired hook with onError Fail is not run and stops its pod; a negative waitTimeout has always expired", async () => {
    await lc.apply(restored("lapse", "x2"));
    await gated("lapse/x2");
    ran.length = 0;
    // The containers come up 200 ms into the wait: past h-late's 50 ms.
    void watched("lapse").then(() => open("lapse/x2", 200));
    const result = await run("lapse", [
      hook("side", "h-negative", { waitTimeout: "-1s", onError: "Continue" }),
      hook("db", "h-late", { waitTimeout: "50ms", onError: "Fail" }),
      hook("db", "h-next", { waitTimeout: "20s" }),
    ]);
    // wait_exec_hook_handler.go: `WaitTimeout != 0 && time.Since(waitStart) > WaitTimeout`; with
    // Fail: cancel() and return before the exec.
    expect(ran).not.toContain("x2/db:h-late");
    expect(ran).not.toContain("x2/db:h-next");
    expect(find(result.hooks, "lapse/x2 db.postHooks[1]").error).toMatchObject({
      code: VeleroErrorCodes.WAIT_TIMEOUT,
      message: "hook db in container db expired before executing",
    });
    expect(find(result.hooks, "lapse/x2 db.postHooks[2]").error?.message).toBe(
      "hook db in container db in pod lapse/x2 not executed: context canceled",
    );
    const negative = find(result.hooks, "lapse/x2 db.postHooks[0]");
    expect(negative.error?.message).toBe("hook db in container side expired before executing");
    expect(result.hookStatus).toEqual({ hooksAttempted: 3, hooksFailed: 3 });
  });

  it("a restore rule's resource lists do not matter: its hooks are for pods (GetRestoreHooksFromSpec includes pods only)", async () => {
    await lc.apply(restored("kinds", "k1"));
    await gated("kinds/k1");
    open("kinds/k1");
    const loaded = loadVeleroHooks({
      apiVersion: "velero.io/v1",
      kind: "Restore",
      metadata: { name: "r2", namespace: "velero" },
      spec: {
        hooks: {
          resources: [
            {
              name: "only-deployments",
              includedNamespaces: ["kinds"],
              includedResources: ["deployments"],
              excludedResources: ["pods"],
              postHooks: [hook("db", "h-kinds", { waitTimeout: "20s" })],
            },
          ],
        },
      },
    });
    expect(loaded.warnings).toContainEqual(
      expect.objectContaining({ path: "spec.hooks.resources[0].includedResources", kind: "ignored" }),
    );
    const velero = await resolveVeleroRestoreHooks({ cluster: lc.cluster, hooks: loaded });
    expect(velero.post.map((h) => h.name)).toEqual(["kinds/k1 only-deployments.postHooks[0]"]);
    ran.length = 0;
    const result = await runWithHooks({ cluster: lc.cluster, hooks: { post: velero.post } }, async () => {});
    expect(ran).toEqual(["k1/db:h-kinds"]);
    expect(result.outcome).toBe("succeeded");
  });

  it("waitForReady waits for the container to be Ready, not just running", async () => {
    await lc.apply(restored("ready", "r1"));
    await gated("ready/r1");
    ran.length = 0;
    // The containers start once the session waits for them and become Ready readyDelayMs later.
    void watched("ready").then(() => open("ready/r1"));
    const result = await run("ready", [
      hook("side", "h-ready", { waitForReady: true, waitTimeout: "20s" }),
      hook("db", "h-running", { waitTimeout: "20s" }),
    ]);
    expect(ran).toEqual(["r1/db:h-running", "r1/side:h-ready"]);
    expect(result.outcome).toBe("succeeded");
  });

  it("drops a hook naming a container the pod lacks, with a warning, instead of failing it after waitTimeout", async () => {
    await lc.apply(restored("missing", "m1"));
    await gated("missing/m1");
    open("missing/m1");
    const velero = await resolveVeleroRestoreHooks({
      cluster: lc.cluster,
      hooks: restore("missing", [hook("nope", "h-lost", { waitTimeout: "20s" }), hook("db", "h-kept")]),
    });
    expect(velero.post.map((h) => h.name)).toEqual(["missing/m1 db.postHooks[1]"]);
    expect(velero.warnings).toEqual([
      expect.objectContaining({
        pod: "m1",
        message: expect.stringContaining("does not have container nope: hook discarded"),
      }),
    ]);
    const result = await runWithHooks({ cluster: lc.cluster, hooks: { post: velero.post } }, async () => {});
    expect(result).toMatchObject({ outcome: "succeeded", hookStatus: { hooksAttempted: 1, hooksFailed: 0 } });
  });
});
