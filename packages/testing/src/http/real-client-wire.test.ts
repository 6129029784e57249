import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KUBECTL_133_BODIES } from "../protobuf/test-support/kubectl-bodies.js";
import { startHarness } from "./test-support/harness.js";

let h: Awaited<ReturnType<typeof startHarness>>;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

/** The first bytes of a GET: a watch stream starts with an event, a list with its kind. */
async function firstChunk(path: string): Promise<{ type: string | null; text: string }> {
  const controller = new AbortController();
  const res = await fetch(`${h.server.url}${path}`, {
    headers: { authorization: "Bearer test-token" },
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  const { value } = await reader.read();
  controller.abort();
  return { type: res.headers.get("content-type"), text: Buffer.from(value ?? []).toString("utf8") };
}

describe("what real clients send", () => {
  it("reads boolean query parameters as the API server does: True, T and 1 are true; False, 0 are false", async () => {
    await h.api("POST", "/api/v1/namespaces/default/configmaps", { metadata: { name: "c" } });
    for (const yes of ["true", "True", "T", "1", "yes"]) {
      const got = await firstChunk(`/api/v1/namespaces/default/configmaps?watch=${yes}`);
      expect(got.text, yes).toMatch(/^\{"type":"ADDED"/);
    }
    for (const no of ["false", "False", "FALSE", "0"]) {
      const got = await firstChunk(`/api/v1/namespaces/default/configmaps?watch=${no}`);
      expect(got.text, no).toMatch(/"kind":"ConfigMapList"/);
    }
  });

  it("accepts the protobuf body kubectl 1.33 sends for create configmap", async () => {
    const body = Buffer.from(KUBECTL_133_BODIES.configMap, "base64");
    const created = await h.api(
      "POST",
      "/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create&fieldValidation=Strict",
      body,
      "application/vnd.kubernetes.protobuf",
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: "default" },
    });
    const read = await h.api("GET", "/api/v1/namespaces/default/configmaps/settings");
    expect(read.body.data).toEqual({ mode: "fast", empty: "" });
  });

  it("answers kubectl auth can-i and auth whoami, and lists their APIs in discovery", async () => {
    const can = await h.api(
      "POST",
      "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
      Buffer.from(KUBECTL_133_BODIES.accessReview, "base64"),
      "application/vnd.kubernetes.protobuf",
    );
    expect(can.status).toBe(201);
    expect(can.body).toMatchObject({
      kind: "SelfSubjectAccessReview",
      spec: { resourceAttributes: { verb: "create", resource: "pods" } },
      status: { allowed: true },
    });
    const who = await h.api("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {
      apiVersion: "authentication.k8s.io/v1",
      kind: "SelfSubjectReview",
    });
    expect(who.body).toMatchObject({ status: { userInfo: { username: "quiesce-local-admin" } } });
    const groups = await h.api("GET", "/apis");
    const names = (groups.body.groups as Array<{ name: string }>).map((g) => g.name);
    expect(names).toEqual(expect.arrayContaining(["authorization.k8s.io", "authentication.k8s.io"]));
    const resources = await h.api("GET", "/apis/authorization.k8s.io/v1");
    expect(resources.body.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "selfsubjectaccessreviews", verbs: ["create"] }),
      ]),
    );
    expect((await h.api("GET", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")).status).toBe(405);
  });
});
