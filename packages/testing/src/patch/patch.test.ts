import { describe, expect, it } from "vitest";
import { applyJsonPatch } from "./json-patch.js";
import { applyMergePatch } from "./merge-patch.js";
import { applyStrategicMergePatch } from "./strategic-merge-patch.js";

describe("merge patch (RFC 7386)", () => {
  it("merges maps, deletes on null, replaces lists and scalars", () => {
    expect(
      applyMergePatch({ a: "b", c: { d: "e", f: "g" }, l: [1, 2] }, { a: "z", c: { f: null }, l: [3] }),
    ).toEqual({
      a: "z",
      c: { d: "e" },
      l: [3],
    });
    expect(applyMergePatch({ a: 1 }, "x")).toBe("x");
  });
});

describe("JSON patch (RFC 6902)", () => {
  const doc = { metadata: { labels: { "app.kubernetes.io/name": "web" } }, spec: { list: ["a", "b"] } };

  it("adds, removes, replaces, moves and copies, with ~1 escapes and '-' appends", () => {
    const out = applyJsonPatch(doc, [
      { op: "add", path: "/spec/list/-", value: "c" },
      { op: "add", path: "/spec/list/0", value: "first" },
      { op: "remove", path: "/spec/list/1" },
      { op: "replace", path: "/metadata/labels/app.kubernetes.io~1name", value: "api" },
      { op: "copy", from: "/spec/list", path: "/spec/copy" },
      { op: "move", from: "/spec/copy", path: "/spec/moved" },
      { op: "test", path: "/spec/moved/0", value: "first" },
    ]);
    expect(out).toEqual({
      metadata: { labels: { "app.kubernetes.io/name": "api" } },
      spec: { list: ["first", "b", "c"], moved: ["first", "b", "c"] },
    });
    expect(doc.spec.list).toEqual(["a", "b"]);
  });

  it("fails a test operation with 422 and leaves nothing half-applied", () => {
    expect(() => applyJsonPatch(doc, [{ op: "test", path: "/spec/list/0", value: "zzz" }])).toThrow(
      expect.objectContaining({ statusCode: 422 }) as unknown as Error,
    );
    expect(() => applyJsonPatch(doc, [{ op: "replace", path: "/nope/x", value: 1 }])).toThrow(
      expect.objectContaining({ statusCode: 422 }) as unknown as Error,
    );
    expect(() => applyJsonPatch(doc, { op: "add" })).toThrow(
      expect.objectContaining({ statusCode: 400 }) as unknown as Error,
    );
  });
});

describe("strategic merge patch", () => {
  const podSpec = {
    spec: {
      containers: [
        {
          name: "app",
          image: "app:1",
          env: [{ name: "A", value: "1" }],
          ports: [{ containerPort: 80, name: "http" }],
        },
        { name: "side", image: "side:1", volumeMounts: [{ name: "data", mountPath: "/data" }] },
      ],
      volumes: [{ name: "data", emptyDir: {} }],
      tolerations: [{ key: "a" }],
    },
    metadata: { finalizers: ["x"], ownerReferences: [{ uid: "u1", name: "o" }] },
  };

  it("merges containers, env, ports and volumeMounts by their keys and replaces other lists", () => {
    const out = applyStrategicMergePatch(podSpec, {
      spec: {
        containers: [
          {
            name: "app",
            image: "app:2",
            env: [{ name: "B", value: "2" }],
            ports: [{ containerPort: 80, protocol: "TCP" }],
          },
          { name: "side", volumeMounts: [{ mountPath: "/data", readOnly: true }] },
          { name: "new", image: "new:1" },
        ],
        tolerations: [{ key: "b" }],
      },
      metadata: { finalizers: ["y"], ownerReferences: [{ uid: "u1", controller: true }] },
    }) as typeof podSpec;
    const [app, side, added] = out.spec.containers as Record<string, unknown>[];
    // As apimachinery orders a merged list: the patch's items first, then the original's others.
    expect(app).toMatchObject({
      image: "app:2",
      env: [
        { name: "B", value: "2" },
        { name: "A", value: "1" },
      ],
    });
    expect(app?.ports).toEqual([{ containerPort: 80, name: "http", protocol: "TCP" }]);
    expect(side?.volumeMounts).toEqual([{ name: "data", mountPath: "/data", readOnly: true }]);
    expect(added).toEqual({ name: "new", image: "new:1" });
    expect(out.spec.tolerations).toEqual([{ key: "b" }]);
    expect(out.metadata.finalizers).toEqual(["y", "x"]);
    expect(out.metadata.ownerReferences).toEqual([{ uid: "u1", name: "o", controller: true }]);
  });

  it("honours $patch: delete and $patch: replace", () => {
    const out = applyStrategicMergePatch(podSpec, {
      spec: {
        containers: [{ name: "side", $patch: "delete" }],
        volumes: [{ $patch: "replace" }, { name: "fresh", emptyDir: {} }],
      },
      metadata: { $patch: "replace", name: "only" },
    }) as typeof podSpec & { metadata: Record<string, unknown> };
    expect(out.spec.containers.map((c) => c.name)).toEqual(["app"]);
    expect(out.spec.volumes).toEqual([{ name: "fresh", emptyDir: {} }]);
    expect(out.metadata).toEqual({ name: "only" });
  });
});
