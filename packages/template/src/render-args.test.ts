import { ErrorCodes } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { TemplateError } from "./errors.js";
import { renderArgs } from "./render-args.js";

const params = {
  Namespace: { Name: "prod" },
  StatefulSet: { Name: "mysql", Pods: ["mysql-0"] },
  Options: { key: "backup-key" },
};

describe("renderArgs", () => {
  it("renders every string of a nested tree, map keys included", () => {
    const args = {
      namespace: "{{ .Namespace.Name }}",
      command: ["sh", "-c", "dump {{ index .StatefulSet.Pods 0 }}"],
      "{{ .Options.key }}": { "{{ .StatefulSet.Name }}-path": "/backups/{{ .StatefulSet.Name }}" },
    };
    expect(renderArgs(args, params)).toEqual({
      namespace: "prod",
      command: ["sh", "-c", "dump mysql-0"],
      "backup-key": { "mysql-path": "/backups/mysql" },
    });
  });

  it("passes numbers, booleans and null through untouched", () => {
    expect(renderArgs({ n: 3, f: 1.5, b: false, z: null, list: [null, 1, true] }, params)).toEqual({
      n: 3,
      f: 1.5,
      b: false,
      z: null,
      list: [null, 1, true],
    });
    expect(renderArgs(null, params)).toBeNull();
    expect(renderArgs("plain", params)).toBe("plain");
  });

  it("does not mutate its input and keeps a rendered __proto__ key as plain data", () => {
    const args = { "{{ .K }}": "v" };
    const out = renderArgs(args, { K: "__proto__" }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(["__proto__"]);
    expect(args).toEqual({ "{{ .K }}": "v" });
  });

  it("fails with the failing template's error", () => {
    expect(() => renderArgs({ a: ["{{ .Nope }}"] }, params)).toThrow(
      expect.objectContaining({ code: ErrorCodes.TEMPLATE_MISSING_KEY }),
    );
    expect(() => renderArgs({ a: "{{ .Nope }}" }, params)).toThrow(TemplateError);
  });

  it("uses the engine named in options", () => {
    expect(renderArgs({ a: "{{ Namespace.Name }}" }, params, { engine: "mustache" })).toEqual({ a: "prod" });
  });
});
