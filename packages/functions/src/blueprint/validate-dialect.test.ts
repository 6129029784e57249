/**
 * Argument templates are checked with Kanister's function set (pkg/param/render.go: text/template
 * with pkg/ksprig's TxtFuncMap over sprig v2.22.0): a sprig v3 function fails every run in Kanister.
 */
import { describe, expect, it } from "vitest";
import { registerBuiltins } from "../builtins/index.js";
import { createRegistry } from "../registry.js";
import { loadBlueprint } from "./load.js";
import { validateBlueprint } from "./validate.js";

const registry = createRegistry();
registerBuiltins(registry);

const check = (command: string[], outputArtifacts?: Record<string, unknown>) =>
  validateBlueprint(
    loadBlueprint({
      apiVersion: "cr.kanister.io/v1alpha1",
      kind: "Blueprint",
      metadata: { name: "b" },
      actions: {
        backup: {
          phases: [{ func: "KubeTask", name: "t", args: { image: "busybox", command } }],
          ...(outputArtifacts ? { outputArtifacts } : {}),
        },
      },
    }).blueprint,
    { registry },
  );

describe("templates checked with Kanister's sprig v2.22", () => {
  it("a sprig v3 function is an error naming it, with its path; Kanister's webhook still admits the Blueprint", () => {
    const result = check(["sh", "-c", "echo {{ toRawJson .Options }}"]);
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      {
        path: "actions.backup.phases[0].args.command[2]",
        message:
          'toRawJson is not defined in Kanister\'s sprig v2.22 (it is a sprig v3 function): template: config:1: function "toRawJson" not defined',
        kind: "template",
      },
    ]);
    expect(result.kanister.allowed).toBe(true);
  });

  it("names v3 functions in output artifacts too", () => {
    const result = check(["true"], { out: { keyValue: { k: '{{ dig "a" "b" .Options }}' } } });
    expect(result.errors.map((e) => [e.path, e.message.split(" (")[0]])).toEqual([
      ["actions.backup.outputArtifacts.out.keyValue.k", "dig is not defined in Kanister's sprig v2.22"],
    ]);
  });

  it("accepts what sprig v2.22 and ksprig define, including the functions quiesce refuses to run", () => {
    for (const t of [
      '{{ trunc 3 "abcdef" }}',
      '{{ semverCompare "^1.2" "1.5.0" }}',
      '{{ derivePassword 1 "long" "p" "u" "s" }}',
      '{{ genCA "x" 365 }}',
      '{{ "a_b" | camelcase }}',
    ]) {
      expect(check(["sh", "-c", t]).errors, t).toEqual([]);
    }
  });

  it("env and expandenv exist in Kanister: a warning that quiesce renders them only when allowed", () => {
    const result = check(["sh", "-c", '{{ env "HOME" }}']);
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => w.message)).toContain(
      "env reads the environment: Kanister renders it, quiesce only when the host allows it (allowEnv)",
    );
  });
});
