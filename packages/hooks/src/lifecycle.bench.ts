/**
 * Lifecycle overhead per hook: sessions of no-op hooks, so the figure is what runWithHooks itself
 * costs (preparation, attempts, records, events) per hook. Two kinds: a function hook, and an inline
 * KubeStash action on a no-op executor registered in an isolated executor registry (which adds
 * action validation, Go-template rendering of the command and the executor's result bookkeeping).
 * Goal: < 100 µs per hook.
 */
import { createExecutorRegistry, type Executor } from "@quiesce/executors";
import { createLifecycleEvents } from "./events.js";
import type { HookSpec } from "./hook-spec.js";
import { runWithHooks } from "./lifecycle.js";

const noopExecutor: Executor = {
  type: "Noop",
  async targets() {
    return [{ kind: "Host", name: "noop" }];
  },
  async run() {
    return { status: "succeeded" };
  },
};
const executorRegistry = createExecutorRegistry({ builtins: false });
executorRegistry.register(noopExecutor);

const subject = { kind: "StatefulSet", namespace: "bench", name: "db" };
const HOOKS_PER_SESSION = 100;

function functionHooks(n: number): HookSpec[] {
  return Array.from({ length: n }, (_, i) => ({ name: `fn-${i}`, run: async () => undefined }));
}

function inlineHooks(n: number): HookSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `inline-${i}`,
    action: { exec: { command: ["echo", "{{ .Namespace }}/{{ .Target.Name }}"] } },
    executor: { type: "Noop" },
  }));
}

async function measure(
  label: string,
  make: (n: number) => HookSpec[],
  sessions: number,
  withEvents: boolean,
) {
  const half = HOOKS_PER_SESSION / 2;
  const hooks = { pre: make(half), post: make(half) };
  const events = withEvents ? createLifecycleEvents() : undefined;
  if (events) events.on("hook:succeeded", () => {});
  const run = () => runWithHooks({ subject, hooks, executorRegistry, events }, async () => undefined);
  for (let i = 0; i < 30; i++) await run(); // warm-up: let the JIT settle before timing
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < sessions; i++) {
    const result = await run();
    if (result.outcome !== "succeeded") throw new Error(`bench session failed: ${result.error?.message}`);
  }
  const elapsedNs = Number(process.hrtime.bigint() - t0);
  globalThis.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const perHookUs = elapsedNs / 1000 / (sessions * HOOKS_PER_SESSION);
  return {
    kind: label,
    events: withEvents ? "on" : "off",
    sessions,
    hooks: sessions * HOOKS_PER_SESSION,
    "µs/hook": perHookUs.toFixed(1),
    "goal <100µs": perHookUs < 100 ? "met" : "missed",
    "heap Δ MiB": ((heapAfter - heapBefore) / 1048576).toFixed(1),
  };
}

const rows = [
  await measure("function hook", functionHooks, 200, false),
  await measure("function hook", functionHooks, 200, true),
  await measure("inline action, no-op executor", inlineHooks, 100, false),
  await measure("inline action, no-op executor", inlineHooks, 100, true),
];
console.table(rows);
