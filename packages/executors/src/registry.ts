/** The registry of executor types: a class, a factory, and a global default (like prom-client's `register`). */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { Executor } from "./executor.js";

/**
 * Maps `executor.type` to an {@link Executor}. Registering a different executor under a taken type
 * throws `QUIESCE_DUPLICATE_REGISTRATION`; registering the same object again is a no-op.
 *
 * @example
 * ```ts
 * const registry = new ExecutorRegistry();
 * const undo = registry.register(myExecutor);
 * registry.get("Mine"); // myExecutor
 * undo();
 * ```
 */
export class ExecutorRegistry {
  readonly #executors = new Map<string, Executor>();

  /** Adds `executor` under its type; returns an undo function that removes it (if still registered). */
  register(executor: Executor): () => void {
    const existing = this.#executors.get(executor.type);
    if (existing !== undefined && existing !== executor) {
      throw new QuiesceError(
        ErrorCodes.DUPLICATE_REGISTRATION,
        `an executor of type "${executor.type}" is already registered`,
        { details: { type: executor.type } },
      );
    }
    if (existing === executor) return () => {};
    this.#executors.set(executor.type, executor);
    return () => {
      if (this.#executors.get(executor.type) === executor) this.#executors.delete(executor.type);
    };
  }

  /** The executor for `type`, or undefined. */
  get(type: string): Executor | undefined {
    return this.#executors.get(type);
  }

  /** The executor for `type`; throws `QUIESCE_NOT_REGISTERED` naming the known types. */
  require(type: string): Executor {
    const found = this.#executors.get(type);
    if (found) return found;
    throw new QuiesceError(
      ErrorCodes.NOT_REGISTERED,
      `no executor of type "${type}" is registered (known: ${this.types().join(", ") || "none"})`,
      { details: { type, known: this.types() } },
    );
  }

  /** True when `type` is registered. */
  has(type: string): boolean {
    return this.#executors.has(type);
  }

  /** Registered types, sorted. */
  types(): string[] {
    return [...this.#executors.keys()].sort();
  }
}
