import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { createExecutorRegistry, defaultExecutorRegistry, registerExecutor } from "./default-registry.js";
import type { Executor } from "./executor.js";
import { ExecutorRegistry } from "./registry.js";

const make = (type: string): Executor => ({
  type,
  targets: async () => [{ kind: "Host", name: "h" }],
  run: async () => ({ status: "succeeded" }),
});

describe("ExecutorRegistry", () => {
  it("starts empty as a class and with the built-ins from the factory", () => {
    expect(new ExecutorRegistry().types()).toEqual([]);
    expect(createExecutorRegistry().types()).toEqual(["Function", "Operator", "Pod"]);
    expect(createExecutorRegistry({ builtins: false }).types()).toEqual([]);
  });

  it("registers, finds and undoes", () => {
    const r = new ExecutorRegistry();
    const e = make("Echo");
    const undo = r.register(e);
    expect(r.get("Echo")).toBe(e);
    expect(r.require("Echo")).toBe(e);
    undo();
    expect(r.has("Echo")).toBe(false);
  });

  it("throws on a different executor under a taken type, accepts the same object again", () => {
    const r = new ExecutorRegistry();
    const e = make("Echo");
    r.register(e);
    expect(() => r.register(e)).not.toThrow();
    try {
      r.register(make("Echo"));
      expect.unreachable();
    } catch (err) {
      expect(QuiesceError.is(err, ErrorCodes.DUPLICATE_REGISTRATION)).toBe(true);
      expect((err as Error).message).toContain('"Echo"');
    }
  });

  it("names the known types when a type is missing", () => {
    const r = createExecutorRegistry();
    expect(() => r.require("Nope")).toThrow(
      /no executor of type "Nope" is registered \(known: Function, Operator, Pod\)/,
    );
  });

  it("keeps one default registry with the built-ins; registerExecutor adds to it until undone", () => {
    expect(defaultExecutorRegistry()).toBe(defaultExecutorRegistry());
    expect(defaultExecutorRegistry().has("Pod")).toBe(true);
    const undo = registerExecutor(make("HostOwn"));
    expect(defaultExecutorRegistry().has("HostOwn")).toBe(true);
    undo();
    expect(defaultExecutorRegistry().has("HostOwn")).toBe(false);
  });
});
