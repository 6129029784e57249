import { describe, expect, it } from "vitest";
import { z } from "zod";
import { duration, looseBool, looseInt, looseString, nameList, optionalBool, stringList } from "./args.js";
import { defineFunction } from "./define-function.js";

describe("loose decoding (Kanister's weak decoding)", () => {
  it("reads ints from numeric strings", () => {
    expect(looseInt().parse("3")).toBe(3);
    expect(looseInt().parse(" 12 ")).toBe(12);
    expect(looseInt().parse(4)).toBe(4);
    expect(looseInt().safeParse("three").success).toBe(false);
    expect(looseInt().safeParse("1.5").success).toBe(false);
  });

  // Kanister pkg/function/args.go: Arg() is mapstructure.WeakDecode (v1.5.0 decodeBool/decodeString/decodeSlice).
  it("reads bools as Go's ParseBool does, untrimmed; null keeps the default", () => {
    expect(looseBool().parse("false")).toBe(false);
    expect(looseBool().parse("True")).toBe(true);
    expect(looseBool().parse("1")).toBe(true);
    expect(looseBool().parse("")).toBe(false);
    expect(looseBool().parse(0)).toBe(false);
    expect(looseBool().safeParse("yes").success).toBe(false);
    expect(looseBool().safeParse(" true").success).toBe(false);
    expect(optionalBool(true).parse(null)).toBe(true);
    expect(optionalBool(true).parse(undefined)).toBe(true);
    expect(optionalBool(true).parse("0")).toBe(false);
  });

  it("reads strings from scalars as WeakDecode does: bools are 1/0, floats never in exponent form", () => {
    expect(looseString().parse(5)).toBe("5");
    expect(looseString().parse(true)).toBe("1");
    expect(looseString().parse(false)).toBe("0");
    expect(looseString().parse(null)).toBe("");
    expect(looseString().parse(1.5)).toBe("1.5");
    expect(looseString().parse(1e21)).toBe("1000000000000000000000");
    expect(looseString().parse(1.5e-7)).toBe("0.00000015");
    expect(looseString().safeParse(["a"]).success).toBe(false);
  });

  it("lifts a scalar into a list; null is an empty list", () => {
    expect(stringList().parse("echo")).toEqual(["echo"]);
    expect(stringList().parse(7)).toEqual(["7"]);
    expect(stringList().parse(null)).toEqual([]);
    expect(stringList().parse(["sh", "-c", 1, true])).toEqual(["sh", "-c", "1", "1"]);
  });

  // Kanister pkg/function/kube_exec_all.go: pods and containers are decoded into a string, then strings.Fields.
  it("reads KubeExecAll names from one string only", () => {
    expect(nameList().parse(" web-0 web-1\t web-2\n")).toEqual(["web-0", "web-1", "web-2"]);
    expect(nameList().parse("")).toEqual([]);
    expect(nameList().safeParse(["a", "b"]).success).toBe(false);
  });

  it("parses Go durations and rejects unit-less numbers", () => {
    expect(duration().parse("1m30s")).toBe(90_000);
    const bad = duration().safeParse("30");
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/missing unit/);
  });
});

describe("defineFunction", () => {
  const fn = defineFunction({
    name: "Probe",
    args: z.object({ replicas: looseInt(), wait: looseBool().optional().default(true) }),
    exec: async () => undefined,
  });

  it("rejects unknown arguments, as Kanister does", () => {
    const res = fn.args.safeParse({ replicas: 1, replica: 2 });
    expect(res.success).toBe(false);
    expect(res.error?.issues[0]?.code).toBe("unrecognized_keys");
  });

  it("applies defaults and loose decoding", () => {
    expect(fn.args.parse({ replicas: "2" })).toEqual({ replicas: 2, wait: true });
    expect(fn.version).toBe("v0.0.0");
  });

  it("refuses a name that is not an identifier", () => {
    expect(() =>
      defineFunction({ name: "bad name", args: z.object({}), exec: async () => undefined }),
    ).toThrow(/invalid function name/);
  });
});
