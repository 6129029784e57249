import { QuiesceError } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { mergePodOverride } from "./pod-override.js";
import { patchSchema, strategicMerge } from "./strategic-merge.js";

// The test struct of k8s.io/apimachinery pkg/util/strategicpatch/patch_test.go (mergingList by
// name, mergingIntList as a set, nonMergingList replaced); cases are that file's "Current" +
// "ThreeWay" → "Result" vectors.
const testSchema = patchSchema(
  "MergeItem",
  {
    mergingList: { strategy: "merge", mergeKey: "name" },
    mergingIntList: { strategy: "merge" },
  },
  true,
);
const apply = (current: string, patch: string) => strategicMerge(parse(current), parse(patch), testSchema);

describe("strategicMerge (apimachinery's StrategicMergePatch)", () => {
  it("merge lists of maps: patch order, server-only items slotted by the original's order", () => {
    const out = apply(
      "mergingList:\n- {name: 1, other: a}\n- {name: 2, value: 2, other: b}\n",
      "$setElementOrder/mergingList: [{name: 4}, {name: 1}, {name: 2}, {name: 3}]\nmergingList:\n- {name: 4, value: 4}\n- {name: 3, value: 3}\n",
    );
    expect(out).toEqual({
      mergingList: [
        { name: 4, value: 4 },
        { name: 1, other: "a" },
        { name: 2, value: 2, other: "b" },
        { name: 3, value: 3 },
      ],
    });
  });

  it("set elements order in a list with server-only items", () => {
    const out = apply(
      "mergingList:\n- {name: 1, other: a}\n- {name: 3, value: 3}\n- {name: 4, value: 4}\n- {name: 2, value: 2}\n- {name: 9}\n",
      "$setElementOrder/mergingList: [{name: 4}, {name: 2}, {name: 3}, {name: 1}]\n",
    );
    expect(out.mergingList).toEqual([
      { name: 4, value: 4 },
      { name: 2, value: 2 },
      { name: 3, value: 3 },
      { name: 1, other: "a" },
      { name: 9 },
    ]);
  });

  it("merge lists of scalars as sets", () => {
    const out = apply(
      "mergingIntList: [1, 2, 4]\n",
      "$setElementOrder/mergingIntList: [1, 2, 3]\nmergingIntList: [3]\n",
    );
    expect(out.mergingIntList).toEqual([1, 2, 3, 4]);
  });

  it("without $setElementOrder a new item goes before the original's (mergeSortedSlice)", () => {
    expect(
      apply("mergingList:\n- {name: a}\n- {name: b}\n", "mergingList:\n- {name: c}\n").mergingList,
    ).toEqual([{ name: "c" }, { name: "a" }, { name: "b" }]);
    // A merged item keeps its place; a new one lands before the original items that follow it there.
    expect(
      apply("mergingList:\n- {name: a}\n- {name: b}\n", "mergingList:\n- {name: b, x: 1}\n- {name: c}\n")
        .mergingList,
    ).toEqual([{ name: "a" }, { name: "b", x: 1 }, { name: "c" }]);
  });

  it("$patch: delete removes an item, $patch: replace replaces the list or the map", () => {
    expect(
      apply("mergingList:\n- {name: 1}\n- {name: 2}\n", "mergingList:\n- {name: 1, $patch: delete}\n"),
    ).toEqual({ mergingList: [{ name: 2 }] });
    expect(
      apply("mergingList:\n- {name: 1}\n- {name: 2}\n", "mergingList:\n- {$patch: replace}\n- {name: 3}\n"),
    ).toEqual({ mergingList: [{ name: 3 }] });
    expect(apply("m: {a: 1, b: 2}\n", "m: {$patch: replace, c: 3}\n")).toEqual({ m: { c: 3 } });
    expect(apply("m: {a: 1}\nn: 1\n", "m: {$patch: delete}\n")).toEqual({ m: {}, n: 1 });
  });

  it("$deleteFromPrimitiveList deletes from a list of scalars and never adds one", () => {
    expect(apply("mergingIntList: [1, 2, 3]\n", "$deleteFromPrimitiveList/mergingIntList: [2]\n")).toEqual({
      mergingIntList: [1, 3],
    });
    expect(apply("foo: [bar]\n", "$deleteFromPrimitiveList/mergingIntList: [3]\n")).toEqual({ foo: ["bar"] });
  });

  it("$retainKeys clears the fields it does not list", () => {
    expect(
      apply("retainKeysMap: {value: foo}\n", "retainKeysMap: {$retainKeys: [other], other: bar}\n"),
    ).toEqual({
      retainKeysMap: { other: "bar" },
    });
  });

  it("null deletes a key; lists without a strategy and scalars are replaced", () => {
    expect(
      apply(
        "a: 1\nnonMergingList: [{name: 1}]\nb: {c: 1}\n",
        "a: null\nnonMergingList: [{name: 2}]\nb: {d: 2}\n",
      ),
    ).toEqual({
      nonMergingList: [{ name: 2 }],
      b: { c: 1, d: 2 },
    });
  });

  it("refuses an item without its merge key and an unknown $patch, as Kubernetes does", () => {
    expect(() => apply("mergingList:\n- {name: 1, value: a}\n", "mergingList:\n- {value: b}\n")).toThrowError(
      /does not contain declared merge key: name/,
    );
    expect(() => apply("m: {a: 1}\n", "m: {$patch: bogus}\n")).toThrowError(/unknown patch type/);
    try {
      apply("mergingList: [{name: 1}]\n", "mergingList: [[1]]\n");
      expect.unreachable();
    } catch (err) {
      expect(QuiesceError.is(err, "QUIESCE_VALIDATION")).toBe(true);
    }
  });
});

describe("mergePodOverride (Kanister's PatchDefaultPodSpecs)", () => {
  const base = {
    restartPolicy: "Never",
    containers: [
      {
        name: "container",
        image: "busybox",
        env: [{ name: "A", value: "1" }],
        volumeMounts: [{ name: "vol-1", mountPath: "/data" }],
      },
    ],
    volumes: [{ name: "vol-1", persistentVolumeClaim: { claimName: "data" } }],
    tolerations: [{ key: "a" }],
  };

  it("merges containers and env by name, volumeMounts by mountPath; other lists are replaced", () => {
    const merged = mergePodOverride(base, {
      containers: [
        {
          name: "container",
          env: [{ name: "B", value: "2" }],
          volumeMounts: [{ name: "other-name", mountPath: "/data", readOnly: true }],
          resources: { limits: { cpu: "1" } },
        },
        { name: "sidecar", image: "x" },
      ],
      tolerations: [{ key: "b" }],
      nodeSelector: { zone: "a" },
    });
    // The patch's order: its items first, an original item not in the patch after them.
    expect(merged.containers).toEqual([
      {
        name: "container",
        image: "busybox",
        env: [
          { name: "B", value: "2" },
          { name: "A", value: "1" },
        ],
        volumeMounts: [{ name: "other-name", mountPath: "/data", readOnly: true }],
        resources: { limits: { cpu: "1" } },
      },
      { name: "sidecar", image: "x" },
    ]);
    expect(merged.tolerations).toEqual([{ key: "b" }]);
    expect((merged as Record<string, unknown>).nodeSelector).toEqual({ zone: "a" });
    expect(base.containers[0]).not.toHaveProperty("resources");
  });

  it("honours $patch directives and drops the directive keys a PodSpec decode drops", () => {
    const merged = mergePodOverride(base, {
      volumes: [{ $patch: "replace" }, { name: "scratch", emptyDir: {} }],
      containers: [{ name: "container", env: [{ name: "A", $patch: "delete" }] }],
      securityContext: { $retainKeys: ["runAsUser"], runAsUser: 1000 },
    });
    expect(merged.volumes).toEqual([{ name: "scratch", emptyDir: {} }]);
    expect(merged.containers[0]?.env).toEqual([]);
    expect((merged as Record<string, unknown>).securityContext).toEqual({ runAsUser: 1000 });
  });

  it("removes keys set to null and ignores prototype keys", () => {
    const merged = mergePodOverride(
      { a: 1, b: { c: 2 } },
      JSON.parse('{"a":null,"__proto__":{"polluted":true},"b":{"d":3}}'),
    );
    expect(merged).toEqual({ b: { c: 2, d: 3 } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a container without a name, as Kanister's merge does", () => {
    expect(() => mergePodOverride(base, { containers: [{ image: "x" }] })).toThrowError(/merge key: name/);
  });
});
