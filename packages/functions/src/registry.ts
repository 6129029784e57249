/** The function registry: Go's database/sql driver pattern, with a global default and isolated registries. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import {
  type ArgsSchema,
  DEFAULT_FUNCTION_VERSION,
  type FunctionLookup,
  type KanisterFunction,
} from "./function-types.js";
import { isDefaultVersion, parseFunctionVersion } from "./function-version.js";

/** A registered function, whatever its argument schema. */
export type AnyFunction = KanisterFunction<ArgsSchema>;

/**
 * Holds functions by name and version. Registering the same name and version twice is an error
 * unless it is the very same function object (a module imported twice registers once).
 *
 * @example
 * ```ts
 * const registry = createRegistry();
 * const undo = registry.register(myFunction);
 * registry.get("MyFunction"); // the function
 * undo();
 * ```
 */
export class FunctionRegistry implements FunctionLookup {
  readonly #functions = new Map<string, Map<string, AnyFunction>>();

  /** Registers `fn` under its name and version; returns an undo function. */
  register(fn: AnyFunction): () => void {
    let versions = this.#functions.get(fn.name);
    const existing = versions?.get(fn.version);
    if (existing === fn) return () => {};
    if (existing) {
      throw new QuiesceError(
        ErrorCodes.DUPLICATE_REGISTRATION,
        `function ${fn.name} ${fn.version} is already registered`,
        { details: { name: fn.name, version: fn.version } },
      );
    }
    if (!versions) {
      versions = new Map();
      this.#functions.set(fn.name, versions);
    }
    versions.set(fn.version, fn);
    let undone = false;
    return () => {
      if (undone) return;
      undone = true;
      const current = this.#functions.get(fn.name);
      if (current?.get(fn.version) === fn) {
        current.delete(fn.version);
        if (current.size === 0) this.#functions.delete(fn.name);
      }
    };
  }

  /** True when a function of that name is registered (under any version). */
  has(name: string): boolean {
    return this.#functions.has(name);
  }

  /**
   * The function `name` at `preferredVersion`, as Kanister resolves it (pkg/phase.go
   * regFuncVersion): no preferred version, or `v0.0.0`, is the default version; another must be a
   * semantic version and is matched as written (`1.0.0` is not `v1.0.0`); a version not registered
   * falls back to the default one — unless it equals v0.0.0 written differently (`0.0.0`), which
   * Kanister refuses. Throws `QUIESCE_NOT_REGISTERED` naming the function and listing the registered
   * ones (a version problem in Kanister's words), or `QUIESCE_VALIDATION` for a version that does
   * not parse.
   */
  get(name: string, preferredVersion?: string): AnyFunction {
    const found = this.#resolve(name, preferredVersion);
    if (found instanceof QuiesceError) throw found;
    return found;
  }

  /** Like {@link get} but returns undefined instead of throwing. */
  find(name: string, preferredVersion?: string): AnyFunction | undefined {
    const found = this.#resolve(name, preferredVersion);
    return found instanceof QuiesceError ? undefined : found;
  }

  #resolve(name: string, preferredVersion: string | undefined): AnyFunction | QuiesceError {
    const version = preferredVersion ?? "";
    const details = { name, preferredVersion: preferredVersion ?? null, registered: this.names() };
    const versions = this.#functions.get(name);
    if (!versions) {
      return new QuiesceError(
        ErrorCodes.NOT_REGISTERED,
        `function ${name} is not registered (registered: ${this.names().join(", ") || "none"})`,
        { details },
      );
    }
    const notRegistered = (message: string) =>
      new QuiesceError(
        ErrorCodes.NOT_REGISTERED,
        `${message} (registered versions: ${[...versions.keys()].join(", ")})`,
        { details },
      );
    const fallback = versions.get(DEFAULT_FUNCTION_VERSION);
    if (version === "" || version === DEFAULT_FUNCTION_VERSION) {
      return (
        fallback ??
        notRegistered(`Requested function {${name}} has not been registered with version {${version}}`)
      );
    }
    const parsed = parseFunctionVersion(version);
    if (typeof parsed === "string") {
      return new QuiesceError(
        ErrorCodes.VALIDATION,
        `Failed to get function version: Failed to parse function version {${version}}: ${parsed}`,
        { details },
      );
    }
    const exact = versions.get(version);
    if (exact) return exact;
    if (isDefaultVersion(parsed)) {
      return notRegistered(`Requested function {${name}} has not been registered with version {${version}}`);
    }
    return (
      fallback ??
      notRegistered(
        `Requested function {${name}} has not been registered with versions {${version}} or {${DEFAULT_FUNCTION_VERSION}}`,
      )
    );
  }

  /** Registered function names, sorted. */
  names(): string[] {
    return [...this.#functions.keys()].sort();
  }

  /** Versions registered under `name`. */
  versions(name: string): string[] {
    return [...(this.#functions.get(name)?.keys() ?? [])].sort();
  }

  /** Removes every function (for tests). */
  clear(): void {
    this.#functions.clear();
  }
}

/** A new, empty registry (tests and hosts that want isolation). */
export function createRegistry(): FunctionRegistry {
  return new FunctionRegistry();
}

// Versioned key so two copies of this package (e.g. two versions in node_modules) share one default.
const GLOBAL_KEY = Symbol.for("quiesce.functions.registry.v1");

/** The process-wide default registry, shared by every copy of this package. */
export function globalRegistry(): FunctionRegistry {
  const holder = globalThis as unknown as Record<symbol, FunctionRegistry | undefined>;
  let registry = holder[GLOBAL_KEY];
  if (!registry) {
    registry = new FunctionRegistry();
    Object.defineProperty(globalThis, GLOBAL_KEY, { value: registry, enumerable: false, configurable: true });
  }
  return registry;
}

/**
 * Registers a function on the global registry (or on `options.registry`); returns an undo function.
 * A plugin package calls it at import time, like a Go driver's `init()`.
 *
 * @example
 * ```ts
 * import { register } from "@quiesce/functions";
 * register(flushRedis);
 * ```
 */
export function register(fn: AnyFunction, options: { registry?: FunctionRegistry } = {}): () => void {
  return (options.registry ?? globalRegistry()).register(fn);
}
