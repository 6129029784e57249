import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startHarness } from "./test-support/harness.js";

let h: Awaited<ReturnType<typeof startHarness>>;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

type Schemas = Record<string, { properties?: Record<string, Record<string, unknown>>; [k: string]: unknown }>;
const schemasOf = async (path: string) =>
  ((await h.api("GET", path)).body.components as { schemas: Schemas }).schemas;

describe("OpenAPI v3 schemas (kubectl explain)", () => {
  it("serves each built-in kind with its group/version/kind and its fields' JSON names and types", async () => {
    const root = await h.api("GET", "/openapi/v3");
    expect(root.body.paths).toMatchObject({ "api/v1": { serverRelativeURL: "/openapi/v3/api/v1" } });
    const core = await schemasOf("/openapi/v3/api/v1");
    expect(core.Pod?.["x-kubernetes-group-version-kind"]).toEqual([
      { group: "", version: "v1", kind: "Pod" },
    ]);
    expect(core.Pod?.properties).toMatchObject({
      apiVersion: { type: "string" },
      metadata: { $ref: "#/components/schemas/ObjectMeta" },
      spec: { $ref: "#/components/schemas/PodSpec" },
    });
    expect(core.PodSpec?.properties?.containers).toEqual({
      type: "array",
      items: { $ref: "#/components/schemas/Container" },
    });
    expect(core.PodSpec?.properties?.nodeSelector).toEqual({
      type: "object",
      additionalProperties: { type: "string" },
    });
    // ProbeHandler is embedded inline in Go: its actions are the probe's own fields.
    expect(Object.keys(core.Probe?.properties ?? {})).toEqual(
      expect.arrayContaining(["exec", "httpGet", "tcpSocket", "initialDelaySeconds"]),
    );
    expect(core.ObjectMeta?.properties?.creationTimestamp).toEqual({ type: "string", format: "date-time" });
    const apps = await schemasOf("/openapi/v3/apis/apps/v1");
    expect(apps.Deployment?.["x-kubernetes-group-version-kind"]).toEqual([
      { group: "apps", version: "v1", kind: "Deployment" },
    ]);
    expect(apps.DeploymentSpec?.properties?.replicas).toEqual({ type: "integer", format: "int32" });
  });

  it("serves a custom resource with its CRD's schema", async () => {
    await h.api("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "backups.example.com" },
      spec: {
        group: "example.com",
        scope: "Namespaced",
        names: { plural: "backups", singular: "backup", kind: "Backup" },
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: { spec: { type: "object", properties: { keep: { type: "integer" } } } },
              },
            },
          },
        ],
      },
    });
    const schemas = await schemasOf("/openapi/v3/apis/example.com/v1");
    expect(schemas["example.com.v1.Backup"]).toMatchObject({
      "x-kubernetes-group-version-kind": [{ group: "example.com", version: "v1", kind: "Backup" }],
      properties: { spec: { properties: { keep: { type: "integer" } } } },
    });
  });
});
