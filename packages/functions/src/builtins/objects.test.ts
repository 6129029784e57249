import type { KubeObject } from "@quiesce/kube";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBlueprintAction } from "../runner/run-action.js";
import { blueprintOf, startEnv, type TestEnv } from "../test-support/local.js";

let env: TestEnv;
const ref = { group: "example.com", version: "v1", resource: "widgets", namespace: "app" };

beforeAll(async () => {
  env = await startEnv(["app"]);
  await env.lc.apply(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget }
  versions:
  - name: v1
    served: true
    storage: true
    schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
`);
});
afterAll(() => env.lc.stop());

const run = (phases: unknown[]) =>
  runBlueprintAction(blueprintOf(phases), "run", {
    cluster: env.lc.cluster,
    registry: env.registry,
    subject: { kind: "Namespace", name: "app" },
  });

/** Sets a widget's status after `ms`, as its controller would. */
function flipStatusLater(name: string, status: Record<string, unknown>, ms: number): void {
  setTimeout(() => {
    void env.lc.cluster.patch({ ...ref, name }, { status }, "merge").catch(() => {});
  }, ms);
}

const widget = (name: string) =>
  env.lc.cluster.create({
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name, namespace: "app" },
    spec: {},
  });

describe("Wait", () => {
  it("waits until a { $.jsonpath } condition holds (anyOf)", async () => {
    await widget("w1");
    flipStatusLater("w1", { health: "green" }, 50);
    const result = await run([
      {
        func: "Wait",
        name: "wait",
        args: {
          timeout: "10s",
          conditions: {
            anyOf: [
              {
                condition:
                  '{{ if or (eq "{ $.status.health }" "green") (eq "{ $.status.health }" "yellow") }}true{{ else }}false{{ end }}',
                objectReference: {
                  apiVersion: "v1",
                  group: "example.com",
                  resource: "widgets",
                  name: "w1",
                  namespace: "{{ .Namespace.Name }}",
                },
              },
            ],
          },
        },
      },
    ]);
    expect(result.status).toBe("succeeded");
    const obj = (await env.lc.cluster.get({ ...ref, name: "w1" })) as KubeObject & {
      status?: { health?: string };
    };
    expect(obj.status?.health).toBe("green");
  });

  it("requires every allOf condition at once", async () => {
    await widget("a1");
    await widget("a2");
    flipStatusLater("a1", { ready: "yes" }, 20);
    flipStatusLater("a2", { ready: "yes" }, 80);
    const cond = (name: string) => ({
      condition: '{{ if eq "{$.status.ready}" "yes" }}true{{ end }}',
      objectReference: { apiVersion: "example.com/v1", resource: "widgets", name, namespace: "app" },
    });
    const result = await run([
      { func: "Wait", name: "w", args: { timeout: "10s", conditions: { allOf: [cond("a1"), cond("a2")] } } },
    ]);
    expect(result.status).toBe("succeeded");
  });

  it("times out with the last evaluation error", async () => {
    await widget("never");
    const result = await run([
      {
        func: "Wait",
        name: "w",
        args: {
          timeout: "200ms",
          conditions: {
            anyOf: [
              {
                condition: '{{ if "{$.status.finishTime}" }}true{{ end }}',
                objectReference: {
                  apiVersion: "v1",
                  group: "example.com",
                  resource: "widgets",
                  name: "never",
                  namespace: "app",
                },
              },
            ],
          },
        },
      },
    ]);
    const error = result.phases[0]?.error;
    expect(error?.code).toBe("QUIESCE_TIMEOUT");
    expect(error?.message).toBe("Wait: conditions not met within 200ms");
    expect(error?.cause?.message).toBe("status is not found (JSONPath $.status.finishTime)");
  });
});

describe("WaitV2", () => {
  it("evaluates a Go template over the object itself", async () => {
    await widget("v2");
    flipStatusLater("v2", { conditions: [{ type: "ContainersReady", status: "True" }] }, 40);
    const result = await run([
      {
        func: "WaitV2",
        name: "w",
        args: {
          timeout: "5s",
          conditions: {
            anyOf: [
              {
                condition:
                  '{{ $available := false }}{{ range $condition := $.status.conditions }}{{ if and (eq .type "ContainersReady") (eq .status "True") }}{{ $available = true }}{{ end }}{{ end }}{{ $available }}',
                objectReference: {
                  apiVersion: "v1",
                  group: "example.com",
                  resource: "widgets",
                  name: "v2",
                  namespace: "app",
                },
              },
            ],
          },
        },
      },
    ]);
    expect(result.status).toBe("succeeded");
  });
});

describe("KubeOps", () => {
  it("creates from a YAML spec (outputting the reference), patches and deletes (waiting for the deletion)", async () => {
    const result = await run([
      {
        func: "KubeOps",
        name: "create",
        args: {
          operation: "create",
          namespace: "{{ .Namespace.Name }}",
          spec: "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: made-{{ .Namespace.Name }}\nspec:\n  size: 1\n",
        },
      },
      {
        func: "KubeOps",
        name: "patch",
        args: {
          operation: "patch",
          spec: "spec:\n  size: 2\n",
          objectReference: {
            apiVersion: "{{ .Phases.create.Output.apiVersion }}",
            group: "{{ .Phases.create.Output.group }}",
            resource: "{{ .Phases.create.Output.resource }}",
            name: "{{ .Phases.create.Output.name }}",
            namespace: "{{ .Phases.create.Output.namespace }}",
          },
        },
      },
    ]);
    expect(result.status).toBe("succeeded");
    expect(result.phases[0]?.output).toEqual({
      apiVersion: "v1",
      group: "example.com",
      resource: "widgets",
      kind: "Widget",
      name: "made-app",
      namespace: "app",
    });
    const patched = (await env.lc.cluster.get({ ...ref, name: "made-app" })) as { spec?: { size?: number } };
    expect(patched.spec?.size).toBe(2);

    const del = await run([
      {
        func: "KubeOps",
        name: "delete",
        args: {
          operation: "delete",
          objectReference: {
            apiVersion: "v1",
            group: "example.com",
            resource: "widgets",
            name: "made-app",
            namespace: "app",
          },
        },
      },
    ]);
    expect(del.status).toBe("succeeded");
    await expect(env.lc.cluster.get({ ...ref, name: "made-app" })).rejects.toMatchObject({
      code: "QUIESCE_KUBE_NOT_FOUND",
    });
  });

  it("rejects an empty spec and an incomplete objectReference", async () => {
    const result = await run([{ func: "KubeOps", name: "c", args: { operation: "create", spec: "" } }]);
    expect(result.phases[0]?.error?.message).toBe("KubeOps create: spec cannot be empty");
    const del = await run([
      { func: "KubeOps", name: "d", args: { operation: "delete", objectReference: { name: "x" } } },
    ]);
    expect(del.phases[0]?.error?.message).toMatch(/objectReference needs name, apiVersion and resource/);
  });
});
