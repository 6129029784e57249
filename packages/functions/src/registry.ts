/** The function registry: Go's database/sql driver pattern, with a global default and isolated registries. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import {
  type ArgsSchema,
  DEFAULT_FUNCTION_VERSION,
  type FunctionLookup,
  type KanisterFunction,
} from "./function-types.js";

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
   * The function `name` at `preferredVersion`, falling back to the default version (Kanister's
   * rule); throws `QUIESCE_NOT_REGISTERED` naming the function and listing the registered ones.
   */
  get(name: string, preferredVersion?: string): AnyFunction {
    const found = this.find(name, preferredVersion);
    if (found) return found;
    const versions = this.#functions.get(name);
    const message = versions
      ? `function ${name} is not registered with version ${preferredVersion ?? DEFAULT_FUNCTION_VERSION} or ${DEFAULT_FUNCTION_VERSION} (registered versions: ${[...versions.keys()].join(", ")})`
      : `function ${name} is not registered (registered: ${this.names().join(", ") || "none"})`;
    throw new QuiesceError(ErrorCodes.NOT_REGISTERED, message, {
      details: { name, preferredVersion: preferredVersion ?? null, registered: this.names() },
    });
  }

  /** Like {@link get} but returns undefined instead of throwing. */
  find(name: string, preferredVersion?: string): AnyFunction | undefined {
    const versions = this.#functions.get(name);
    if (!versions) return undefined;
    return (
      (preferredVersion ? versions.get(preferredVersion) : undefined) ??
      versions.get(DEFAULT_FUNCTION_VERSION)
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
