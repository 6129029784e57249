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
