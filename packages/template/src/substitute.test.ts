// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} forms are the subject of these tests.
import { ErrorCodes } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { substituteVars } from "./substitute.js";

describe("substituteVars", () => {
  it("substitutes set variables and defaults", () => {
    const vars = { DB: "app", EMPTY: "" };
    expect(substituteVars("--db=${DB} --port=${PORT:=5432} --x=${X:=} --e=${EMPTY:=d}", vars)).toBe(
      "--db=app --port=5432 --x= --e=d",
    );
  });

  it("leaves other dollar forms alone", () => {
    expect(substituteVars("$HOME ${ not a var } $$", {})).toBe("$HOME ${ not a var } $$");
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
