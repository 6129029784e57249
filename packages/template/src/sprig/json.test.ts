import { describe, expect, it } from "vitest";
import { sprigFunctions as f } from "./index.js";

const call = (name: string, ...args: unknown[]) => {
  const fn = f[name];
  if (fn === undefined) throw new Error(`no function ${name}`);
  return fn(...args);
};

describe("json", () => {
  it("writes Go's encoding/json bytes", () => {
    expect(call("toJson", { b: "<&>", a: [1, 1.5, 1e-7, 1e21, null] })).toBe(
      '{"a":[1,1.5,1e-7,1e+21,null],"b":"\\u003c\\u0026\\u003e"}',
    );
    expect(call("toRawJson", { h: "<b>" })).toBe('{"h":"<b>"}');
    expect(call("toJson", "\u2028\u0001")).toBe('"\\u2028\\u0001"');
    expect(call("toJson", new Uint8Array([104, 105]))).toBe('"aGk="');
    expect(call("toPrettyJson", { a: [], b: {} })).toBe('{\n  "a": [],\n  "b": {}\n}');
    expect(call("toJson", Number.NaN)).toBe("");
    expect(() => call("mustToJson", Number.NaN)).toThrow("unsupported value");
  });

  it("reads JSON into maps without prototypes", () => {
    const v = call("fromJson", '{"__proto__":{"x":1}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(["__proto__"]);
    expect(call("fromJson", "nope")).toBe(null);
    expect(() => call("mustFromJson", "")).toThrow("unexpected end of JSON input");
  });
});
