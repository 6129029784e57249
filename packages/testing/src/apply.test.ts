import { QuiesceError } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { applyManifests, deleteManifests, parseManifests } from "./apply.js";
import { createObjectStore } from "./store/object-store.js";

const crd = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: blueprints.cr.kanister.io }
spec:
  group: cr.kanister.io
  scope: Namespaced
  names: { plural: blueprints, singular: blueprint, kind: Blueprint }
  versions: [{ name: v1alpha1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }]
`;

describe("apply", () => {
  it("applies multi-document YAML with custom resources before their CRD, into the default namespace", () => {
    const store = createObjectStore();
    const applied = applyManifests(
      store,
      `apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata: { name: pg }
actions: { backup: { phases: [] } }
---
${crd}
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: tools }
data: { a: "1" }
---
apiVersion: v1
kind: Namespace
metadata: { name: tools }
`,
    );
    expect(applied.map((o) => o.kind)).toEqual([
      "CustomResourceDefinition",
      "Namespace",
      "Blueprint",
      "ConfigMap",
    ]);
    const blueprints = store.typeForKind("cr.kanister.io/v1alpha1", "Blueprint");
    expect(blueprints && store.get(blueprints, "default", "pg")?.actions).toEqual({ backup: { phases: [] } });
  });

  it("updates an existing object: new spec, merged labels, same uid, status kept", () => {
    const store = createObjectStore();
    const deployments = store.typeFor("apps", "v1", "deployments");
    if (!deployments) throw new Error("deployments not served");
    const manifest = (replicas: number, labels: Record<string, string>) => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", labels },
      spec: {
        replicas,
        selector: { matchLabels: { app: "web" } },
        template: { metadata: { labels: { app: "web" } }, spec: { containers: [] } },
      },
    });
    const [first] = applyManifests(store, manifest(1, { app: "web" }));
    store.mutate(deployments, "default", "web", (d) => {
      d.status = { replicas: 1 };
    });
    const [second] = applyManifests(store, [manifest(3, { tier: "front" })]);
    expect(second?.metadata.uid).toBe(first?.metadata.uid);
    expect(second?.metadata.labels).toEqual({ app: "web", tier: "front" });
    expect(second?.spec).toMatchObject({ replicas: 3 });
    expect(second?.status).toEqual({ replicas: 1 });
    expect(second?.metadata.generation).toBe(2);
  });

  it("expands kind: List and deletes what it names, skipping what is already gone", () => {
    const store = createObjectStore();
    const list = {
      apiVersion: "v1",
      kind: "List",
      items: [
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } },
        { apiVersion: "v1", kind: "Secret", metadata: { name: "b" }, stringData: { k: "v" } },
      ],
    };
    expect(applyManifests(store, list)).toHaveLength(2);
    expect(deleteManifests(store, list).map((o) => o.metadata.name)).toEqual(["a", "b"]);
    expect(deleteManifests(store, list)).toEqual([]);
  });

  it("rejects bad documents with the path of the problem, before applying anything", () => {
    const store = createObjectStore();
    const bad =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ok }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n";
    expect(() => applyManifests(store, bad)).toThrow(
      "documents[1].metadata.name: expected a name (or generateName)",
    );
    const configmaps = store.typeFor("", "v1", "configmaps");
    expect(configmaps && store.get(configmaps, "default", "ok")).toBeUndefined();
    try {
      parseManifests([{ kind: "Pod", metadata: { name: "x" } }]);
      expect.unreachable();
    } catch (err) {
      expect(QuiesceError.is(err, "QUIESCE_VALIDATION")).toBe(true);
      expect((err as Error).message).toBe("documents[0].apiVersion: expected a non-empty string");
    }
    expect(() =>
      applyManifests(
        store,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ok }\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n",
      ),
    ).toThrow("documents[1]: the local cluster serves no Widget in example.com/v1");
    expect(configmaps && store.get(configmaps, "default", "ok")).toBeUndefined();
  });
});
