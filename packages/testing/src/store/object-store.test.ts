import { describe, expect, it } from "vitest";
import { ApiStatusError } from "../api/errors.js";
import type { ResourceType, StoredObject, WatchEvent } from "../api/seams.js";
import { createObjectStore } from "./object-store.js";

function setup() {
  const store = createObjectStore();
  const t = (group: string, version: string, resource: string) => store.typeFor(group, version, resource)!;
  return {
    store,
    pods: t("", "v1", "pods"),
    rs: t("apps", "v1", "replicasets"),
    deploy: t("apps", "v1", "deployments"),
    cms: t("", "v1", "configmaps"),
    ns: t("", "v1", "namespaces"),
    crds: t("apiextensions.k8s.io", "v1", "customresourcedefinitions"),
  };
}

function owned(
  name: string,
  owner: StoredObject,
  kind = "Pod",
  apiVersion = "v1",
): Parameters<ReturnType<typeof createObjectStore>["create"]>[1] {
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      namespace: "default",
      ownerReferences: [
        {
          apiVersion: owner.apiVersion,
          kind: owner.kind,
          name: owner.metadata.name,
          uid: owner.metadata.uid,
          controller: true,
        },
      ],
    },
    spec: {},
  };
}

function names(store: ReturnType<typeof createObjectStore>, type: ResourceType): string[] {
  return store.list(type, "default").items.map((o) => o.metadata.name);
}

describe("object store", () => {
  it("issues increasing resourceVersions and returns copies that cannot change stored state", () => {
    const { store, cms } = setup();
    const a = store.create(cms, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "a", namespace: "default" },
      data: { x: "1" },
    });
    const b = store.create(cms, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "b", namespace: "default" },
    });
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    (a.data as Record<string, string>).x = "mutated";
    expect(store.get(cms, "default", "a")?.data).toEqual({ x: "1" });
    expect(store.currentResourceVersion()).toBe(b.metadata.resourceVersion);
  });

  it("lists in etcd's key order (namespace/name, byte-wise) and a namespaced LIST only its namespace", () => {
    const { store, cms, ns } = setup();
    for (const name of ["a", "a-b", "b"])
      store.create(ns, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
    for (const [namespace, name] of [
      ["b", "x"],
      ["a", "y"],
      ["a-b", "z"],
      ["a", "x"],
      ["a-b", "a"],
    ] as const) {
      store.create(cms, { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace } });
    }
    const all = store.list(cms, undefined).items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    // "a-b/…" sorts before "a/…" because '-' (0x2d) is below '/' (0x2f), as in etcd's keys.
    expect(all).toEqual(["a-b/a", "a-b/z", "a/x", "a/y", "b/x"]);
    expect(store.list(cms, "a").items.map((o) => o.metadata.name)).toEqual(["x", "y"]);
    store.delete(cms, "a", "x");
    expect(store.list(cms, "a").items.map((o) => o.metadata.name)).toEqual(["y"]);
    expect(store.list(cms, "c").items).toEqual([]);
  });

  it("does not bump the resourceVersion for a no-op update", () => {
    const { store, cms } = setup();
    const a = store.create(cms, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "a", namespace: "default" },
    });
    const again = store.update(cms, a);
    expect(again.metadata.resourceVersion).toBe(a.metadata.resourceVersion);
  });

  it("cascades Background deletion through ownerReferences (Deployment → ReplicaSet → Pods)", () => {
    const { store, deploy, rs, pods } = setup();
    const d = store.create(deploy, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "default" },
      spec: {},
    });
    const r = store.create(rs, owned("web-1", d, "ReplicaSet", "apps/v1"));
    store.create(pods, owned("web-1-a", r));
    store.create(pods, owned("web-1-b", r));
    store.create(pods, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "loner", namespace: "default" },
      spec: {},
    });
    store.delete(deploy, "default", "web");
    expect(names(store, rs)).toEqual([]);
    expect(names(store, pods)).toEqual(["loner"]);
  });

  it("collects an object created with owners that no longer exist, shortly after the write", async () => {
    const { store, pods, rs } = setup();
    const gone = store.create(rs, {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: "gone", namespace: "default" },
      spec: {},
    });
    store.delete(rs, "default", "gone");
    const created = store.create(pods, owned("late", gone));
    expect(created.metadata.name).toBe("late");
    await Promise.resolve();
    expect(store.get(pods, "default", "late")).toBeUndefined();
  });

  it("orphans dependents with Orphan, removing only the owner's reference", () => {
    const { store, rs, pods } = setup();
    const r = store.create(rs, {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: "r", namespace: "default" },
      spec: {},
    });
    store.create(pods, owned("p", r));
    store.delete(rs, "default", "r", { propagationPolicy: "Orphan" });
    const p = store.get(pods, "default", "p")!;
    expect(p.metadata.ownerReferences).toBeUndefined();
  });

  it("deletes dependents first with Foreground and keeps the owner (foregroundDeletion) until they are gone", () => {
    const { store, rs, pods } = setup();
    const hooked: string[] = [];
    store.setGracefulDeletionHook((pod) => hooked.push(pod.metadata.name));
    const r = store.create(rs, {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: "r", namespace: "default" },
      spec: {},
    });
    store.create(pods, owned("p", r));
    const marked = store.delete(rs, "default", "r", { propagationPolicy: "Foreground" });
    expect(marked.metadata.finalizers).toContain("foregroundDeletion");
    expect(marked.metadata.deletionTimestamp).toBeTruthy();
    expect(hooked).toEqual(["p"]);
    expect(store.get(pods, "default", "p")?.metadata.deletionTimestamp).toBeTruthy();
    store.delete(pods, "default", "p", { gracePeriodSeconds: 0 });
    expect(store.get(pods, "default", "p")).toBeUndefined();
    expect(store.get(rs, "default", "r")).toBeUndefined();
  });

  it("marks objects with finalizers and removes them once the finalizers are cleared", () => {
    const { store, cms } = setup();
    store.create(cms, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "f", namespace: "default", finalizers: ["example.com/hold"] },
    });
    const marked = store.delete(cms, "default", "f");
    expect(marked.metadata.deletionTimestamp).toBeTruthy();
    expect(store.get(cms, "default", "f")).toBeDefined();
    store.mutate(cms, "default", "f", (o) => {
      o.metadata.finalizers = [];
    });
    expect(store.get(cms, "default", "f")).toBeUndefined();
  });

  it("deletes pods gracefully through the hook, and at once without one", () => {
    const { store, pods } = setup();
    store.create(pods, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "now", namespace: "default" },
      spec: {},
    });
    store.delete(pods, "default", "now");
    expect(store.get(pods, "default", "now")).toBeUndefined();

    const calls: [string, number][] = [];
    store.setGracefulDeletionHook((pod, grace) => calls.push([pod.metadata.name, grace]));
    store.create(pods, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "slow", namespace: "default" },
      spec: { terminationGracePeriodSeconds: 5 },
    });
    const marked = store.delete(pods, "default", "slow");
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(5);
    expect(calls).toEqual([["slow", 5]]);
    // A second delete while terminating changes nothing; grace 0 finishes it.
    store.delete(pods, "default", "slow");
    expect(calls).toHaveLength(1);
    store.delete(pods, "default", "slow", { gracePeriodSeconds: 0 });
    expect(store.get(pods, "default", "slow")).toBeUndefined();
  });

  it("terminates a namespace: contents deleted, new content refused, namespace removed when empty", () => {
    const { store, ns, cms, pods } = setup();
    store.create(ns, { apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } });
    store.create(cms, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "team" } });
    store.setGracefulDeletionHook(() => {});
    store.create(pods, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", namespace: "team" },
      spec: {},
    });
    const terminating = store.delete(ns, undefined, "team");
    expect((terminating.status as { phase: string }).phase).toBe("Terminating");
    expect(store.list(cms, "team").items).toEqual([]);
    expect(() =>
      store.create(cms, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b", namespace: "team" } }),
    ).toThrow(expect.objectContaining({ statusCode: 403, reason: "Forbidden" }) as unknown as Error);
    store.delete(pods, "team", "p", { gracePeriodSeconds: 0 });
    expect(store.get(ns, undefined, "team")).toBeUndefined();
  });

  it("serves custom resources once a CRD is created, in every served version, and stops when it is deleted", () => {
    const { store, crds } = setup();
    store.create(crds, {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "blueprints.cr.kanister.io" },
      spec: {
        group: "cr.kanister.io",
        scope: "Namespaced",
        names: { plural: "blueprints", singular: "blueprint", kind: "Blueprint", shortNames: ["bp"] },
        versions: [
          { name: "v1alpha1", served: true, storage: true },
          { name: "v1beta1", served: true, storage: false },
        ],
      },
    });
    const v1 = store.typeFor("cr.kanister.io", "v1alpha1", "blueprints")!;
    expect(v1).toMatchObject({ kind: "Blueprint", namespaced: true });
    store.create(v1, {
      apiVersion: "cr.kanister.io/v1alpha1",
      kind: "Blueprint",
      metadata: { name: "bp", namespace: "default" },
      actions: {},
    });
    const viaBeta = store.get(store.typeFor("cr.kanister.io", "v1beta1", "blueprints")!, "default", "bp");
    expect(viaBeta?.apiVersion).toBe("cr.kanister.io/v1beta1");
    const crd = store.get(crds, undefined, "blueprints.cr.kanister.io")!;
    expect((crd.status as { conditions: { type: string }[] }).conditions.map((c) => c.type)).toContain(
      "Established",
    );
    store.delete(crds, undefined, "blueprints.cr.kanister.io");
    expect(store.typeFor("cr.kanister.io", "v1alpha1", "blueprints")).toBeUndefined();
  });

  it("rejects a CRD whose name is not <plural>.<group>", () => {
    const { store, crds } = setup();
    expect(() =>
      store.create(crds, {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: "wrong" },
        spec: {
          group: "x.io",
          scope: "Namespaced",
          names: { plural: "things", kind: "Thing" },
          versions: [{ name: "v1", served: true, storage: true }],
        },
      }),
    ).toThrow(ApiStatusError);
  });

  it("delivers watch events in one global order even when a listener writes to the store", () => {
    const { store, cms } = setup();
    const seenA: string[] = [];
    const seenB: string[] = [];
    store.watch(cms, "default", store.currentResourceVersion(), (e: WatchEvent) => {
      seenA.push(`${e.type}:${e.object.metadata.name}`);
      if (e.object.metadata.name === "first" && e.type === "ADDED") {
        store.create(cms, {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "second", namespace: "default" },
        });
      }
    });
    store.watch(cms, "default", store.currentResourceVersion(), (e) =>
      seenB.push(`${e.type}:${e.object.metadata.name}`),
    );
    store.create(cms, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "first", namespace: "default" },
    });
    expect(seenA).toEqual(["ADDED:first", "ADDED:second"]);
    expect(seenB).toEqual(["ADDED:first", "ADDED:second"]);
  });

  it("answers 410 Expired for a watch older than the retained history", () => {
    const store = createObjectStore({ historySize: 3 });
    const cms = store.typeFor("", "v1", "configmaps")!;
    const start = store.currentResourceVersion();
    for (const n of ["a", "b", "c", "d"])
      store.create(cms, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: n, namespace: "default" } });
    expect(() => store.watch(cms, "default", start, () => {})).toThrow(
      expect.objectContaining({ statusCode: 410, reason: "Expired" }) as unknown as Error,
    );
    const events: string[] = [];
    store.watch(cms, "default", String(Number(start) + 1), (e) => events.push(e.object.metadata.name));
    expect(events).toEqual(["b", "c", "d"]);
  });
});

describe("reads without copies", () => {
  it("a shared LIST serialises exactly as the copies do, and peek is the stored object", () => {
    const { store, pods, rs } = setup();
    // With apiVersion first, with it missing (the store sets it), and a nested spec.
    store.create(pods, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "a", namespace: "default", labels: { app: "db" } },
      spec: { containers: [{ name: "c", image: "i" }] },
    });
    store.create(pods, {
      kind: "Pod",
      metadata: { name: "b", namespace: "default" },
      spec: { containers: [{ name: "c", image: "i" }] },
    } as Parameters<typeof store.create>[1]);
    store.create(rs, {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: "r", namespace: "default" },
    });
    for (const type of [pods, rs]) {
      const copies = store.list(type, "default");
      const shared = store.list(type, "default", undefined, { shared: true });
      expect(JSON.stringify(shared)).toBe(JSON.stringify(copies));
    }
    const peeked = store.peek(pods, "default", "a");
    expect(JSON.stringify(peeked)).toBe(JSON.stringify(store.get(pods, "default", "a")));
    // Writes replace the stored object: a reference read before stays as it was.
    store.mutate(pods, "default", "a", (p) => {
      p.metadata.labels = { app: "web" };
    });
    expect(peeked?.metadata.labels).toEqual({ app: "db" });
    expect(store.peek(pods, "default", "a")?.metadata.labels).toEqual({ app: "web" });
  });
});
