/** Static checks of a Blueprint against a registry, before anything runs: every problem at once, with paths. */
import type { z } from "zod";
import type { KanisterFunction } from "../define-function.js";
import { hasJsonPathArgs } from "../jsonpath.js";
import { type FunctionRegistry, globalRegistry } from "../registry.js";
import { isTemplated, templateSyntaxError } from "../template-engine.js";
import { type BlueprintIssue, formatPath, joinPath } from "./issues.js";
import type { Blueprint, BlueprintPhase } from "./schema.js";

/** The outcome of {@link validateBlueprint}. */
export interface BlueprintValidation {
  /** True when there is no error (warnings allowed). */
  ok: boolean;
  errors: BlueprintIssue[];
  warnings: BlueprintIssue[];
  /** Functions the Blueprint calls that the registry does not hold, sorted. */
  missingFunctions: string[];
}

/** Options of {@link validateBlueprint}. */
export interface ValidateOptions {
  /** Default: the global registry. */
  registry?: FunctionRegistry;
  /** Function version to prefer (falls back to the default version). */
  preferredVersion?: string;
  /** Only this action. */
  action?: string;
}

/**
 * Checks a loaded Blueprint: unknown functions, missing and unknown arguments, literal argument
 * values against each function's schema (templated values are checked after rendering, at run
 * time), duplicate or missing phase names, and template syntax of every string. Known quirks
 * (a Wait condition whose JSONPath lacks `{ }`, so it is constant) come back as warnings.
 *
 * @example
 * ```ts
 * const { blueprint } = loadBlueprint(text);
 * const result = validateBlueprint(blueprint, { registry });
 * for (const e of result.errors) console.log(`${e.path}: ${e.message}`);
 * ```
 */
export function validateBlueprint(blueprint: Blueprint, options: ValidateOptions = {}): BlueprintValidation {
  const registry = options.registry ?? globalRegistry();
  const errors: BlueprintIssue[] = [];
  const warnings: BlueprintIssue[] = [];
  const missing = new Set<string>();

  for (const [actionName, action] of Object.entries(blueprint.actions)) {
    if (options.action !== undefined && options.action !== actionName) continue;
    const base = `actions.${actionName}`;
    const seen = new Map<string, string>();
    const phases: Array<[string, BlueprintPhase, boolean]> = action.phases.map((p, i) => [
      `${base}.phases[${i}]`,
      p,
      false,
    ]);
    if (action.deferPhase) phases.push([`${base}.deferPhase`, action.deferPhase, true]);
    for (const [path, phase, isDefer] of phases) {
      if (!phase.name) {
        if (!isDefer) errors.push({ path: `${path}.name`, message: "a phase needs a name", kind: "schema" });
      } else if (seen.has(phase.name)) {
        errors.push({
          path: `${path}.name`,
          message: `duplicate phase name "${phase.name}" (also at ${seen.get(phase.name)})`,
          kind: "duplicate-phase",
        });
      } else seen.set(phase.name, path);

      checkTemplates(phase.objects ?? {}, `${path}.objects`, errors);
      checkTemplates(phase.args, `${path}.args`, errors);

      const fn = registry.find(phase.func, options.preferredVersion);
      if (!fn) {
        missing.add(phase.func);
        errors.push({
          path: `${path}.func`,
          message: `function ${phase.func} is not registered (registered: ${registry.names().join(", ") || "none"})`,
          kind: "unknown-function",
        });
        continue;
      }
      checkArgs(fn, phase.args, `${path}.args`, errors);
      if (phase.func === "Wait") checkWaitQuirks(phase.args, `${path}.args`, warnings);
    }
    for (const [artifactName, artifact] of Object.entries(action.outputArtifacts ?? {})) {
      checkTemplates(artifact, `${base}.outputArtifacts.${artifactName}`, errors);
    }
  }
  return { ok: errors.length === 0, errors, warnings, missingFunctions: [...missing].sort() };
}

function checkArgs(
  fn: KanisterFunction,
  args: Record<string, unknown>,
  path: string,
  errors: BlueprintIssue[],
): void {
  const shape = fn.args.shape as Record<string, z.ZodType>;
  for (const key of Object.keys(args)) {
    if (!(key in shape)) {
      errors.push({
        path: joinPath(path, formatPath([key])),
        message: `unknown argument "${key}" for ${fn.name} (accepted: ${Object.keys(shape).join(", ")})`,
        kind: "unknown-arg",
      });
    }
  }
  for (const [key, schema] of Object.entries(shape)) {
    const argPath = joinPath(path, formatPath([key]));
    if (!(key in args)) {
      if (!schema.safeParse(undefined).success) {
        errors.push({
          path: argPath,
          message: `missing required argument "${key}" for ${fn.name}`,
          kind: "missing-arg",
        });
      }
      continue;
    }
    const value = args[key];
    // Functions that render their own arguments see them raw; others only once rendered.
    if (!fn.rawArgs && isTemplated(value)) continue;
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (fn.rawArgs && issue.code === "custom") continue;
        errors.push({
          path: joinPath(argPath, formatPath(issue.path)),
          message: issue.message,
          kind: "invalid-arg",
        });
      }
    }
  }
}

function checkTemplates(value: unknown, path: string, errors: BlueprintIssue[]): void {
  if (typeof value === "string") {
    const err = templateSyntaxError(value);
    if (err) errors.push({ path, message: `template syntax: ${err.message}`, kind: "template" });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      checkTemplates(v, `${path}[${i}]`, errors);
    });
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const keyPath = joinPath(path, formatPath([k]));
      const keyErr = templateSyntaxError(k);
      if (keyErr)
        errors.push({
          path: keyPath,
          message: `template syntax in key: ${keyErr.message}`,
          kind: "template",
        });
      checkTemplates(v, keyPath, errors);
    }
  }
}

function checkWaitQuirks(args: Record<string, unknown>, path: string, warnings: BlueprintIssue[]): void {
  const conditions = args.conditions as { anyOf?: unknown; allOf?: unknown } | undefined;
  for (const group of ["anyOf", "allOf"] as const) {
    const list = conditions?.[group];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      const condition = (entry as { condition?: unknown } | null)?.condition;
      if (typeof condition !== "string") return;
      if (condition.includes("$.") && !hasJsonPathArgs(condition)) {
        warnings.push({
          path: `${path}.conditions.${group}[${i}].condition`,
          message:
            "JSONPath written without { } is not resolved: it is a literal string, so the condition is constant (write { $.status... })",
          kind: "quirk",
        });
      }
    });
  }
}
