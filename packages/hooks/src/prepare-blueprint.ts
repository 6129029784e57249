/** Preparing K10 hooks: a Kanister Blueprint action run through @quiesce/functions. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import {
  type ActionResult,
  DEFAULT_DEFER_TIMEOUT_MS,
  loadBlueprint,
  runBlueprintAction,
  validateBlueprint,
} from "@quiesce/functions";
import type { BlueprintHookSpec, HookRunOutput, PreparedHook } from "./hook-spec.js";
import { asJson } from "./prepare-kubestash.js";
import type { CommonSettings, PrepareEnv } from "./prepare-settings.js";
import type { HookPhase, TargetRecord } from "./result.js";

type Blueprint = ReturnType<typeof loadBlueprint>["blueprint"];

function asBlueprint(source: unknown, path: string): Blueprint {
  // Accept what loadBlueprint returns ({ blueprint, warnings }) as well as a document or its YAML.
  const loaded = source as { blueprint?: unknown; warnings?: unknown };
  const doc =
    loaded && typeof loaded === "object" && Array.isArray(loaded.warnings) ? loaded.blueprint : source;
  try {
    return loadBlueprint(doc).blueprint;
  } catch (cause) {
    throw new QuiesceError(ErrorCodes.VALIDATION, `${path}.blueprint: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/** Maps a Blueprint action result to a hook attempt's output: one target per phase. */
export function blueprintRunOutput(result: ActionResult): HookRunOutput {
  const phases = [...result.phases, ...(result.deferPhase ? [result.deferPhase] : [])];
  const targets: TargetRecord[] = phases
    .filter((p) => p.status !== "skipped")
    .map((p) => {
      const rec: TargetRecord = {
        name: `${p.name} (${p.func})`,
        status: p.status === "succeeded" ? "succeeded" : p.status === "cancelled" ? "cancelled" : "failed",
      };
      if (p.error) rec.error = p.error;
      return rec;
    });
  const outputs: Record<string, unknown> = {};
  for (const p of phases) if (Object.keys(p.output).length > 0) outputs[p.name] = p.output;
  // The action's warnings (its own record falling behind, …) belong to the hook's record.
  const warnings = result.warnings && result.warnings.length > 0 ? { warnings: [...result.warnings] } : {};
  if (result.status === "succeeded") {
    return { status: "succeeded", targets, outputs, artifacts: { ...result.outputArtifacts }, ...warnings };
  }
  return {
    status: "failed",
    targets,
    outputs,
    ...warnings,
    error: new QuiesceError(
      (result.error?.code as `QUIESCE_${string}` | undefined) ?? ErrorCodes.HOOK_FAILED,
      result.error?.message ?? `Blueprint action ${result.action} ${result.status}`,
      { details: { action: result.action } },
    ),
  };
}

// The runner gives an aborted phase up to 10 s to wind down before the deferPhase, and the
// deferPhase as much again after its budget: both fit in this margin.
const BLUEPRINT_SETTLE_MARGIN_MS = 30_000;

/** Prepares `{ blueprint, actionName }`: loads the Blueprint and checks the action exists. */
export async function prepareBlueprintHook(
  spec: BlueprintHookSpec,
  phase: HookPhase,
  namespace: string,
  path: string,
  env: PrepareEnv,
  common: CommonSettings,
): Promise<PreparedHook> {
  const blueprint = asBlueprint(spec.blueprint, path);
  if (typeof spec.actionName !== "string" || !Object.hasOwn(blueprint.actions, spec.actionName)) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `${path}.actionName: Blueprint ${blueprint.metadata?.name ?? "(unnamed)"} has no action ${JSON.stringify(spec.actionName)} (actions: ${Object.keys(blueprint.actions).join(", ")})`,
    );
  }
  // Unknown functions, bad arguments and template syntax are deterministic: fail before anything
  // runs instead of spending retries on them.
  const validation = validateBlueprint(blueprint, {
    action: spec.actionName,
    ...(env.functionRegistry ? { registry: env.functionRegistry } : {}),
  });
  if (!validation.ok) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `${path}.blueprint: ${validation.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
      { details: { issues: validation.errors, missingFunctions: validation.missingFunctions } },
    );
  }
  if (!env.cluster) {
    throw new QuiesceError(ErrorCodes.VALIDATION, `${path}: Blueprint hooks need a cluster`);
  }
  const cluster = env.cluster;
  // The session's Profile is read before any hook runs: a bad one fails the resolution.
  const profile = env.profile ? await env.profile() : undefined;
  return {
    ...common,
    kind: "k10",
    phase,
    namespace,
    stored: asJson({ ...spec, blueprint }),
    // After an abort the action still winds its phase down and runs its deferPhase (bounded by its
    // cleanup budget): wait for that, so the thaw is recorded rather than left running unseen.
    settleGraceMs: DEFAULT_DEFER_TIMEOUT_MS + BLUEPRINT_SETTLE_MARGIN_MS,
    async run(ctx) {
      const result = await runBlueprintAction(blueprint, spec.actionName, {
        cluster,
        subject: { ...ctx.subject, namespace: ctx.subject.namespace ?? namespace },
        ...(env.functionRegistry ? { registry: env.functionRegistry } : {}),
        signal: ctx.signal,
        options: spec.options ?? {},
        artifacts: ctx.artifactsIn,
        logger: ctx.logger,
        // A phase gets a deadline only when the reference or the host set one (Kanister sets none).
        ...(common.timeoutMs !== undefined ? { phaseTimeout: common.timeoutMs } : {}),
        ...(env.sessionRecord !== undefined ? { sessionRecord: env.sessionRecord } : {}),
        ...(profile ? { profile } : {}),
        ...(env.templateLimits !== undefined ? { templateLimits: env.templateLimits } : {}),
      });
      return blueprintRunOutput(result);
    },
  };
}
