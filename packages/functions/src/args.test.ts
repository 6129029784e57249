import { describe, expect, it } from "vitest";
import { z } from "zod";
import { duration, looseBool, looseInt, looseString, nameList, stringList } from "./args.js";
import { defineFunction } from "./define-function.js";

describe("loose decoding (Kanister's weak decoding)", () => {
  it("reads ints from numeric strings", () => {
    expect(looseInt().parse("3")).toBe(3);
    expect(looseInt().parse(" 12 ")).toBe(12);
    expect(looseInt().parse(4)).toBe(4);
    expect(looseInt().safeParse("three").success).toBe(false);
    expect(looseInt().safeParse("1.5").success).toBe(false);
  });

  it("reads bools as Go's ParseBool does", () => {
    expect(looseBool().parse("false")).toBe(false);
    expect(looseBool().parse("True")).toBe(true);
    expect(looseBool().parse("1")).toBe(true);
    expect(looseBool().parse(0)).toBe(false);
    expect(looseBool().safeParse("yes").success).toBe(false);
  });

  it("reads strings from scalars and lists from a single string", () => {
    expect(looseString().parse(5)).toBe("5");
    expect(stringList().parse("echo")).toEqual(["echo"]);
    expect(stringList().parse(["sh", "-c", 1])).toEqual(["sh", "-c", "1"]);
    expect(nameList().parse(" web-0 web-1  web-2")).toEqual(["web-0", "web-1", "web-2"]);
    expect(nameList().parse(["a", "b"])).toEqual(["a", "b"]);
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
