/** Turns a HookSpec into a PreparedHook for one phase and namespace: every check that can fail before anything runs. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { BlueprintHookSpec, FunctionHookSpec, HookSpec, PreparedHook } from "./hook-spec.js";
import { specKind } from "./hook-spec.js";
import { prepareBlueprintHook } from "./prepare-blueprint.js";
import { prepareInlineHook, prepareKubeStashHook } from "./prepare-kubestash.js";
import { commonSettings, type PrepareEnv } from "./prepare-settings.js";
import type { HookPhase } from "./result.js";
import { prepareVeleroHook } from "./velero/prepare-velero.js";
import type { VeleroHookSpec } from "./velero/velero-hook-spec.js";

function invalid(path: string, message: string): QuiesceError {
  return new QuiesceError(ErrorCodes.VALIDATION, `${path}: ${message}`, { details: { path } });
}

/** The display name of a spec (for records even when preparation fails). */
export function specName(spec: HookSpec): string {
  if (spec === null || typeof spec !== "object") return "(invalid)";
  if ("blueprint" in spec) return spec.name ?? spec.actionName;
  return (spec as { name?: unknown }).name === undefined
    ? "(unnamed)"
    : String((spec as { name: unknown }).name);
}

/** The result kind of a spec. */
export function specResultKind(spec: HookSpec): PreparedHook["kind"] {
  if (spec === null || typeof spec !== "object") return "function";
  const kind = specKind(spec);
  if (kind === "velero") return "velero";
  return kind === "blueprint" ? "k10" : kind === "function" ? "function" : "kubestash";
}

/**
 * Prepares `spec` for `phase` in `namespace`: resolves and validates everything (template,
 * usage policy, params, durations, phase rules) so that a refused or malformed hook fails the
 * session before anything runs.
 */
export async function prepareHook(
  spec: HookSpec,
  phase: HookPhase,
  namespace: string,
  path: string,
  env: PrepareEnv,
): Promise<PreparedHook> {
  if (spec === null || typeof spec !== "object") throw invalid(path, "expected a hook spec object");
  const kind = specKind(spec);
  const name = specName(spec);
  if (kind === "kubestash") return prepareKubeStashHook(spec as never, phase, namespace, path, env);
  if (kind === "inline") return prepareInlineHook(spec as never, phase, namespace, path, env);
  if (kind === "velero") {
    const hook = prepareVeleroHook(spec as VeleroHookSpec, phase, path, env);
    return { ...hook, stored: { name: hook.name, velero: hook.velero } };
  }
  const common = commonSettings(spec as BlueprintHookSpec | FunctionHookSpec, name, phase, path, env);
  if (kind === "blueprint")
    return prepareBlueprintHook(spec as BlueprintHookSpec, phase, namespace, path, env, common);
  const fn = spec as FunctionHookSpec;
  if (typeof fn.run !== "function") {
    throw invalid(
      path,
      "expected hookTemplate (KubeStash reference), blueprint + actionName, action + executor, or run()",
    );
  }
  if (typeof fn.name !== "string" || fn.name === "")
    throw invalid(`${path}.name`, "a function hook needs a name");
  const run = fn.run.bind(fn);
  // Code cannot be recorded: a recovery runs the host function of that name it is given.
  const { run: _code, ...settings } = fn;
  const stored = { ...(JSON.parse(JSON.stringify(settings)) as object), hostFunction: true };
  return { ...common, kind: "function", phase, namespace, run, stored };
}
