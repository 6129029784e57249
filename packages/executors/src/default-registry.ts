/** The global default executor registry, holding the built-in Pod, Operator and Function executors. */

import type { Executor } from "./executor.js";
import { functionExecutor } from "./executors/function.js";
import { operatorExecutor } from "./executors/operator.js";
import { podExecutor } from "./executors/pod.js";
import { ExecutorRegistry } from "./registry.js";

/** The built-in executors, in KubeStash's order. */
export const builtinExecutors: readonly Executor[] = Object.freeze([
  podExecutor,
  operatorExecutor,
  functionExecutor,
]);

/**
 * A new registry. With `builtins: true` (the default) it starts with Pod, Operator and Function;
 * tests and hosts that want isolation build their own instead of touching the global one.
 *
 * @example
 * ```ts
 * const registry = createExecutorRegistry();
 * registry.register(myExecutor);
 * await runAction({ action, executor: { type: "Mine" }, namespace: "db", executorRegistry: registry });
 * ```
 */
export function createExecutorRegistry(options: { builtins?: boolean } = {}): ExecutorRegistry {
  const registry = new ExecutorRegistry();
  if (options.builtins ?? true) for (const e of builtinExecutors) registry.register(e);
  return registry;
}

// Versioned global key: two copies of this package in one process share one default registry.
const GLOBAL_KEY = Symbol.for("quiesce.executors.registry/v1");
type GlobalWithRegistry = typeof globalThis & { [GLOBAL_KEY]?: ExecutorRegistry };

/** The process-wide default registry (built-ins registered), used when a call passes none. */
export function defaultExecutorRegistry(): ExecutorRegistry {
  const g = globalThis as GlobalWithRegistry;
  g[GLOBAL_KEY] ??= createExecutorRegistry();
  return g[GLOBAL_KEY];
}

/**
 * Registers a host's own executor type on the default registry; returns an undo function.
 *
 * @example
 * ```ts
 * const undo = registerExecutor({ type: "Webhook", targets: async () => [...], run: async () => ({ status: "succeeded" }) });
 * ```
 */
export function registerExecutor(executor: Executor): () => void {
  return defaultExecutorRegistry().register(executor);
}
