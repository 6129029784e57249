import { describe, expect, it } from "vitest";
import { assertDocumentShape, codedLoad, QuiesceError, yamlDocumentToValue } from "./index.js";

const error = (fn: () => unknown): QuiesceError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof QuiesceError) return err;
    throw err;
  }
  throw new Error("expected a QuiesceError");
};

describe("assertDocumentShape", () => {
  it("names the path of a cycle", () => {
    const args: Record<string, unknown> = { command: ["sh"] };
    args.nested = { list: [1, { back: args }] };
    const err = error(() => assertDocumentShape(args, "phase args", "actions.backup.phases[0].args"));
    expect(err.code).toBe("QUIESCE_VALIDATION");
    expect(err.details.path).toBe("actions.backup.phases[0].args.nested.list[1].back");
    expect(err.message).toContain("refers back to a map or list that contains it");
  });

  it("accepts shared subtrees (a DAG) but not one that expands past the limit", () => {
    const shared = { a: 1 };
    assertDocumentShape({ x: shared, y: shared }, "doc");
    let bomb: unknown = ["lol"];
    for (let i = 0; i < 40; i++) bomb = [bomb, bomb];
    const err = error(() => assertDocumentShape({ spec: bomb }, "doc"));
    expect(err.message).toContain("expands to more than 1000000 values");
    expect(typeof err.details.path).toBe("string");
  });

  it("refuses nesting past the depth limit without overflowing its own stack", () => {
    let deep: unknown = "x";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const err = error(() => assertDocumentShape({ a: deep }, "doc"));
    expect(err.message).toContain("nests deeper than 200 levels");
    expect(String(err.details.path).startsWith("a[0][0]")).toBe(true);
  });
});

describe("yamlDocumentToValue and codedLoad", () => {
  const doc = (errors: { message: string }[], toJS: () => unknown) => ({ errors, toJS });

  it("turns syntax errors, alias errors and cycles into VALIDATION errors at a path", () => {
    expect(
      error(() =>
        yamlDocumentToValue(
          doc([{ message: "bad indent" }], () => 1),
          "Blueprint",
        ),
      ).details,
    ).toMatchObject({ path: "" });
    const alias = error(() =>
      yamlDocumentToValue(
        doc([], () => {
          throw new ReferenceError("Unresolved alias (the anchor must be set before the alias): f");
        }),
        "Blueprint",
      ),
    );
    expect(alias.message).toBe(
      "invalid Blueprint YAML: Unresolved alias (the anchor must be set before the alias): f",
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.x = cyclic;
    expect(
      error(() =>
        yamlDocumentToValue(
          doc([], () => ({ args: cyclic })),
          "Blueprint",
        ),
      ).details.path,
    ).toBe("args.x");
  });

  it("lets QuiesceErrors through and codes anything else", () => {
    const inner = new QuiesceError("QUIESCE_X", "inner");
    expect(
      error(() =>
        codedLoad("doc", () => {
          throw inner;
        }),
      ),
    ).toBe(inner);
    const wrapped = error(() =>
      codedLoad("doc", () => {
        throw new TypeError("x is not a function");
      }),
    );
    expect([wrapped.code, wrapped.message, wrapped.details.path]).toEqual([
      "QUIESCE_VALIDATION",
      "invalid doc: x is not a function",
      "",
    ]);
  });
});
