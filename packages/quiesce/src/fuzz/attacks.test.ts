/** The known attacks on the loaders, each answered by a coded error naming a path (the fuzz suite finds the rest). */
import { describe, expect, it } from "vitest";
import {
  loadBlueprint,
  loadHookReferences,
  loadHookTemplate,
  loadVeleroHooks,
  parseAction,
  QuiesceError,
  renderArgs,
  validateBlueprint,
} from "../index.js";
import { NASTY_TEXTS } from "./test-support/arbitraries.js";
import { uncodedReason } from "./test-support/oracle.js";

const blueprintHead = "apiVersion: cr.kanister.io/v1alpha1\nkind: Blueprint\nmetadata: {name: x}\n";
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
};

describe("known attacks on the loaders", () => {
  const loaders: [string, (input: unknown) => unknown][] = [
    ["loadBlueprint", loadBlueprint],
    ["loadHookTemplate", loadHookTemplate],
    ["loadHookReferences", loadHookReferences],
    ["loadVeleroHooks", loadVeleroHooks],
  ];
  for (const [name, load] of loaders) {
    it(`${name}: every known attack ends in a coded error with a path, or loads`, () => {
      for (const text of NASTY_TEXTS)
        expect(
          uncodedReason(
            thrown(() => load(text)) ?? new QuiesceError("QUIESCE_OK", "", { details: { path: "" } }),
            true,
          ),
        ).toBeUndefined();
    });
  }

  it("a self-referencing alias in phase args is refused at its path, not after seconds of stack overflow", () => {
    const err = thrown(() =>
      loadBlueprint(
        `${blueprintHead}actions:\n  backup:\n    phases:\n    - func: KubeExec\n      name: p\n      args: &a {x: *a}\n`,
      ),
    ) as QuiesceError;
    expect(err.code).toBe("QUIESCE_VALIDATION");
    expect(err.details.path).toBe("actions.backup.phases[0].args.x");
  });

  it("an undefined alias and an alias bomb are YAML errors", () => {
    expect((thrown(() => loadBlueprint(`${blueprintHead}actions: *f\n`)) as QuiesceError).message).toContain(
      "Unresolved alias",
    );
    const bomb = NASTY_TEXTS.find((t) => t.startsWith("a0: &a0")) ?? "";
    expect((thrown(() => loadVeleroHooks(bomb)) as QuiesceError).message).toContain("Excessive alias count");
  });

  it("cyclic objects handed over directly are refused at their path by every loader and by validateBlueprint", () => {
    const phase: Record<string, unknown> = { func: "KubeExec", name: "p" };
    phase.args = { again: phase };
    const bp = {
      apiVersion: "cr.kanister.io/v1alpha1",
      kind: "Blueprint",
      metadata: { name: "x" },
      actions: { a: { phases: [phase] } },
    };
    expect((thrown(() => loadBlueprint(bp)) as QuiesceError).details.path).toBe(
      "actions.a.phases[0].args.again",
    );
    expect((thrown(() => validateBlueprint(bp as never)) as QuiesceError).details.path).toBe(
      "actions.a.phases[0].args.again",
    );
    const action: Record<string, unknown> = { exec: { command: ["x"] } };
    (action.exec as Record<string, unknown>).self = action;
    expect((thrown(() => parseAction(action)) as QuiesceError).details.path).toBe("action.exec.self");
  });

  it("renderArgs refuses a cyclic argument tree at its path", () => {
    const args: Record<string, unknown> = { command: ["echo", "{{ .x }}"] };
    args.loop = [args];
    const err = thrown(() => renderArgs(args, { x: 1 })) as QuiesceError;
    expect([err.code, err.details.path]).toEqual(["QUIESCE_VALIDATION", "loop[0]"]);
  });
});
