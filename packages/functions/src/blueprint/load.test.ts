import { QuiesceError } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { looseInt, looseString } from "../args.js";
import { defineFunction } from "../define-function.js";
import { createRegistry } from "../registry.js";
import { loadBlueprint } from "./load.js";
import { validateBlueprint } from "./validate.js";

const yaml = (actions: string) => `apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata:
  name: test
actions:
${actions}`;

function issuesOf(fn: () => unknown): Array<{ path: string; message: string }> {
  try {
    fn();
  } catch (err) {
    expect(QuiesceError.is(err, "QUIESCE_VALIDATION")).toBe(true);
    return (err as QuiesceError).details.issues as Array<{ path: string; message: string }>;
  }
  throw new Error("expected a validation error");
}

describe("loadBlueprint", () => {
  it("rejects unknown keys and wrong types with precise paths", () => {
    const issues = issuesOf(() =>
      loadBlueprint(
        yaml(`  backup:
    phases:
    - func: KubeExec
      name: one
      arg: {}
    - func: 3
      name: two
    outputArtifacts:
      a:
        keyvalue: {}`),
      ),
    );
    expect(issues.map((i) => i.path).sort()).toEqual([
      "actions.backup.outputArtifacts.a",
      "actions.backup.phases[0]",
      "actions.backup.phases[1].func",
    ]);
  });

  it("rejects another kind or apiVersion and invalid YAML", () => {
    expect(
      issuesOf(() => loadBlueprint({ apiVersion: "v1", kind: "Blueprint", metadata: {}, actions: {} }))[0]
        ?.path,
    ).toBe("apiVersion");
    expect(() => loadBlueprint("a: [")).toThrowError(/invalid Blueprint YAML/);
  });

  it("accepts an already parsed object", () => {
    const { blueprint } = loadBlueprint({
      apiVersion: "cr.kanister.io/v1alpha1",
      kind: "Blueprint",
      metadata: { name: "x" },
      actions: { backup: { phases: [{ func: "KubeExec", name: "p", args: null }] } },
    });
    expect(blueprint.actions.backup?.phases[0]?.args).toEqual({});
  });
});

describe("validateBlueprint", () => {
  const registry = createRegistry();
  registry.register(
    defineFunction({
      name: "Scale",
      args: z.object({ replicas: looseInt(), name: looseString().optional() }),
      exec: async () => undefined,
    }),
  );

  it("reports every problem at once, with paths", () => {
    const { blueprint } = loadBlueprint(
      yaml(`  backup:
    phases:
    - func: Scale
      name: a
      args:
        replicas: many
        extra: 1
    - func: Scale
      name: a
      args:
        name: "{{ .StatefulSet.Name "
    - func: Missing
      name: b
    - func: Scale
      args:
        replicas: "{{ .Options.n }}"`),
    );
    const result = validateBlueprint(blueprint, { registry });
    expect(result.ok).toBe(false);
    expect(result.missingFunctions).toEqual(["Missing"]);
    const byPath = Object.fromEntries(result.errors.map((e) => [e.path, e.kind]));
    // Kanister admits an unnamed phase and a value that will not decode; it refuses the rest.
    expect(byPath).toEqual({
      "actions.backup.phases[0].args.extra": "unknown-arg",
      "actions.backup.phases[1].name": "duplicate-phase",
      "actions.backup.phases[1].args.name": "template",
      "actions.backup.phases[1].args.replicas": "missing-arg",
      "actions.backup.phases[2].func": "unknown-function",
    });
    expect(result.warnings.map((w) => [w.path, w.kind])).toEqual([
      ["actions.backup.phases[0].args.replicas", "invalid-arg"],
    ]);
    expect(result.errors.map((e) => e.kanister)).toEqual([
      "Failed to validate phase a in action backup: argument extra is not supported",
      "Failed to validate: Duplicated phase name is not allowed. Violating phase 'a'",
      undefined,
      "Failed to validate phase a in action backup: Required arg missing: replicas",
      "Failed to validate action backup: Requested function {Missing} has not been registered",
    ]);
    // The webhook's own verdict stops at its first problem, in its order: functions first.
    expect(result.kanister).toEqual({
      allowed: false,
      message:
        "Invalid blueprint, Failed to validate action backup: Requested function {Scale} has not been registered",
    });
  });
});
