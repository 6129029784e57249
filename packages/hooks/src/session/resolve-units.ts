/** Resolution: every hook of every unit prepared before anything runs, a failed one kept as a record. */
import { ErrorCodes, mapSettledLimit, QuiesceError, serializeError } from "@quiesce/core";
import { newHookRecord } from "../attempts.js";
import type { HookSpec, PreparedHook } from "../hook-spec.js";
import type { LifecycleHooks } from "../lifecycle-options.js";
import { prepareHook, specName, specResultKind } from "../prepare.js";
import type { PrepareEnv } from "../prepare-settings.js";
import type { HookPhase, HookRecord } from "../result.js";
import { PHASES, type Unit } from "./unit.js";

function asList(value: HookSpec | readonly HookSpec[] | undefined): readonly HookSpec[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly HookSpec[]) : [value as HookSpec];
}

/** The specs of one phase (`pre`/`post` are lists; the K10 phases take one spec or a list). */
export function specsOf(hooks: LifecycleHooks, phase: HookPhase): readonly HookSpec[] {
  return phase === "pre" || phase === "post" ? (hooks[phase] ?? []) : asList(hooks[phase]);
}

/** The document path of a spec, as errors name it (`hooks.pre[1]`, `hooks.onFailure`). */
export function specPath(hooks: LifecycleHooks, phase: HookPhase, index: number): string {
  const listed = phase === "pre" || phase === "post" || Array.isArray(hooks[phase]);
  return `hooks.${phase}${listed ? `[${index}]` : ""}`;
}

/**
 * Prepares the hooks of every unit (`specsFor`, `concurrency` units at a time) and fills their slots. Returns
 * false when any hook could not be resolved; its record then says why.
 */
export async function resolveUnits(
  units: readonly Unit[],
  hooks: LifecycleHooks,
  specsFor: (unit: Unit, phase: HookPhase) => Array<{ spec: HookSpec; index: number }>,
  env: PrepareEnv,
  concurrency: number,
  tolerant = false,
): Promise<boolean> {
  let ok = true;
  await mapSettledLimit(units, concurrency, async (unit) => {
    for (const phase of PHASES) {
      for (const { spec, index } of specsFor(unit, phase)) {
        const path = specPath(hooks, phase, index);
        try {
          const hook = await prepareHook(spec, phase, unit.namespace, path, env);
          if (unit.slots[phase].some((s) => s.record.name === hook.name)) {
            // Names identify hooks in results, events and journal keys: two of one name in a phase are ambiguous.
            throw new QuiesceError(
              ErrorCodes.VALIDATION,
              `${path}.name: duplicate hook name "${hook.name}" in ${phase}`,
            );
          }
          unit.slots[phase].push({ record: newHookRecord(hook), hook });
        } catch (err) {
          if (tolerant) {
            // Recovery: this hook fails when its turn comes; the others still run.
            const hook = unresolvable(spec, phase, unit.namespace, err);
            unit.slots[phase].push({ record: newHookRecord(hook), hook });
            continue;
          }
          ok = false;
          unit.slots[phase].push({ record: failedRecord(spec, phase, unit.namespace, err), hook: undefined });
        }
      }
    }
  });
  return ok;
}

function failedRecord(spec: HookSpec, phase: HookPhase, namespace: string, err: unknown): HookRecord {
  return {
    name: specName(spec),
    kind: specResultKind(spec),
    phase,
    namespace,
    status: "failed",
    attempts: [],
    targets: [],
    outputs: {},
    artifacts: {},
    error: serializeError(err),
  };
}

// A hook that could not be prepared, as a hook that fails with why: its execution policy kept, if valid.
function unresolvable(spec: HookSpec, phase: HookPhase, namespace: string, error: unknown): PreparedHook {
  const policy = (spec as { executionPolicy?: unknown } | null)?.executionPolicy;
  return {
    name: specName(spec),
    kind: specResultKind(spec),
    phase,
    namespace,
    maxRetry: 0,
    timeoutMs: 60_000,
    executionPolicy:
      phase === "post" ? (policy === "OnSuccess" || policy === "OnFailure" ? policy : "Always") : undefined,
    continueOnError: false,
    run: async () => ({ status: "failed", error, noRetry: true }),
  };
}
