import { Watch } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pod, startHarness } from "./test-support/harness.js";

let h: Awaited<ReturnType<typeof startHarness>>;
beforeEach(async () => {
  h = await startHarness({ bookmarkIntervalMs: 20 });
});
afterEach(async () => {
  await h.close();
});

interface Seen {
  type: string;
  name: string | undefined;
  rv: string | undefined;
  object: Record<string, unknown>;
}

/** Starts a client-node watch and collects its events until `until` holds. */
async function collect(
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  until: (seen: Seen[]) => boolean,
) {
  const seen: Seen[] = [];
  let finish!: (err: unknown) => void;
  const done = new Promise<unknown>((resolve) => {
    finish = resolve;
  });
  const controller = await new Watch(h.kc).watch(
    path,
    query,
    (type, object: { metadata?: { name?: string; resourceVersion?: string } }) => {
      seen.push({
        type,
        name: object.metadata?.name,
        rv: object.metadata?.resourceVersion,
        object: object as Record<string, unknown>,
      });
      if (until(seen)) controller.abort();
    },
    (err) => finish(err),
  );
  return { seen, done, controller };
}

describe("watch", () => {
  it("streams ADDED, MODIFIED and DELETED after a resourceVersion, in order", async () => {
    const list = await h.api("GET", "/api/v1/namespaces/default/pods");
    const rv = (list.body.metadata as { resourceVersion: string }).resourceVersion;
    const w = await collect("/api/v1/namespaces/default/pods", { resourceVersion: rv }, (s) =>
      s.some((e) => e.type === "DELETED"),
    );
    await h.api("POST", "/api/v1/namespaces/default/pods", pod("w"));
    await h.api(
      "PATCH",
      "/api/v1/namespaces/default/pods/w",
      { metadata: { labels: { a: "b" } } },
      "application/merge-patch+json",
    );
    await h.api("DELETE", "/api/v1/namespaces/default/pods/w");
    await w.done;
    expect(w.seen.map((e) => `${e.type}:${e.name}`)).toEqual(["ADDED:w", "MODIFIED:w", "DELETED:w"]);
    const rvs = w.seen.map((e) => Number(e.rv));
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
  });

  it("replays retained history from an older resourceVersion and announces existing objects without one", async () => {
    const first = await h.api("POST", "/api/v1/namespaces/default/configmaps", { metadata: { name: "a" } });
    const rv = (first.body.metadata as { resourceVersion: string }).resourceVersion;
    await h.api("POST", "/api/v1/namespaces/default/configmaps", { metadata: { name: "b" } });
    const replay = await collect(
      "/api/v1/namespaces/default/configmaps",
      { resourceVersion: rv },
      (s) => s.length === 1,
    );
    await replay.done;
    expect(replay.seen.map((e) => `${e.type}:${e.name}`)).toEqual(["ADDED:b"]);
    const fresh = await collect("/api/v1/namespaces/default/configmaps", {}, (s) => s.length === 2);
    await fresh.done;
    expect(fresh.seen.map((e) => `${e.type}:${e.name}`)).toEqual(["ADDED:a", "ADDED:b"]);
  });

  it("sends initial events then a BOOKMARK marking their end with sendInitialEvents", async () => {
    await h.api("POST", "/api/v1/namespaces/default/configmaps", { metadata: { name: "a" } });
    const w = await collect(
      "/api/v1/namespaces/default/configmaps",
      { sendInitialEvents: true, allowWatchBookmarks: true, resourceVersionMatch: "NotOlderThan" },
      (s) => s.some((e) => e.type === "BOOKMARK"),
    );
    await w.done;
    expect(w.seen.map((e) => e.type)).toEqual(["ADDED", "BOOKMARK"]);
    const annotations = (w.seen[1]!.object.metadata as { annotations?: Record<string, string> }).annotations;
    expect(annotations).toEqual({ "k8s.io/initial-events-end": "true" });
  });

  it("sends BOOKMARK events when allowed", async () => {
    const w = await collect("/api/v1/pods", { allowWatchBookmarks: true, resourceVersion: "1" }, (s) =>
      s.some((e) => e.type === "BOOKMARK"),
    );
    await w.done;
    const bookmark = w.seen.find((e) => e.type === "BOOKMARK")!;
    expect(bookmark.object.kind).toBe("Pod");
    expect(Number(bookmark.rv)).toBeGreaterThan(0);
  });

  it("answers a too-old resourceVersion with an ERROR event carrying 410 Expired", async () => {
    await h.api("POST", "/api/v1/namespaces/default/configmaps", { metadata: { name: "a" } });
    h.faults.expireHistory();
    const w = await collect("/api/v1/namespaces/default/configmaps", { resourceVersion: "1" }, () => false);
    await w.done;
    expect(w.seen).toHaveLength(1);
    expect(w.seen[0]?.type).toBe("ERROR");
    expect(w.seen[0]?.object).toMatchObject({ kind: "Status", code: 410, reason: "Expired" });
  });

  it("answers a resourceVersion from the future with an ERROR event carrying 504 ResourceVersionTooLarge", async () => {
    const w = await collect("/api/v1/pods", { resourceVersion: "999999" }, () => false);
    await w.done;
    expect(w.seen.map((e) => e.type)).toEqual(["ERROR"]);
    expect(w.seen[0]?.object).toMatchObject({
      code: 504,
      reason: "Timeout",
      details: { causes: [{ reason: "ResourceVersionTooLarge" }] },
    });
  });

  it("turns label transitions into ADDED / DELETED for a selector watch", async () => {
    await h.api("POST", "/api/v1/namespaces/default/pods", pod("t", { labels: { role: "x" } }));
    const list = await h.api("GET", "/api/v1/namespaces/default/pods");
    const rv = (list.body.metadata as { resourceVersion: string }).resourceVersion;
    const w = await collect(
      "/api/v1/namespaces/default/pods",
      { resourceVersion: rv, labelSelector: "role=db" },
      (s) => s.length === 3,
    );
    await h.api(
      "PATCH",
      "/api/v1/namespaces/default/pods/t",
      { metadata: { labels: { role: "db" } } },
      "application/merge-patch+json",
    );
    await h.api(
      "PATCH",
      "/api/v1/namespaces/default/pods/t",
      { metadata: { labels: { other: "1" } } },
      "application/merge-patch+json",
    );
    await h.api(
      "PATCH",
      "/api/v1/namespaces/default/pods/t",
      { metadata: { labels: { role: "web" } } },
      "application/merge-patch+json",
    );
    await w.done;
    expect(w.seen.map((e) => e.type)).toEqual(["ADDED", "MODIFIED", "DELETED"]);
  });

  it("ends the stream after timeoutSeconds, and when faults cut watches", async () => {
    const timed = await collect("/api/v1/pods", { timeoutSeconds: 1, resourceVersion: "1" }, () => false);
    expect(await timed.done).toBeNull();
    const cut = await collect("/api/v1/pods", { resourceVersion: "1" }, () => false);
    await new Promise((r) => setTimeout(r, 20));
    expect(h.faults.cutWatches()).toBe(1);
    expect(await cut.done).toBeNull();
  });
});

describe("watch paths", () => {
  it("watches one object by name, via ?watch=true on its path and via the deprecated /watch/ prefix", async () => {
    await h.api("POST", "/api/v1/namespaces/default/configmaps", { metadata: { name: "one" } });
    await h.api("POST", "/api/v1/namespaces/default/configmaps", { metadata: { name: "two" } });
    const direct = await collect("/api/v1/namespaces/default/configmaps/two", {}, (s) => s.length === 1);
    await direct.done;
    expect(direct.seen.map((e) => e.name)).toEqual(["two"]);
    const legacy = await collect("/api/v1/watch/namespaces/default/configmaps", {}, (s) => s.length === 2);
    await legacy.done;
    expect(legacy.seen.map((e) => e.name)).toEqual(["one", "two"]);
  });
});

describe("client-node informer", () => {
  it("relists after an expired history and a cut watch, and sees objects created meanwhile", async () => {
    const { CoreV1Api, makeInformer } = await import("@kubernetes/client-node");
    const core = h.kc.makeApiClient(CoreV1Api);
    const informer = makeInformer(h.kc, "/api/v1/namespaces/default/configmaps", () =>
      core.listNamespacedConfigMap({ namespace: "default" }),
    );
    const added = new Set<string>();
    const waiters: [string, () => void][] = [];
    informer.on("add", (obj) => {
      const name = obj.metadata?.name ?? "";
      added.add(name);
      for (const [n, resolve] of waiters) if (n === name) resolve();
    });
    const seen = (name: string) =>
      added.has(name) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push([name, resolve]));
    await informer.start();
    await h.api("POST", "/api/v1/namespaces/default/configmaps", { metadata: { name: "before" } });
    await seen("before");
    // The informer re-watches from its last resourceVersion, which is now too old: 410 → relist.
    h.faults.expireHistory();
    expect(h.faults.cutWatches()).toBe(1);
    await h.api("POST", "/api/v1/namespaces/default/configmaps", { metadata: { name: "during" } });
    await seen("during");
    await informer.stop();
    const watches = h.faults.requests.filter((r) => r.verb === "watch").length;
    const lists = h.faults.requests.filter((r) => r.verb === "list").length;
    expect(watches).toBeGreaterThanOrEqual(2);
    expect(lists).toBe(2);
    expect([...added].sort()).toEqual(["before", "during"]);
  });
});
