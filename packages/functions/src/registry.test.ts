import { QuiesceError } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineFunction } from "./define-function.js";
import { createRegistry, globalRegistry, register } from "./registry.js";

const make = (name: string, version?: string) =>
  defineFunction({
    name,
    ...(version ? { version } : {}),
    args: z.object({}),
    exec: async () => ({ version: version ?? "default" }),
  });

describe("FunctionRegistry", () => {
  it("registers, looks up and undoes", () => {
    const registry = createRegistry();
    const fn = make("Freeze");
    const undo = registry.register(fn);
    expect(registry.get("Freeze")).toBe(fn);
    expect(registry.names()).toEqual(["Freeze"]);
    undo();
    expect(registry.has("Freeze")).toBe(false);
  });

  it("throws a coded error on a duplicate name+version unless it is the same object", () => {
    const registry = createRegistry();
    const fn = make("Freeze");
    registry.register(fn);
    expect(() => registry.register(fn)).not.toThrow();
    const err = (() => {
      try {
        registry.register(make("Freeze"));
      } catch (e) {
        return e;
      }
    })();
    expect(QuiesceError.is(err, "QUIESCE_DUPLICATE_REGISTRATION")).toBe(true);
    expect((err as Error).message).toContain("Freeze v0.0.0");
  });

  it("keeps several versions and falls back to the default one", () => {
    const registry = createRegistry();
    const base = make("Scale");
    const v2 = make("Scale", "v2.0.0");
    registry.register(base);
    registry.register(v2);
    expect(registry.get("Scale", "v2.0.0")).toBe(v2);
    expect(registry.get("Scale", "v1.0.0")).toBe(base);
    expect(registry.get("Scale")).toBe(base);
    expect(registry.versions("Scale")).toEqual(["v0.0.0", "v2.0.0"]);
  });

  it("names an unknown function and lists the registered ones", () => {
    const registry = createRegistry();
    registry.register(make("KubeExec"));
    registry.register(make("KubeTask"));
    try {
      registry.get("BackupData");
      expect.unreachable();
    } catch (err) {
      expect(QuiesceError.is(err, "QUIESCE_NOT_REGISTERED")).toBe(true);
      expect((err as Error).message).toBe(
        "function BackupData is not registered (registered: KubeExec, KubeTask)",
      );
    }
  });

  it("reports a missing version with no default to fall back to", () => {
    const registry = createRegistry();
    registry.register(make("Only", "v1.0.0"));
    expect(() => registry.get("Only", "v2.0.0")).toThrowError(/registered versions: v1.0.0/);
  });

  // Kanister pkg/phase.go regFuncVersion and getFunctionVersion; versions are Masterminds/semver
  // v1 Versions, map keys that include the text as written (pkg/kanister.go funcs).
  it("resolves a preferred version as Kanister does: exact text, then the default", () => {
    const registry = createRegistry();
    const base = make("Task");
    const alpha = make("Task", "v1.0.0-alpha");
    registry.register(base);
    registry.register(alpha);
    expect(registry.get("Task", "v1.0.0-alpha")).toBe(alpha);
    expect(registry.get("Task", "")).toBe(base);
    expect(registry.get("Task", "v0.0.0")).toBe(base);
    // Another version falls back to the default one, even a semver-equal spelling of a registered one.
    expect(registry.get("Task", "v1.0.0")).toBe(base);
    expect(registry.get("Task", "1.0.0-alpha")).toBe(base);
  });

  it("refuses a version equal to v0.0.0 but written otherwise, and one that does not parse", () => {
    const registry = createRegistry();
    registry.register(make("Task"));
    for (const v of ["0.0.0", "v0", "0.0.0+build"]) {
      expect(() => registry.get("Task", v)).toThrowError(
        `Requested function {Task} has not been registered with version {${v}}`,
      );
      expect(registry.find("Task", v)).toBeUndefined();
    }
    try {
      registry.get("Task", "latest");
      expect.unreachable();
    } catch (err) {
      expect(QuiesceError.is(err, "QUIESCE_VALIDATION")).toBe(true);
      expect((err as Error).message).toBe(
        "Failed to get function version: Failed to parse function version {latest}: Invalid Semantic Version",
      );
    }
    const onlyV1 = createRegistry();
    onlyV1.register(make("Only", "v1.0.0"));
    expect(() => onlyV1.get("Only")).toThrowError(
      "Requested function {Only} has not been registered with version {}",
    );
    expect(() => onlyV1.get("Only", "v2.0.0")).toThrowError(
      "Requested function {Only} has not been registered with versions {v2.0.0} or {v0.0.0}",
    );
  });

  it("registers only semantic versions, as Kanister's semver.MustParse", () => {
    expect(() => make("Task", "one")).toThrowError(
      /invalid version "one" of function Task: Invalid Semantic Version/,
    );
    expect(make("Task", "2").version).toBe("2");
  });

  it("shares the global registry through a versioned Symbol.for key", () => {
    const fn = make("GlobalProbe");
    const undo = register(fn);
    try {
      const shared = (globalThis as unknown as Record<symbol, ReturnType<typeof globalRegistry>>)[
        Symbol.for("quiesce.functions.registry.v1")
      ];
      expect(shared).toBe(globalRegistry());
      expect(shared?.get("GlobalProbe")).toBe(fn);
    } finally {
      undo();
    }
    expect(globalRegistry().has("GlobalProbe")).toBe(false);
  });

  it("registers on a given registry instead of the global one", () => {
    const registry = createRegistry();
    register(make("Isolated"), { registry });
    expect(registry.has("Isolated")).toBe(true);
    expect(globalRegistry().has("Isolated")).toBe(false);
  });
});
