/** Conformance cases: get/list/create/patch/delete for built-in and custom resources, errors, waitFor. */
import type { KubeObject } from "@quiesce/kube";
import { describe, expect, it } from "vitest";
import { expectCode } from "./expect-error.js";
import type { SuiteContext } from "./suite-context.js";

const CM = { version: "v1", resource: "configmaps" } as const;

function configMap(
  namespace: string,
  name: string,
  data: Record<string, string>,
  labels: Record<string, string> = {},
): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace, labels }, data };
}

export function objectCases(ctx: SuiteContext): void {
  describe("objects", () => {
    it("resolves resource types through discovery", async () => {
      expect(await ctx.cluster.resolveResource("apps/v1", "Deployment")).toEqual({
        group: "apps",
        version: "v1",
        resource: "deployments",
        kind: "Deployment",
        namespaced: true,
      });
      expect(await ctx.cluster.resolveResource("v1", "Namespace")).toMatchObject({
        group: "",
        resource: "namespaces",
        namespaced: false,
      });
      await expectCode(ctx.cluster.resolveResource("v1", "NoSuchKind"), "QUIESCE_KUBE_NOT_FOUND");
      await expectCode(ctx.cluster.resolveResource("nope.example.com/v1", "Thing"), "QUIESCE_KUBE_NOT_FOUND");
    });

    it("creates, reads, lists by label and deletes an object", async () => {
      const ns = ctx.namespace;
      const created = await ctx.cluster.create(configMap(ns, "crud", { a: "1" }, { suite: "crud" }));
      expect(created.metadata?.uid).toBeTruthy();
      expect(created.metadata?.resourceVersion).toBeTruthy();
      const got = await ctx.cluster.get({ ...CM, namespace: ns, name: "crud" });
      expect(got.data).toEqual({ a: "1" });
      await ctx.cluster.create(configMap(ns, "crud-other", { b: "2" }, { suite: "other" }));
      const listed = await ctx.cluster.list({ ...CM, namespace: ns }, { labelSelector: "suite=crud" });
      expect(listed.items.map((i) => i.metadata?.name)).toEqual(["crud"]);
      expect(listed.resourceVersion).toBeTruthy();
      await ctx.cluster.delete({ ...CM, namespace: ns, name: "crud" }, { waitForDeletion: true });
      await expectCode(ctx.cluster.get({ ...CM, namespace: ns, name: "crud" }), "QUIESCE_KUBE_NOT_FOUND");
    });

    it("generates names from generateName", async () => {
      const created = await ctx.cluster.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { generateName: "gen-", namespace: ctx.namespace },
      });
      expect(created.metadata?.name).toMatch(/^gen-.+/);
    });

    it("applies merge, JSON and strategic-merge patches", async () => {
      const ns = ctx.namespace;
      const ref = { ...CM, namespace: ns, name: "patched" };
      await ctx.cluster.create(configMap(ns, "patched", { a: "1", b: "2" }));
      const merged = await ctx.cluster.patch(ref, { data: { b: null, c: "3" } }, "merge");
      expect(merged.data).toEqual({ a: "1", c: "3" });
      const json = await ctx.cluster.patch(
        ref,
        [
          { op: "replace", path: "/data/a", value: "10" },
          { op: "add", path: "/data/d", value: "4" },
        ],
        "json",
      );
      expect(json.data).toEqual({ a: "10", c: "3", d: "4" });
      const strategic = await ctx.cluster.patch(
        ref,
        { metadata: { labels: { patched: "yes" } } },
        "strategic",
      );
      expect(strategic.metadata?.labels).toMatchObject({ patched: "yes" });

      await ctx.cluster.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "patch-target", namespace: ns },
        spec: {
          containers: [
            { name: "a", image: ctx.image, command: ["sleep", "3600"] },
            { name: "b", image: ctx.image, command: ["sleep", "3600"] },
          ],
        },
      });
      // Strategic merge patches merge lists by key: one container's field changes, the other stays.
      const pod = await ctx.cluster
        .patch(
          { version: "v1", resource: "pods", namespace: ns, name: "patch-target" },
          { spec: { containers: [{ name: "b", image: `${ctx.image}-patched` }] } },
          "strategic",
        )
        .catch(async (err: unknown) => {
          // Some servers forbid image changes on a running pod's spec; labels are always patchable.
          if ((err as { code?: string }).code !== "QUIESCE_KUBE_INVALID") throw err;
          return undefined;
        });
      if (pod) {
        const containers = (pod.spec as { containers: { name: string; image: string }[] }).containers;
        expect(containers.map((c) => [c.name, c.image])).toEqual([
          ["a", ctx.image],
          ["b", `${ctx.image}-patched`],
        ]);
      }
    });

    it("reports failures with codes that keep the Status reason", async () => {
      const ns = ctx.namespace;
      const missing = await expectCode(
        ctx.cluster.get({ ...CM, namespace: ns, name: "missing" }),
        "QUIESCE_KUBE_NOT_FOUND",
      );
      expect(missing.details).toMatchObject({
        reason: "NotFound",
        statusCode: 404,
        verb: "get",
        name: "missing",
        namespace: ns,
      });
      await ctx.cluster.create(configMap(ns, "dup", {}));
      const dup = await expectCode(ctx.cluster.create(configMap(ns, "dup", {})), "QUIESCE_KUBE_CONFLICT");
      expect(dup.details).toMatchObject({ reason: "AlreadyExists", statusCode: 409 });
      const stale = await expectCode(
        ctx.cluster.patch(
          { ...CM, namespace: ns, name: "dup" },
          { metadata: { resourceVersion: "1" }, data: { x: "y" } },
          "merge",
        ),
        "QUIESCE_KUBE_CONFLICT",
      );
      expect(stale.details.reason).toBe("Conflict");
      await expectCode(
        ctx.cluster.patch(
          { ...CM, namespace: ns, name: "dup" },
          [{ op: "test", path: "/data/x", value: "nope" }],
          "json",
        ),
        "QUIESCE_KUBE_INVALID",
      );
      await expectCode(
        ctx.cluster.delete({ ...CM, namespace: ns, name: "never-was" }),
        "QUIESCE_KUBE_NOT_FOUND",
      );
      await expectCode(
        ctx.cluster.create({
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "Not_A_Valid_Name", namespace: ns },
        }),
        "QUIESCE_KUBE_INVALID",
      );
    });

    it("serves custom resources through the same calls", async () => {
      const group = "conformance.quiesce.dev";
      await ctx.apply([
        {
          apiVersion: "apiextensions.k8s.io/v1",
          kind: "CustomResourceDefinition",
          metadata: { name: `widgets.${group}` },
          spec: {
            group,
            scope: "Namespaced",
            names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
            versions: [
              {
                name: "v1",
                served: true,
                storage: true,
                schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
              },
            ],
          },
        },
      ]);
      const info = await ctx.cluster.waitFor(
        {
          group: "apiextensions.k8s.io",
          version: "v1",
          resource: "customresourcedefinitions",
          name: `widgets.${group}`,
        },
        (crd) =>
          (
            (crd?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []
          ).some((c) => c.type === "Established" && c.status === "True"),
        { timeoutMs: 60_000 },
      );
      expect(info).toBeDefined();
      expect(await ctx.cluster.resolveResource(`${group}/v1`, "Widget")).toMatchObject({
        resource: "widgets",
        namespaced: true,
      });
      const ref = { group, version: "v1", resource: "widgets", namespace: ctx.namespace, name: "w1" };
      await ctx.cluster.create({
        apiVersion: `${group}/v1`,
        kind: "Widget",
        metadata: { name: "w1", namespace: ctx.namespace },
        spec: { size: 1 },
      });
      const patched = await ctx.cluster.patch(ref, { spec: { color: "red" } }, "merge");
      expect(patched.spec).toEqual({ size: 1, color: "red" });
      expect(
        (await ctx.cluster.list({ group, version: "v1", resource: "widgets", namespace: ctx.namespace }))
          .items,
      ).toHaveLength(1);
      await ctx.cluster.delete(ref, { waitForDeletion: true });
      await expectCode(ctx.cluster.get(ref), "QUIESCE_KUBE_NOT_FOUND");
      // The definition is cluster-scoped: it would outlive the suite's namespace.
      await ctx.cluster.delete(
        {
          group: "apiextensions.k8s.io",
          version: "v1",
          resource: "customresourcedefinitions",
          name: `widgets.${group}`,
        },
        { waitForDeletion: true, timeoutMs: 60_000 },
      );
    });
  });

  describe("cluster-scoped custom resources", () => {
    it("are created, read, waited for and deleted without a namespace", async () => {
      const group = "conformance.quiesce.dev";
      const crd = {
        group: "apiextensions.k8s.io",
        version: "v1",
        resource: "customresourcedefinitions",
        name: `gadgets.${group}`,
      };
      await ctx.apply([
        {
          apiVersion: "apiextensions.k8s.io/v1",
          kind: "CustomResourceDefinition",
          metadata: { name: crd.name },
          spec: {
            group,
            scope: "Cluster",
            names: { plural: "gadgets", singular: "gadget", kind: "Gadget", listKind: "GadgetList" },
            versions: [
              {
                name: "v1",
                served: true,
                storage: true,
                subresources: { status: {} },
                schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
              },
            ],
          },
        },
      ]);
      await ctx.cluster.waitFor(
        crd,
        (o) =>
          (
            (o?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []
          ).some((c) => c.type === "Established" && c.status === "True"),
        { timeoutMs: 60_000 },
      );
      expect(await ctx.cluster.resolveResource(`${group}/v1`, "Gadget")).toMatchObject({ namespaced: false });
      const name = `g-${ctx.namespace}`;
      const ref = { group, version: "v1", resource: "gadgets", name };
      const ready = ctx.cluster.waitFor(
        ref,
        (o) => (o?.status as { ready?: boolean } | undefined)?.ready === true,
        {
          timeoutMs: 30_000,
        },
      );
      const created = await ctx.cluster.create({
        apiVersion: `${group}/v1`,
        kind: "Gadget",
        metadata: { name },
        spec: {},
      });
      expect(created.metadata?.namespace).toBeUndefined();
      // The status subresource is the only way to write status; the main resource keeps it.
      await ctx.cluster.patch(ref, { status: { ready: true } }, "merge");
      const current = await ctx.cluster.get(ref);
      expect(current.status).toBeUndefined();
      await ctx.cluster.patch(ref, { status: { ready: true } }, "merge", { subresource: "status" });
      expect((await ready)?.status).toEqual({ ready: true });
      await ctx.cluster.delete(ref, { waitForDeletion: true });
      await expectCode(ctx.cluster.get(ref), "QUIESCE_KUBE_NOT_FOUND");
      await ctx.cluster.delete(crd, { waitForDeletion: true, timeoutMs: 60_000 });
    });
  });

  describe("waitFor", () => {
    it("resolves once an object created later satisfies the predicate", async () => {
      const ref = { ...CM, namespace: ctx.namespace, name: "later" };
      const waiting = ctx.cluster.waitFor(
        ref,
        (o) => (o?.data as Record<string, string> | undefined)?.ready === "yes",
        { timeoutMs: 30_000 },
      );
      await ctx.cluster.create(configMap(ctx.namespace, "later", { ready: "no" }));
      await ctx.cluster.patch(ref, { data: { ready: "yes" } }, "merge");
      const found = await waiting;
      expect(found?.data).toEqual({ ready: "yes" });
    });

    it("sees absence (undefined) and deletion", async () => {
      const ref = { ...CM, namespace: ctx.namespace, name: "goes-away" };
      expect(await ctx.cluster.waitFor(ref, (o) => o === undefined)).toBeUndefined();
      await ctx.cluster.create(configMap(ctx.namespace, "goes-away", {}));
      const gone = ctx.cluster.waitFor(ref, (o) => o === undefined, { timeoutMs: 30_000 });
      await ctx.cluster.delete(ref);
      expect(await gone).toBeUndefined();
    });

    it("passes an error thrown by the predicate through untouched", async () => {
      const boom = new Error("connection closed by the predicate");
      const ref = { ...CM, namespace: ctx.namespace, name: "predicate-throws" };
      const waiting = ctx.cluster.waitFor(ref, (o) => {
        if (o) throw boom;
        return false;
      });
      await ctx.cluster.create(configMap(ctx.namespace, "predicate-throws", {}));
      await expect(waiting).rejects.toBe(boom);
      // The same when the object is already there when the wait starts (seen in the first list).
      await expect(
        ctx.cluster.waitFor(ref, (o) => {
          if (o) throw boom;
          return false;
        }),
      ).rejects.toBe(boom);
    });

    it("times out with QUIESCE_TIMEOUT and aborts with the signal's reason", async () => {
      const ref = { ...CM, namespace: ctx.namespace, name: "never" };
      const timedOut = await expectCode(
        ctx.cluster.waitFor(ref, (o) => o !== undefined, { timeoutMs: 200 }),
        "QUIESCE_TIMEOUT",
      );
      expect(timedOut.message).toContain("never");
      const controller = new AbortController();
      const reason = new Error("host cancelled");
      const waiting = ctx.cluster.waitFor(ref, (o) => o !== undefined, { signal: controller.signal });
      setTimeout(() => controller.abort(reason), 50);
      await expect(waiting).rejects.toBe(reason);
    });
  });
}
