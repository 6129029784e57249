import { describe, expect, it } from "vitest";
import { GoFuncError } from "../go/call-error.js";
import { SPRIG_ARITY } from "./arity.js";
import { sprigFunctions as f } from "./index.js";

const call = (name: string, ...args: unknown[]) => {
  const fn = f[name];
  if (fn === undefined) throw new Error(`no function ${name}`);
  return fn(...args);
};

describe("sprig function map", () => {
  it("has sprig's functions and nothing Helm or the host adds", () => {
    for (const name of [
      "upper",
      "toJson",
      "toDate",
      "regexFind",
      "semverCompare",
      "dict",
      "merge",
      "b64enc",
      "sha256sum",
    ]) {
      expect(f[name], name).toBeTypeOf("function");
    }
    for (const name of ["required", "toYaml", "env", "expandenv", "getHostByName", "tpl", "include"]) {
      expect(Object.hasOwn(f, name), name).toBe(false);
    }
  });

  it("checks argument counts against each function's Go signature", () => {
    for (const name of Object.keys(f)) expect(SPRIG_ARITY[name], name).toBeDefined();
    expect(() => call("upper", "a", "b")).toThrow("wrong number of args for upper: want 1 got 2");
    expect(() => call("max")).toThrow("wrong number of args for max: want at least 1 got 0");
    expect(call("add")).toBe(0);
  });

  it("rejects arguments of the wrong type as Go's reflect call does", () => {
    expect(() => call("upper", 3)).toThrow(GoFuncError);
    expect(() => call("upper", 3)).toThrow("expected string; got int");
    expect(() => call("repeat", 2.5, "x")).toThrow("expected int");
    expect(() => call("get", "notamap", "k")).toThrow("map[string]interface {}");
  });
});
