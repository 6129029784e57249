// The CSI functions' arguments are Kanister's Arguments() and RequiredArgs()
// (pkg/function/*csi_snapshot*.go), decoded as mapstructure.WeakDecode does (pkg/function/args.go Arg).
import { describe, expect, it } from "vitest";
import { KANISTER_FUNCTIONS } from "../../blueprint/kanister-functions.js";
import { loadBlueprint } from "../../blueprint/load.js";
import { signatureOf, validateBlueprint } from "../../blueprint/validate.js";
import { createRegistry } from "../../registry.js";
import {
  createCSISnapshot,
  createCSISnapshotStatic,
  deleteCSISnapshot,
  deleteCSISnapshotContent,
  restoreCSISnapshot,
} from "./index.js";

const functions = [
  createCSISnapshot,
  createCSISnapshotStatic,
  restoreCSISnapshot,
  deleteCSISnapshot,
  deleteCSISnapshotContent,
];

describe("the CSI functions' signatures", () => {
  it.each(functions.map((f) => [f.name, f] as const))("%s takes exactly Kanister's arguments", (name, fn) => {
    const mine = signatureOf(fn);
    const kanister = KANISTER_FUNCTIONS[name]!;
    expect([...mine.args].sort()).toEqual([...kanister.args].sort());
    expect([...mine.required].sort()).toEqual([...kanister.required].sort());
  });

  it("rejects an argument Kanister does not know and names a missing one, before anything runs", () => {
    const registry = createRegistry();
    for (const fn of functions) registry.register(fn);
    const { blueprint } = loadBlueprint({
      apiVersion: "cr.kanister.io/v1alpha1",
      kind: "Blueprint",
      metadata: { name: "b" },
      actions: {
        backup: {
          phases: [
            {
              func: "CreateCSISnapshot",
              name: "snap",
              args: { pvc: "data", namespace: "db", snapshotClassName: "x" },
            },
          ],
        },
      },
    });
    const result = validateBlueprint(blueprint, { registry });
    expect(result.errors.map((e) => [e.path, e.kind])).toEqual([
      ["actions.backup.phases[0].args.snapshotClassName", "unknown-arg"],
      ["actions.backup.phases[0].args.snapshotClass", "missing-arg"],
    ]);
  });

  it("decodes weakly: a number for a string, one access mode for a list, numbers in labels", () => {
    expect(
      restoreCSISnapshot.args.parse({
        name: "s",
        pvc: "p",
        namespace: "n",
        storageClass: "c",
        restoreSize: 1073741824,
        accessModes: "ReadWriteMany",
      }),
    ).toMatchObject({ restoreSize: "1073741824", accessModes: ["ReadWriteMany"] });
    expect(
      createCSISnapshot.args.parse({ pvc: "p", namespace: "n", snapshotClass: "c", labels: { tier: 1 } }),
    ).toMatchObject({ labels: { tier: "1" } });
  });
});
