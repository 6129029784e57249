// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} forms are the subject of these tests.
import { ErrorCodes } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { substituteVars } from "./substitute.js";

// gomodules.xyz/envsubst EvalMap (what KubeStash's ResolveWithInputs calls): a given key "removes
// the args for default so that empty value will not be replaced by default value".
describe("substituteVars", () => {
  it("substitutes given variables and defaults; a given empty value is kept", () => {
    const vars = { DB: "app", EMPTY: "" };
    expect(substituteVars("--db=${DB} --port=${PORT:=5432} --x=${X:=} --e=${EMPTY:=d}", vars)).toBe(
      "--db=app --port=5432 --x= --e=",
    );
    expect(substituteVars("${A=a} ${B:-b} ${EMPTY:-c}", vars)).toBe("a b ");
  });

  it("turns $$ into $ and leaves other dollar forms alone", () => {
    expect(substituteVars("$HOME ${ not a var } $$ $${DB}", { DB: "app" })).toBe(
      "$HOME ${ not a var } $ ${DB}",
    );
  });

  it("names an unset variable without default", () => {
    expect(() => substituteVars("x ${MISSING_VAR}", {})).toThrow(
      expect.objectContaining({
        code: ErrorCodes.TEMPLATE_MISSING_KEY,
        message: expect.stringContaining('"MISSING_VAR"'),
      }),
    );
  });

  it("reads only own properties", () => {
    expect(() => substituteVars("${constructor}", {})).toThrow(/constructor/);
    expect(substituteVars("${toString:=d}", {})).toBe("d");
  });
});

describe("substituteVars on adversarial text", () => {
  // envsubst's forms as a regular expression: the reference for small inputs.
  const reference = (text: string, vars: Record<string, string>) =>
    text.replace(
      /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:=|=|:-)([^}]*))?\}/g,
      (_m, name: string | undefined, op: string | undefined, d: string | undefined) =>
        name === undefined ? "$" : op !== undefined ? (vars[name] ?? (d as string)) : (vars[name] ?? "?"),
    );

  it("matches what the pattern matches, in one pass over unclosed forms", () => {
    const vars = { A: "a", B: "b", C: "" };
    for (const text of [
      "${A:=x${B}y} ${A}",
      "${:=} ${1} ${A:b} ${A",
      "${A:=}}",
      "${C:=c}${B}}${ ${D=d} ${D:-e} ${C:-f}",
      "$${A}${A:=${B:=q}} $$$ $",
    ]) {
      expect(substituteVars(text, vars), text).toBe(reference(text, vars));
    }
    const unclosed = "${a:=".repeat(200_000);
    expect(substituteVars(unclosed, {})).toBe(unclosed);
    // The first form's default runs to the only "}": every later form is its text.
    expect(substituteVars(`x${unclosed}}`, {})).toBe(`x${"${a:=".repeat(199_999)}`);
  });
});
