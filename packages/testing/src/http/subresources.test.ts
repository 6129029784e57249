import { AppsV1Api, CoreV1Api, CustomObjectsApi } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pod, startHarness } from "./test-support/harness.js";

let h: Awaited<ReturnType<typeof startHarness>>;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web" },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: {
        containers: [
          { name: "app", image: "nginx:1" },
          { name: "side", image: "side:1" },
        ],
      },
    },
  },
};

describe("patch types over HTTP", () => {
  it("applies strategic merge patches to built-in types by merge key", async () => {
    await h.api("POST", "/apis/apps/v1/namespaces/default/deployments", deployment);
    const res = await h.api(
      "PATCH",
      "/apis/apps/v1/namespaces/default/deployments/web",
      { spec: { template: { spec: { containers: [{ name: "app", image: "nginx:2" }] } } } },
      "application/strategic-merge-patch+json",
    );
    expect(res.status).toBe(200);
    const containers = (
      res.body.spec as { template: { spec: { containers: { name: string; image: string }[] } } }
    ).template.spec.containers;
    expect(containers).toEqual([
      { name: "app", image: "nginx:2" },
      { name: "side", image: "side:1" },
    ]);
  });

  it("applies JSON patches with test preconditions (422 when the test fails)", async () => {
    await h.api("POST", "/apis/apps/v1/namespaces/default/deployments", deployment);
    const ok = await h.api(
      "PATCH",
      "/apis/apps/v1/namespaces/default/deployments/web",
      [
        { op: "test", path: "/spec/replicas", value: 2 },
        { op: "replace", path: "/spec/replicas", value: 5 },
      ],
      "application/json-patch+json",
    );
    expect((ok.body.spec as { replicas: number }).replicas).toBe(5);
    const failed = await h.api(
      "PATCH",
      "/apis/apps/v1/namespaces/default/deployments/web",
      [{ op: "test", path: "/spec/replicas", value: 2 }],
      "application/json-patch+json",
    );
    expect([failed.status, failed.body.kind]).toEqual([422, "Status"]);
  });

  it("uses a resourceVersion in a merge patch as a precondition, and rejects unknown patch types with 415", async () => {
    await h.api("POST", "/api/v1/namespaces/default/configmaps", {
      metadata: { name: "c" },
      data: { a: "1" },
    });
    const stale = await h.api(
      "PATCH",
      "/api/v1/namespaces/default/configmaps/c",
      { metadata: { resourceVersion: "1" }, data: { a: "2" } },
      "application/merge-patch+json",
    );
    expect([stale.status, stale.body.reason]).toEqual([409, "Conflict"]);
    const unknown = await h.api(
      "PATCH",
      "/api/v1/namespaces/default/configmaps/c",
      { data: {} },
      "text/plain",
    );
    expect([unknown.status, unknown.body.reason]).toEqual([415, "UnsupportedMediaType"]);
    const missing = await h.api(
      "PATCH",
      "/api/v1/namespaces/default/configmaps/nope",
      { data: {} },
      "application/merge-patch+json",
    );
    expect(missing.status).toBe(404);
  });
});

describe("scale subresource", () => {
  it("reads and writes replicas as an autoscaling/v1 Scale through client-node", async () => {
    await h.api("POST", "/apis/apps/v1/namespaces/default/deployments", deployment);
    const apps = h.kc.makeApiClient(AppsV1Api);
    const scale = await apps.readNamespacedDeploymentScale({ namespace: "default", name: "web" });
    expect(scale.spec?.replicas).toBe(2);
    expect(scale.status?.selector).toBe("app=web");
    expect(scale.apiVersion).toBe("autoscaling/v1");
    const replaced = await apps.replaceNamespacedDeploymentScale({
      namespace: "default",
      name: "web",
      body: { metadata: { name: "web", namespace: "default" }, spec: { replicas: 0 } },
    });
    expect(replaced.spec?.replicas).toBe(0);
    const dep = await apps.readNamespacedDeployment({ namespace: "default", name: "web" });
    expect(dep.spec?.replicas).toBe(0);
    const patched = await h.api(
      "PATCH",
      "/apis/apps/v1/namespaces/default/deployments/web/scale",
      { spec: { replicas: 4 } },
      "application/merge-patch+json",
    );
    expect((patched.body.spec as { replicas: number }).replicas).toBe(4);
    const missing = await h.api("GET", "/apis/apps/v1/namespaces/default/deployments/nope/scale");
    expect(missing.status).toBe(404);
  });
});

describe("custom resources", () => {
  it("serves a CRD's resources (CRUD, discovery, watchable lists) once it is created", async () => {
    const crd = await h.api("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {
      metadata: { name: "hooktemplates.core.kubestash.com" },
      spec: {
        group: "core.kubestash.com",
        scope: "Namespaced",
        names: { plural: "hooktemplates", singular: "hooktemplate", kind: "HookTemplate" },
        versions: [{ name: "v1alpha1", served: true, storage: true, subresources: { status: {} } }],
      },
    });
    expect(crd.status).toBe(201);
    const discovery = await h.api("GET", "/apis/core.kubestash.com/v1alpha1");
    expect((discovery.body.resources as { name: string }[]).map((r) => r.name)).toEqual([
      "hooktemplates",
      "hooktemplates/status",
    ]);
    const custom = h.kc.makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({
      group: "core.kubestash.com",
      version: "v1alpha1",
      namespace: "default",
      plural: "hooktemplates",
      body: {
        apiVersion: "core.kubestash.com/v1alpha1",
        kind: "HookTemplate",
        metadata: { name: "freeze" },
        spec: { action: { exec: { command: ["sync"] } } },
      },
    });
    const listed = (await custom.listNamespacedCustomObject({
      group: "core.kubestash.com",
      version: "v1alpha1",
      namespace: "default",
      plural: "hooktemplates",
    })) as {
      kind: string;
      items: { metadata: { name: string } }[];
    };
    expect(listed.kind).toBe("HookTemplateList");
    expect(listed.items.map((i) => i.metadata.name)).toEqual(["freeze"]);
    const smp = await h.api(
      "PATCH",
      "/apis/core.kubestash.com/v1alpha1/namespaces/default/hooktemplates/freeze",
      { spec: {} },
      "application/strategic-merge-patch+json",
    );
    expect(smp.status).toBe(415);
    await h.api(
      "DELETE",
      "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/hooktemplates.core.kubestash.com",
    );
    expect(
      (await h.api("GET", "/apis/core.kubestash.com/v1alpha1/namespaces/default/hooktemplates")).status,
    ).toBe(404);
  });
});

const rsSpec = {
  selector: { matchLabels: { app: "x" } },
  template: { metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "app", image: "busybox" }] } },
};

describe("deletion over HTTP", () => {
  it("cascades per propagationPolicy given in the query or the DeleteOptions body", async () => {
    const owner = await h.api("POST", "/apis/apps/v1/namespaces/default/replicasets", {
      metadata: { name: "rs" },
      spec: rsSpec,
    });
    const ref = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      name: "rs",
      uid: (owner.body.metadata as { uid: string }).uid,
      controller: true,
    };
    await h.api("POST", "/api/v1/namespaces/default/pods", {
      ...pod("a"),
      metadata: { name: "a", ownerReferences: [ref] },
    });
    await h.api("DELETE", "/apis/apps/v1/namespaces/default/replicasets/rs", {
      kind: "DeleteOptions",
      apiVersion: "v1",
      propagationPolicy: "Orphan",
    });
    const orphan = await h.api("GET", "/api/v1/namespaces/default/pods/a");
    expect((orphan.body.metadata as { ownerReferences?: unknown }).ownerReferences).toBeUndefined();

    const owner2 = await h.api("POST", "/apis/apps/v1/namespaces/default/replicasets", {
      metadata: { name: "rs2" },
      spec: rsSpec,
    });
    const ref2 = { ...ref, name: "rs2", uid: (owner2.body.metadata as { uid: string }).uid };
    await h.api("POST", "/api/v1/namespaces/default/pods", {
      ...pod("b"),
      metadata: { name: "b", ownerReferences: [ref2] },
    });
    await h.api("DELETE", "/apis/apps/v1/namespaces/default/replicasets/rs2?propagationPolicy=Background");
    expect((await h.api("GET", "/api/v1/namespaces/default/pods/b")).status).toBe(404);
  });

  it("deletes a namespace with everything in it", async () => {
    const core = h.kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: "gone" } } });
    await core.createNamespacedConfigMap({ namespace: "gone", body: { metadata: { name: "c" } } });
    await core.deleteNamespace({ name: "gone" });
    await expect(core.readNamespace({ name: "gone" })).rejects.toMatchObject({ code: 404 });
    expect((await h.api("GET", "/api/v1/namespaces/gone/configmaps")).body.items).toEqual([]);
  });

  it("deletes a collection by label selector", async () => {
    await h.api("POST", "/api/v1/namespaces/default/pods", pod("x1", { labels: { batch: "1" } }));
    await h.api("POST", "/api/v1/namespaces/default/pods", pod("x2", { labels: { batch: "1" } }));
    await h.api("POST", "/api/v1/namespaces/default/pods", pod("y", { labels: { batch: "2" } }));
    await h.api("DELETE", "/api/v1/namespaces/default/pods?labelSelector=batch%3D1");
    const left = await h.api("GET", "/api/v1/namespaces/default/pods");
    expect((left.body.items as { metadata: { name: string } }[]).map((p) => p.metadata.name)).toEqual(["y"]);
  });
});

describe("validation and dry runs", () => {
  it("rejects pods without images and workloads whose selector misses the template, naming the fields", async () => {
    const pod = await h.api("POST", "/api/v1/namespaces/default/pods", {
      metadata: { name: "p" },
      spec: { containers: [{ name: "app" }, { name: "app", image: "x" }] },
    });
    expect(pod.status).toBe(422);
    const fields = (pod.body.details as { causes: { field: string }[] }).causes.map((c) => c.field);
    expect(fields).toEqual(["spec.containers[0].image", "spec.containers[1].name"]);
    const dep = await h.api("POST", "/apis/apps/v1/namespaces/default/deployments", {
      ...deployment,
      spec: { ...deployment.spec, selector: { matchLabels: { app: "other" } } },
    });
    expect(dep.status).toBe(422);
    expect((dep.body.details as { causes: { field: string }[] }).causes[0]?.field).toBe(
      "spec.template.metadata.labels",
    );
  });

  it("checks but persists nothing with dryRun=All", async () => {
    const dry = await h.api("POST", "/api/v1/namespaces/default/configmaps?dryRun=All", {
      metadata: { name: "dry" },
    });
    expect(dry.status).toBe(201);
    expect((await h.api("GET", "/api/v1/namespaces/default/configmaps/dry")).status).toBe(404);
    await h.api("POST", "/api/v1/namespaces/default/configmaps", {
      metadata: { name: "real" },
      data: { a: "1" },
    });
    const patched = await h.api(
      "PATCH",
      "/api/v1/namespaces/default/configmaps/real?dryRun=All",
      { data: { a: "2" } },
      "application/merge-patch+json",
    );
    expect(patched.body.data).toEqual({ a: "2" });
    await h.api("DELETE", "/api/v1/namespaces/default/configmaps/real?dryRun=All");
    expect((await h.api("GET", "/api/v1/namespaces/default/configmaps/real")).body.data).toEqual({ a: "1" });
    expect(
      (await h.api("POST", "/api/v1/namespaces/default/configmaps?dryRun=Some", { metadata: { name: "x" } }))
        .status,
    ).toBe(400);
  });
});

describe("log", () => {
  it("streams a container's log with tailLines, limitBytes and follow", async () => {
    await h.api("POST", "/api/v1/namespaces/default/pods", pod("l"));
    h.podIO.logsByContainer.set("l/app", "one\ntwo\nthree\n");
    const core = h.kc.makeApiClient(CoreV1Api);
    expect(await core.readNamespacedPodLog({ namespace: "default", name: "l" })).toBe("one\ntwo\nthree\n");
    expect(await core.readNamespacedPodLog({ namespace: "default", name: "l", tailLines: 1 })).toBe(
      "three\n",
    );
    expect(await core.readNamespacedPodLog({ namespace: "default", name: "l", limitBytes: 5 })).toBe(
      "one\nt",
    );
    const followed = await h.api("GET", "/api/v1/namespaces/default/pods/l/log?follow=true");
    expect(followed.body.text).toBe("one\ntwo\nthree\nfollow 0\nfollow 1\nfollow 2\n");
    const wrong = await h.api("GET", "/api/v1/namespaces/default/pods/l/log?container=nope");
    expect([wrong.status, wrong.body.message]).toEqual([400, "container nope is not valid for pod l"]);
  });
});
