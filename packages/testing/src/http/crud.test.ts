import { AppsV1Api, CoreV1Api, KubernetesObjectApi } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pod, startHarness } from "./test-support/harness.js";

let h: Awaited<ReturnType<typeof startHarness>>;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe("CRUD over HTTP", () => {
  it("creates, reads, lists, replaces and deletes a ConfigMap with server-filled metadata", async () => {
    const created = await h.api("POST", "/api/v1/namespaces/default/configmaps", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", labels: { app: "web" } },
      data: { a: "1" },
    });
    expect(created.status).toBe(201);
    const meta = created.body.metadata as Record<string, unknown>;
    expect(meta.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta.namespace).toBe("default");
    expect(meta.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Number(meta.resourceVersion)).toBeGreaterThan(0);

    const got = await h.api("GET", "/api/v1/namespaces/default/configmaps/settings");
    expect(got.body.data).toEqual({ a: "1" });

    const replaced = await h.api("PUT", "/api/v1/namespaces/default/configmaps/settings", {
      ...got.body,
      data: { a: "2" },
    });
    expect(replaced.status).toBe(200);
    expect(Number((replaced.body.metadata as { resourceVersion: string }).resourceVersion)).toBeGreaterThan(
      Number(meta.resourceVersion),
    );

    const stale = await h.api("PUT", "/api/v1/namespaces/default/configmaps/settings", {
      ...got.body,
      data: { a: "3" },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe("Conflict");

    const list = await h.api("GET", "/api/v1/namespaces/default/configmaps");
    expect(list.body.kind).toBe("ConfigMapList");
    expect((list.body.items as unknown[]).length).toBe(1);

    const del = await h.api("DELETE", "/api/v1/namespaces/default/configmaps/settings");
    expect(del.status).toBe(200);
    expect((await h.api("GET", "/api/v1/namespaces/default/configmaps/settings")).status).toBe(404);
  });

  it("answers NotFound with the API server's exact Status body", async () => {
    const res = await h.api("GET", "/api/v1/namespaces/default/pods/x");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'pods "x" not found',
      reason: "NotFound",
      details: { name: "x", kind: "pods" },
      code: 404,
    });
  });

  it("rejects duplicates, invalid names, missing namespaces and wrong tokens with the right reasons", async () => {
    await h.api("POST", "/api/v1/namespaces/default/pods", pod("a"));
    const dup = await h.api("POST", "/api/v1/namespaces/default/pods", pod("a"));
    expect([dup.status, dup.body.reason, dup.body.message]).toEqual([
      409,
      "AlreadyExists",
      'pods "a" already exists',
    ]);

    const bad = await h.api("POST", "/api/v1/namespaces/default/pods", pod("Bad_Name"));
    expect([bad.status, bad.body.reason]).toEqual([422, "Invalid"]);
    const causes = (bad.body.details as { causes: { field: string }[] }).causes;
    expect(causes[0]?.field).toBe("metadata.name");

    const nons = await h.api("POST", "/api/v1/namespaces/nowhere/pods", pod("a"));
    expect([nons.status, nons.body.message]).toEqual([404, 'namespaces "nowhere" not found']);

    const unauth = await fetch(`${h.server.url}/api/v1/pods`, { headers: { authorization: "Bearer wrong" } });
    expect(unauth.status).toBe(401);
    expect(((await unauth.json()) as { reason: string }).reason).toBe("Unauthorized");

    const sel = await h.api("GET", "/api/v1/pods?labelSelector=a%20in%20(");
    expect([sel.status, sel.body.reason]).toEqual([400, "BadRequest"]);
    const field = await h.api("GET", "/api/v1/pods?fieldSelector=spec.bogus%3D1");
    expect([field.status, field.body.message]).toEqual([400, "field label not supported: spec.bogus"]);
  });

  it("honours generateName, folds Secret stringData into base64 data, and bumps generation only on spec changes", async () => {
    const gen = await h.api("POST", "/api/v1/namespaces/default/pods", {
      ...pod(""),
      metadata: { generateName: "job-" },
    });
    expect((gen.body.metadata as { name: string }).name).toMatch(/^job-[a-z0-9]{5}$/);

    const secret = await h.api("POST", "/api/v1/namespaces/default/secrets", {
      metadata: { name: "creds" },
      stringData: { password: "hunter2" },
    });
    expect(secret.body.data).toEqual({ password: Buffer.from("hunter2").toString("base64") });
    expect(secret.body.stringData).toBeUndefined();

    const apps = h.kc.makeApiClient(AppsV1Api);
    const dep = await apps.createNamespacedDeployment({
      namespace: "default",
      body: {
        metadata: { name: "web" },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: { containers: [{ name: "app", image: "nginx" }] },
          },
        },
      },
    });
    expect(dep.metadata?.generation).toBe(1);
    // client-node's typed patch sends application/json-patch+json.
    const labelled = await apps.patchNamespacedDeployment({
      namespace: "default",
      name: "web",
      body: [{ op: "add", path: "/metadata/labels", value: { x: "y" } }],
    });
    expect(labelled.metadata?.generation).toBe(1);
    const scaled = await apps.patchNamespacedDeployment({
      namespace: "default",
      name: "web",
      body: [{ op: "replace", path: "/spec/replicas", value: 3 }],
    });
    expect(scaled.metadata?.generation).toBe(2);
  });

  it("keeps status out of main-resource writes and lets /status change only status", async () => {
    const created = await h.api(
      "POST",
      "/api/v1/namespaces/default/pods",
      pod("p", { status: { phase: "Running" } }),
    );
    expect(created.body.status).toEqual({ phase: "Pending" });
    const statusPut = await h.api("PUT", "/api/v1/namespaces/default/pods/p/status", {
      ...created.body,
      spec: { containers: [{ name: "other", image: "x" }] },
      status: { phase: "Running" },
    });
    expect(statusPut.body.status).toEqual({ phase: "Running" });
    expect((statusPut.body.spec as { containers: { name: string }[] }).containers[0]?.name).toBe("app");
    const mainPatch = await h.api(
      "PATCH",
      "/api/v1/namespaces/default/pods/p",
      { status: { phase: "Failed" } },
      "application/merge-patch+json",
    );
    expect(mainPatch.body.status).toEqual({ phase: "Running" });
  });

  it("lists across namespaces, with selectors and limit/continue paging", async () => {
    await h.api("POST", "/api/v1/namespaces", { metadata: { name: "other" } });
    for (const [ns, name, tier] of [
      ["default", "a", "web"],
      ["default", "b", "db"],
      ["other", "c", "web"],
      ["other", "d", "cache"],
    ] as const) {
      await h.api("POST", `/api/v1/namespaces/${ns}/pods`, pod(name, { labels: { tier } }));
    }
    const all = await h.api("GET", "/api/v1/pods");
    expect((all.body.items as unknown[]).length).toBe(4);
    const web = await h.api(
      "GET",
      `/api/v1/pods?labelSelector=${encodeURIComponent("tier in (web,cache),tier!=cache")}`,
    );
    expect((web.body.items as { metadata: { name: string } }[]).map((p) => p.metadata.name)).toEqual([
      "a",
      "c",
    ]);
    const byName = await h.api("GET", "/api/v1/pods?fieldSelector=metadata.name%3Dd");
    expect((byName.body.items as unknown[]).length).toBe(1);

    const page1 = await h.api("GET", "/api/v1/pods?limit=3");
    const meta = page1.body.metadata as { continue: string; remainingItemCount: number };
    expect((page1.body.items as unknown[]).length).toBe(3);
    expect(meta.remainingItemCount).toBe(1);
    const page2 = await h.api("GET", `/api/v1/pods?limit=3&continue=${meta.continue}`);
    expect((page2.body.items as { metadata: { name: string } }[]).map((p) => p.metadata.name)).toEqual(["d"]);
  });

  it("serves discovery documents that list subresources and groups", async () => {
    const core = await h.api("GET", "/api/v1");
    const names = (core.body.resources as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining(["pods", "pods/exec", "pods/log", "pods/status", "namespaces", "secrets"]),
    );
    const apps = await h.api("GET", "/apis/apps/v1");
    const scale = (apps.body.resources as { name: string; kind: string; group?: string }[]).find(
      (r) => r.name === "deployments/scale",
    );
    expect(scale).toMatchObject({ kind: "Scale", group: "autoscaling" });
    const groups = await h.api("GET", "/apis");
    expect((groups.body.groups as { name: string }[]).map((g) => g.name)).toEqual(
      expect.arrayContaining(["apps", "batch", "apiextensions.k8s.io"]),
    );
    expect((await h.api("GET", "/api")).body.versions).toEqual(["v1"]);
    expect((await h.api("GET", "/version")).body.major).toBe("1");
    expect((await h.api("GET", "/openapi/v2")).body.swagger).toBe("2.0");
    const root = await h.api("GET", "/openapi/v3");
    expect(Object.keys(root.body.paths as object)).toEqual(
      expect.arrayContaining(["api/v1", "apis/apps/v1"]),
    );
    const appsDoc = await h.api("GET", "/openapi/v3/apis/apps/v1");
    const patch = (appsDoc.body.paths as Record<string, { patch: Record<string, unknown> }>)[
      "/apis/apps/v1/namespaces/{namespace}/deployments/{name}"
    ]?.patch;
    expect(patch?.["x-kubernetes-group-version-kind"]).toEqual({
      group: "apps",
      version: "v1",
      kind: "Deployment",
    });
    expect(patch?.parameters).toContainEqual(
      expect.objectContaining({ name: "fieldValidation", in: "query" }),
    );
  });

  it("accepts YAML bodies and answers protobuf with 415", async () => {
    const yaml = await h.api(
      "POST",
      "/api/v1/namespaces/default/configmaps",
      "metadata:\n  name: from-yaml\ndata:\n  k: v\n",
      "application/yaml",
    );
    expect([yaml.status, yaml.body.data]).toEqual([201, { k: "v" }]);
    const proto = await h.api(
      "POST",
      "/api/v1/namespaces/default/configmaps",
      "k8s\u0000",
      "application/vnd.kubernetes.protobuf",
    );
    expect([proto.status, proto.body.reason]).toEqual([415, "UnsupportedMediaType"]);
  });

  it("works through client-node's CoreV1Api and KubernetesObjectApi", async () => {
    const core = h.kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "cm" }, data: { k: "v" } },
    });
    const read = await core.readNamespacedConfigMap({ namespace: "default", name: "cm" });
    expect(read.data).toEqual({ k: "v" });
    await expect(
      core.readNamespacedConfigMap({ namespace: "default", name: "missing" }),
    ).rejects.toMatchObject({ code: 404 });

    const objects = KubernetesObjectApi.makeApiClient(h.kc);
    const made = await objects.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "obj", namespace: "default" },
      data: { a: "1" },
    });
    expect((made.metadata as { uid?: string } | undefined)?.uid).toBeTruthy();
    const patched = await objects.patch(
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "obj", namespace: "default" },
        data: { b: "2" },
      } as never,
      undefined,
      undefined,
      undefined,
      undefined,
      "application/merge-patch+json" as never,
    );
    expect((patched as { data: unknown }).data).toEqual({ a: "1", b: "2" });
  });
});
