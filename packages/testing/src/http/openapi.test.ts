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

  it("serves /openapi/v2 as JSON and as the protobuf kubectl before 1.27 reads", async () => {
    const json = await h.api("GET", "/openapi/v2");
    const definitions = json.body.definitions as Record<string, { properties?: Record<string, unknown> }>;
    expect(json.body.swagger).toBe("2.0");
    expect(definitions.Deployment?.properties?.spec).toEqual({ $ref: "#/definitions/DeploymentSpec" });
    // Quantities and int-or-string values are left untyped, so client-side validation accepts 1 and "1".
    expect(definitions.ContainerPort?.properties?.containerPort).toEqual({
      type: "integer",
      format: "int32",
    });
    expect(definitions.HTTPGetAction?.properties?.port).toEqual({ "x-kubernetes-int-or-string": true });
    const res = await fetch(`${h.server.url}/openapi/v2`, {
      headers: {
        authorization: "Bearer test-token",
        accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf",
      },
    });
    expect(res.headers.get("content-type")).toBe(
      "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
    );
    const body = Buffer.from(await res.arrayBuffer());
    // Document.swagger (field 1) = "2.0", then the paths carry each kind's PATCH with dryRun.
    expect(body.subarray(0, 5)).toEqual(Buffer.from([0x0a, 0x03, 0x32, 0x2e, 0x30]));
    expect(body.includes(Buffer.from("/apis/apps/v1/namespaces/{namespace}/deployments/{name}"))).toBe(true);
    expect(body.includes(Buffer.from("dryRun"))).toBe(true);
  });
});
