import type { KubeObject } from "@quiesce/kube";
import { yamlAliasBomb, yamlOversize } from "@quiesce/testing";
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
      objectReference: {
        apiVersion: "v1",
        group: "example.com",
        resource: "widgets",
        name,
        namespace: "app",
      },
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
    // Kanister pkg/function/wait.go: the deadline error wrapped with the last evaluation error.
    expect(error?.code).toBe("QUIESCE_TIMEOUT");
    expect(error?.message).toBe(
      "Wait: status is not found (JSONPath $.status.finishTime): Failed to wait for the condition to be met: context deadline exceeded",
    );
    expect(error?.cause?.message).toBe("status is not found (JSONPath $.status.finishTime)");
  });
});

// Kanister pkg/function/wait.go waitForCondition: each round evaluates anyOf in order (an error ends
// the round, a true ends the wait), then allOf in order; it ends when the round's result is true.
describe("Wait: anyOf and allOf as Kanister evaluates them", () => {
  const cond = (name: string, condition: string) => ({
    condition,
    objectReference: { apiVersion: "v1", group: "example.com", resource: "widgets", name, namespace: "app" },
  });
  const isReady = '{{ if eq "{$.status.ready}" "yes" }}true{{ end }}';
  const waitFor = (conditions: Record<string, unknown>, timeout = "5s") =>
    run([{ func: "Wait", name: "w", args: { timeout, conditions } }]);

  it("is done when either group holds: anyOf true while allOf is false", async () => {
    await widget("either-any");
    await widget("either-all");
    flipStatusLater("either-any", { ready: "yes" }, 20);
    const result = await waitFor({
      anyOf: [cond("either-any", isReady)],
      allOf: [cond("either-all", isReady)],
    });
    expect(result.status).toBe("succeeded");
  });

  it("is done when allOf holds while no anyOf does (an anyOf that evaluates, to false)", async () => {
    await widget("all-a");
    await env.lc.cluster.patch({ ...ref, name: "all-a" }, { status: { ready: "no" } }, "merge");
    await widget("all-b");
    flipStatusLater("all-b", { ready: "yes" }, 20);
    const result = await waitFor({
      anyOf: [cond("all-a", isReady)],
      allOf: [cond("all-b", isReady)],
    });
    expect(result.status).toBe("succeeded");
  });

  it("lets an anyOf condition that cannot be evaluated end each round: a later one that holds does not count", async () => {
    await widget("later-true");
    await env.lc.cluster.patch({ ...ref, name: "later-true" }, { status: { ready: "yes" } }, "merge");
    const result = await waitFor(
      { anyOf: [cond("missing-widget", isReady), cond("later-true", isReady)] },
      "300ms",
    );
    expect(result.status).toBe("failed");
    expect(result.phases[0]?.error?.message).toMatch(/not found: Failed to wait for the condition to be met/);
  });

  it("with no condition at all waits out its timeout and fails", async () => {
    const result = await waitFor({}, "200ms");
    expect(result.phases[0]?.error?.message).toBe(
      "Wait: Failed to wait for the condition to be met: context deadline exceeded",
    );
  });

  it("renders every argument first: a condition that cannot be rendered over the TemplateParams fails the phase", async () => {
    await widget("render");
    const result = await waitFor({ anyOf: [cond("render", "{{ .status.phase }}")] });
    expect(result.status).toBe("failed");
    // Kanister's TemplateParams is a struct: a field it lacks is not a missing map key.
    expect(result.phases[0]?.error?.code).toBe("QUIESCE_TEMPLATE_EXEC");
    expect(result.phases[0]?.error?.message).toContain(
      "can't evaluate field status in type param.TemplateParams",
    );
  });
});

describe("WaitV2", () => {
  it("offers kubectl's printer functions (exists) and never holds a condition that does not parse", async () => {
    await widget("v2-exists");
    flipStatusLater("v2-exists", { ready: "yes" }, 20);
    const reference = {
      apiVersion: "v1",
      group: "example.com",
      resource: "widgets",
      name: "v2-exists",
      namespace: "app",
    };
    const waited = await run([
      {
        func: "WaitV2",
        name: "w",
        args: {
          timeout: "5s",
          conditions: {
            anyOf: [
              { condition: '{{ if exists . "status" "ready" }}true{{ end }}', objectReference: reference },
            ],
          },
        },
      },
    ]);
    expect(waited.status).toBe("succeeded");
    const bad = [
      {
        func: "WaitV2",
        name: "w",
        args: {
          timeout: "200ms",
          conditions: { anyOf: [{ condition: "{{ if }}true", objectReference: reference }] },
        },
      },
    ];
    // Validation refuses it (it can never hold); run anyway, it times out: kubectl's printer returns
    // no text and no error for a template that does not parse.
    expect((await run(bad)).error?.message).toMatch(/conditions\.anyOf\[0\]\.condition: template syntax/);
    const unparsable = await runBlueprintAction(blueprintOf(bad), "run", {
      cluster: env.lc.cluster,
      registry: env.registry,
      subject: { kind: "Namespace", name: "app" },
      validate: false,
    });
    expect(unparsable.phases[0]?.error?.message).toBe(
      "WaitV2: Failed to wait for the condition to be met: context deadline exceeded",
    );
  });

  it("has kubectl's function set, not sprig's: a condition calling lower never holds (cli-runtime template.go)", async () => {
    await widget("v2-sprig");
    await env.lc.cluster.patch({ ...ref, name: "v2-sprig" }, { status: { ready: "YES" } }, "merge");
    const reference = {
      apiVersion: "v1",
      group: "example.com",
      resource: "widgets",
      name: "v2-sprig",
      namespace: "app",
    };
    const phases = (condition: string) => [
      {
        func: "WaitV2",
        name: "w",
        args: { timeout: "300ms", conditions: { anyOf: [{ condition, objectReference: reference }] } },
      },
    ];
    const options = {
      cluster: env.lc.cluster,
      registry: env.registry,
      subject: { kind: "Namespace", name: "app" },
    } as const;
    // The same test with text/template's own functions holds at once.
    const builtin = await runBlueprintAction(
      blueprintOf(phases('{{ if eq (printf "%s" .status.ready) "YES" }}true{{ end }}')),
      "run",
      options,
    );
    expect(builtin.status).toBe("succeeded");
    const sprig = phases('{{ if eq (lower .status.ready) "yes" }}true{{ end }}');
    expect((await run(sprig)).error?.message).toMatch(
      /conditions\.anyOf\[0\]\.condition: template syntax.*function "lower" not defined/,
    );
    const unvalidated = await runBlueprintAction(blueprintOf(sprig), "run", { ...options, validate: false });
    expect(unvalidated.phases[0]?.error?.message).toBe(
      "WaitV2: Failed to wait for the condition to be met: context deadline exceeded",
    );
  });

  it("reads its timeout as written, unrendered (pkg/function/waitv2.go)", async () => {
    const result = await run([
      {
        func: "WaitV2",
        name: "w",
        args: { timeout: "{{ .Options.t }}", conditions: { anyOf: [] } },
      },
    ]);
    expect(result.phases[0]?.error?.message).toMatch(/^WaitV2: Failed to parse timeout/);
  });

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
                  '{{ $up := false }}{{ range $.status.conditions }}{{ if eq .type "ContainersReady" }}{{ $up = eq .status "True" }}{{ end }}{{ end }}{{ $up }}',
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
  it("refuses a spec that is an alias bomb or expands too far, creating nothing", async () => {
    const create = (spec: string) => ({
      func: "KubeOps",
      name: "create",
      args: { operation: "create", spec },
    });
    const head = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: bomb, namespace: app }\n";
    const bomb = await run([create(yamlAliasBomb(head))]);
    expect(bomb.phases[0]?.error).toMatchObject({
      code: "QUIESCE_VALIDATION",
      message: "invalid KubeOps spec YAML: Excessive alias count indicates a resource exhaustion attack",
    });
    const big = await run([create(yamlOversize(head))]);
    expect(big.phases[0]?.error?.message).toBe(
      "invalid KubeOps spec: copies: expands to more than 1000000 values (shared subtrees or YAML aliases repeat it)",
    );
    const { items } = await env.lc.cluster.list({ version: "v1", resource: "configmaps", namespace: "app" });
    expect(items.map((o) => o.metadata?.name)).not.toContain("bomb");
  });

  it("creates from a YAML spec (outputting the reference, kind empty), patches and deletes (waiting for the deletion)", async () => {
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
        name: "cm",
        args: {
          operation: "create",
          spec: "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: app }\ndata: { a: '1' }\n",
        },
      },
      {
        func: "KubeOps",
        name: "patch",
        args: {
          operation: "patch",
          spec: "data:\n  b: '2'\n",
          objectReference: {
            apiVersion: "{{ .Phases.cm.Output.apiVersion }}",
            group: "{{ .Phases.cm.Output.group }}",
            resource: "{{ .Phases.cm.Output.resource }}",
            name: "{{ .Phases.cm.Output.name }}",
            namespace: "{{ .Phases.cm.Output.namespace }}",
          },
        },
      },
    ]);
    expect(result.status).toBe("succeeded");
    // Kanister pkg/kube/kubectl.go Create: the created object's reference, Kind left empty.
    expect(result.phases[0]?.output).toEqual({
      apiVersion: "v1",
      group: "example.com",
      resource: "widgets",
      kind: "",
      name: "made-app",
      namespace: "app",
    });
    // The spec's namespace wins over the default "default".
    expect(result.phases[1]?.output).toMatchObject({ name: "settings", namespace: "app", group: "" });
    const patched = (await env.lc.cluster.get({
      version: "v1",
      resource: "configmaps",
      namespace: "app",
      name: "settings",
    })) as {
      data?: Record<string, string>;
    };
    expect(patched.data).toEqual({ a: "1", b: "2" });

    // Delete: the reference as given is the output (no namespace in it: none in the output).
    const del = await run([
      {
        func: "KubeOps",
        name: "delete",
        args: {
          operation: "delete",
          namespace: "app",
          objectReference: {
            apiVersion: "v1",
            group: "example.com",
            resource: "widgets",
            name: "made-app",
            kind: "Widget",
          },
        },
      },
    ]);
    expect(del.status).toBe("succeeded");
    expect(del.phases[0]?.output).toEqual({
      apiVersion: "v1",
      group: "example.com",
      resource: "widgets",
      kind: "Widget",
      name: "made-app",
    });
    await expect(env.lc.cluster.get({ ...ref, name: "made-app" })).rejects.toMatchObject({
      code: "QUIESCE_KUBE_NOT_FOUND",
    });
  });

  it("patches a custom resource with a strategic merge patch, which the API server refuses, as in Kanister", async () => {
    await widget("strategic");
    const result = await run([
      {
        func: "KubeOps",
        name: "patch",
        args: {
          operation: "patch",
          spec: "spec:\n  size: 2\n",
          objectReference: {
            apiVersion: "v1",
            group: "example.com",
            resource: "widgets",
            name: "strategic",
            namespace: "app",
          },
        },
      },
    ]);
    expect(result.status).toBe("failed");
    expect(result.phases[0]?.error?.message).toMatch(/unknown format|UnsupportedMediaType|415/);
  });

  // Kanister pkg/kube/kubectl.go Create: the builder maps every document before the first create,
  // and the loop's `namespace = info.Namespace` stays for later documents that name none.
  it("creates several documents as Kanister's loop does: a document's namespace stays for the next ones", async () => {
    const result = await run([
      {
        func: "KubeOps",
        name: "many",
        args: {
          operation: "create",
          namespace: "app",
          spec: [
            "apiVersion: v1\nkind: Namespace\nmetadata: { name: kops }",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: first, namespace: kops }",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: second }",
          ].join("\n---\n"),
        },
      },
    ]);
    expect(result.status).toBe("succeeded");
    expect(result.phases[0]?.output).toMatchObject({
      resource: "configmaps",
      name: "second",
      namespace: "kops",
    });
    await env.lc.cluster.get({ version: "v1", resource: "configmaps", namespace: "kops", name: "second" });
  });

  it("creates nothing when one document's kind is not served", async () => {
    const result = await run([
      {
        func: "KubeOps",
        name: "partial",
        args: {
          operation: "create",
          spec: "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: early, namespace: app }\n---\napiVersion: example.com/v1\nkind: Gadget\nmetadata: { name: g }\n",
        },
      },
    ]);
    expect(result.status).toBe("failed");
    await expect(
      env.lc.cluster.get({ version: "v1", resource: "configmaps", namespace: "app", name: "early" }),
    ).rejects.toMatchObject({ code: "QUIESCE_KUBE_NOT_FOUND" });
  });

  it("refuses what Kanister refuses: an empty spec, an incomplete reference, an unknown operation, a group/version apiVersion", async () => {
    const result = await run([{ func: "KubeOps", name: "c", args: { operation: "create", spec: "" } }]);
    expect(result.phases[0]?.error?.message).toBe("KubeOps: spec cannot be empty for create operation");
    const del = await run([
      { func: "KubeOps", name: "d", args: { operation: "delete", objectReference: { name: "x" } } },
    ]);
    expect(del.phases[0]?.error?.message).toBe(
      "KubeOps: missing one or more required fields name/namespace/group/apiVersion/resource in objectReference for delete operation",
    );
    const op = await run([{ func: "KubeOps", name: "o", args: { operation: "apply", spec: "a: 1" } }]);
    expect(op.phases[0]?.error?.message).toBe("KubeOps: invalid operation 'apply'");
    const gv = await run([
      {
        func: "KubeOps",
        name: "g",
        args: {
          operation: "delete",
          objectReference: { apiVersion: "apps/v1", resource: "deployments", name: "x" },
        },
      },
    ]);
    expect(gv.phases[0]?.error?.message).toMatch(/apiVersion is the version only/);
    const obj = await run([
      { func: "KubeOps", name: "s", args: { operation: "create", spec: { kind: "ConfigMap" } } },
    ]);
    expect(obj.phases[0]?.error?.code).toBe("QUIESCE_VALIDATION");
  });
});
