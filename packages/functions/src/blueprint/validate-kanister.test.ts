/**
 * validateBlueprint against Kanister's webhook (pkg/validatingwebhook → pkg/blueprint/validate Do):
 * what it refuses is an error with its message, what it admits is not.
 */
import { describe, expect, it } from "vitest";
import { builtinFunctions, registerBuiltins } from "../builtins/index.js";
import { createRegistry } from "../registry.js";
import { KANISTER_FUNCTIONS } from "./kanister-functions.js";
import { loadBlueprint } from "./load.js";
import { signatureOf, validateBlueprint } from "./validate.js";

const registry = createRegistry();
registerBuiltins(registry);

const check = (actions: Record<string, unknown>) =>
  validateBlueprint(
    loadBlueprint({
      apiVersion: "cr.kanister.io/v1alpha1",
      kind: "Blueprint",
      metadata: { name: "b" },
      actions,
    }).blueprint,
    { registry },
  );
const task = (name: string | undefined, args: Record<string, unknown> = {}) => ({
  func: "KubeTask",
  ...(name === undefined ? {} : { name }),
  args: { image: "busybox", command: ["true"], ...args },
});

// k8s.io/apimachinery v0.33 pkg/util/validation: IsQualifiedName's message for a name part.
const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe("Kanister's function signatures", () => {
  it("every built-in takes exactly the arguments Kanister's Arguments() lists and requires its RequiredArgs()", () => {
    for (const fn of builtinFunctions) {
      const kanister = KANISTER_FUNCTIONS[fn.name];
      expect(kanister, fn.name).toBeDefined();
      const ours = signatureOf(fn);
      expect([...ours.args].sort(), fn.name).toEqual([...(kanister?.args ?? [])].sort());
      expect([...ours.required].sort(), fn.name).toEqual([...(kanister?.required ?? [])].sort());
      expect(ours.podMetadata, fn.name).toBe(kanister?.podMetadata ?? false);
    }
  });
});

describe("podLabels and podAnnotations (pkg/function/utils.go ValidatePodLabelsAndAnnotations)", () => {
  it("refuses a label key Kubernetes refuses, with Kanister's message", () => {
    const result = check({ backup: { phases: [task("t", { podLabels: { "-bad": "v" } })] } });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      {
        path: 'actions.backup.phases[0].args.podLabels["-bad"]',
        message: `Kanister function validation failed, while validating labels: label key '-bad' failed validation. [${NAME_PART}]`,
        kind: "pod-metadata",
        kanister: `Failed to validate phase t in action backup: Kanister function validation failed, while validating labels: label key '-bad' failed validation. [${NAME_PART}]`,
      },
    ]);
    expect(result.kanister.allowed).toBe(false);
  });

  it("checks label values and annotation keys as written: a template is not rendered first", () => {
    const value = check({
      backup: { phases: [task("t", { podLabels: { app: "{{ .Object.metadata.name }}" } })] },
    });
    expect(value.errors[0]?.message).toMatch(
      /^Kanister function validation failed, while validating labels: label value '\{\{ \.Object\.metadata\.name \}\}' failed validation\. \[a valid label must be an empty string/,
    );
    const annotation = check({
      backup: { phases: [task("t", { podAnnotations: { "a/b/c": "x", ok: "{{ .Options.x }}" } })] },
    });
    expect(annotation.errors[0]?.message).toMatch(
      /^Kanister function validation failed, while validating annotations: annotation key 'a\/b\/c' failed validation\. \[a qualified name must consist of/,
    );
  });

  it("refuses a value that is not a map, and skips entries that are not strings", () => {
    const list = check({ backup: { phases: [task("t", { podLabels: ["a=b"] })] } });
    expect(list.errors[0]?.message).toBe(
      "Kanister function validation failed, while getting pod labels from function args: podLabels are not in correct format. Expected format is map[string]interface{}.",
    );
    const skipped = check({
      backup: { phases: [task("t", { podLabels: { "-bad": 1, "example.com/ok": "yes" } })] },
    });
    expect(skipped.errors).toEqual([]);
    expect(skipped.kanister).toEqual({ allowed: true });
  });
});

describe("phase names (pkg/blueprint/validate validatePhaseNames)", () => {
  it("admits a phase without a name; a second one is the name '' used twice", () => {
    const one = check({ backup: { phases: [task(undefined)] } });
    expect(one.ok).toBe(true);
    expect(one.kanister).toEqual({ allowed: true });
    const two = check({ backup: { phases: [task(undefined)] }, restore: { phases: [task(undefined)] } });
    expect(two.errors.map((e) => [e.path, e.kanister])).toEqual([
      [
        "actions.restore.phases[0].name",
        "Failed to validate: Duplicated phase name is not allowed. Violating phase ''",
      ],
    ]);
  });

  it("counts the deferPhase and every action: one name twice anywhere is refused", () => {
    const result = check({
      backup: { phases: [task("dump")], deferPhase: task("cleanup") },
      restore: { phases: [task("cleanup")] },
    });
    expect(result.errors.map((e) => e.path)).toEqual(["actions.restore.phases[0].name"]);
    expect(result.kanister.message).toBe(
      "Invalid blueprint, Failed to validate: Duplicated phase name is not allowed. Violating phase 'cleanup'",
    );
  });
});

describe("arguments (CheckSupportedArgs, CheckRequiredArgs) and values", () => {
  it("refuses an unsupported and a missing argument; a present one may hold anything", () => {
    const result = check({
      backup: {
        phases: [
          { func: "ScaleWorkload", name: "s", args: { replica: 1 } },
          { func: "KubeExec", name: "e", args: { namespace: null, pod: "", command: null } },
        ],
      },
    });
    expect(result.errors.map((e) => [e.kind, e.kanister])).toEqual([
      ["unknown-arg", "Failed to validate phase s in action backup: argument replica is not supported"],
      ["missing-arg", "Failed to validate phase s in action backup: Required arg missing: replicas"],
    ]);
    // The webhook stops at its first problem: for ScaleWorkload, the unsupported argument.
    expect(result.kanister.message).toBe(
      "Invalid blueprint, Failed to validate phase s in action backup: argument replica is not supported",
    );
  });

  it("admits a value that will not decode (a warning: the phase fails when it runs)", () => {
    const result = check({
      backup: { phases: [{ func: "ScaleWorkload", name: "s", args: { replicas: "many" } }] },
    });
    expect(result.ok).toBe(true);
    expect(result.kanister).toEqual({ allowed: true });
    expect(result.warnings.map((w) => [w.path, w.kind])).toEqual([
      ["actions.backup.phases[0].args.replicas", "invalid-arg"],
    ]);
  });

  it("decides in Kanister's order: functions of an action first, then its deferPhase's arguments, then its phases'", () => {
    const result = check({
      backup: {
        phases: [task("t", { extra: 1 })],
        deferPhase: { func: "KubeExec", name: "d", args: {} },
      },
      restore: { phases: [{ func: "NoSuchFunction", name: "x" }] },
    });
    expect(result.kanister.message).toBe(
      "Invalid blueprint, Failed to validate phase d in action backup: Required arg missing: namespace",
    );
    const unknownFirst = check({
      backup: { phases: [task("t", { extra: 1 }), { func: "NoSuchFunction", name: "x" }] },
    });
    expect(unknownFirst.kanister.message).toBe(
      "Invalid blueprint, Failed to validate action backup: Requested function {NoSuchFunction} has not been registered",
    );
  });

  it("knows Kanister's functions quiesce does not run, and checks their arguments", () => {
    const result = check({
      backup: {
        phases: [{ func: "CreateRDSSnapshot", name: "snap", args: { dbEngine: "postgres", extra: 1 } }],
      },
    });
    expect(result.missingFunctions).toEqual(["CreateRDSSnapshot"]);
    expect(result.errors.map((e) => e.kind)).toEqual(["unknown-function", "unknown-arg", "missing-arg"]);
    expect(result.kanister.message).toBe(
      "Invalid blueprint, Failed to validate phase snap in action backup: argument extra is not supported",
    );
  });
});

describe("a preferred version (the ActionSet's preferredVersion, pkg/phase.go regFuncVersion)", () => {
  const blueprint = loadBlueprint({
    apiVersion: "cr.kanister.io/v1alpha1",
    kind: "Blueprint",
    metadata: { name: "b" },
    actions: { backup: { phases: [task("t")] } },
  }).blueprint;

  it("falls back to the default version, so the Blueprint validates", () => {
    expect(validateBlueprint(blueprint, { registry, preferredVersion: "v1.0.0" }).ok).toBe(true);
  });

  it("that does not parse, or spells v0.0.0 otherwise, fails every phase with Kanister's message", () => {
    const bad = validateBlueprint(blueprint, { registry, preferredVersion: "newest" });
    expect(bad.errors.map((e) => [e.path, e.message])).toEqual([
      [
        "actions.backup.phases[0].func",
        "Failed to get function version: Failed to parse function version {newest}: Invalid Semantic Version",
      ],
    ]);
    const zero = validateBlueprint(blueprint, { registry, preferredVersion: "0.0.0" });
    expect(zero.errors[0]?.message).toMatch(
      /^Requested function \{KubeTask\} has not been registered with version \{0\.0\.0\}/,
    );
  });
});
