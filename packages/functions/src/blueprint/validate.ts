/** Static checks of a Blueprint against a registry, before anything runs: every problem at once, with paths. */
import { assertDocumentShape, codedLoad } from "@quiesce/core";
import { SPRIG_V3_ONLY } from "@quiesce/template";
import type { z } from "zod";
import type { KanisterFunction } from "../define-function.js";
import { hasJsonPathArgs } from "../jsonpath.js";
import { kubectlTemplateSyntaxError } from "../kubectl-template.js";
import { type FunctionRegistry, globalRegistry } from "../registry.js";
import { isTemplated, templateSyntaxError, undefinedFunction } from "../template-engine.js";
import { type BlueprintIssue, formatPath, joinPath } from "./issues.js";
import { KANISTER_FUNCTIONS, type KanisterSignature } from "./kanister-functions.js";
import {
  duplicatePhaseMessage,
  type KanisterVerdict,
  kanisterArgProblem,
  kanisterVerdict,
  phaseMessage,
  unregisteredMessage,
} from "./kanister-verdict.js";
import type { Blueprint, BlueprintPhase } from "./schema.js";

/** The outcome of {@link validateBlueprint}. */
export interface BlueprintValidation {
  /** True when there is no error (warnings allowed). */
  ok: boolean;
  errors: BlueprintIssue[];
  warnings: BlueprintIssue[];
  /** Functions the Blueprint calls that the registry does not hold, sorted. */
  missingFunctions: string[];
  /** What Kanister's validating webhook answers for the whole Blueprint, whatever this registry holds. */
  kanister: KanisterVerdict;
}

/** Options of {@link validateBlueprint}. */
export interface ValidateOptions {
  /** Default: the global registry. */
  registry?: FunctionRegistry;
  /** Function version to prefer (falls back to the default version). */
  preferredVersion?: string;
  /** Only this action (phase names are still checked across the whole Blueprint, as Kanister does). */
  action?: string;
}

/**
 * Checks a loaded Blueprint as Kanister's validating webhook does (pkg/blueprint/validate): errors
 * for an unknown function, an argument the function does not take, a missing required argument
 * (present is enough, whatever its value), `podLabels`/`podAnnotations` Kubernetes would refuse
 * (checked as written, templates included), and a phase name used twice anywhere in the Blueprint
 * (an unnamed phase counts as the name ""). Also errors, though Kanister's webhook admits them: a
 * template that does not parse (every run of that phase fails). Argument values that will not
 * decode are warnings (Kanister admits them; the phase fails when it runs), as are known quirks (a
 * Wait condition whose JSONPath lacks `{ }`). `kanister` is the webhook's own verdict, decided by
 * Kanister's functions rather than this registry's. Each error carries Kanister's message in
 * `kanister` where the webhook has one.
 *
 * @example
 * ```ts
 * const { blueprint } = loadBlueprint(text);
 * const result = validateBlueprint(blueprint, { registry });
 * for (const e of result.errors) console.log(`${e.path}: ${e.message}`);
 * result.kanister; // { allowed: false, message: "Invalid blueprint, Failed to validate: Duplicated phase name …" }
 * ```
 */
export function validateBlueprint(blueprint: Blueprint, options: ValidateOptions = {}): BlueprintValidation {
  // A caller may hand over anything: a cyclic or pathological object is refused with its path, and
  // nothing the checks below might trip on escapes uncoded.
  return codedLoad("Blueprint", () => {
    assertDocumentShape(blueprint, "Blueprint");
    return validateShaped(blueprint, options);
  });
}

function validateShaped(blueprint: Blueprint, options: ValidateOptions): BlueprintValidation {
  const registry = options.registry ?? globalRegistry();
  const errors: BlueprintIssue[] = [];
  const warnings: BlueprintIssue[] = [];
  const missing = new Set<string>();
  const seen = new Map<string, string>();

  for (const [actionName, action] of Object.entries(blueprint.actions)) {
    const selected = options.action === undefined || options.action === actionName;
    const base = `actions.${actionName}`;
    const phases: Array<[string, BlueprintPhase]> = action.phases.map((p, i) => [`${base}.phases[${i}]`, p]);
    if (action.deferPhase) phases.push([`${base}.deferPhase`, action.deferPhase]);
    for (const [path, phase] of phases) {
      const name = phase.name ?? "";
      const first = seen.get(name);
      // Kanister refuses the whole Blueprint, whichever action runs.
      if (first === undefined) seen.set(name, path);
      else {
        const kanister = duplicatePhaseMessage(name);
        errors.push({
          path: `${path}.name`,
          message: `${kanister} (also at ${first})`,
          kind: "duplicate-phase",
          kanister,
        });
      }
      if (!selected) continue;

      const found = { errors, warnings };
      checkTemplates(phase.objects ?? {}, `${path}.objects`, found);
      if (phase.func === "WaitV2") checkWaitV2Templates(phase.args, `${path}.args`, found);
      else checkTemplates(phase.args, `${path}.args`, found);

      const fn = registry.find(phase.func, options.preferredVersion);
      if (!fn) {
        missing.add(phase.func);
        errors.push({
          path: `${path}.func`,
          message: lookupProblem(registry, phase.func, options.preferredVersion),
          kind: "unknown-function",
          ...(Object.hasOwn(KANISTER_FUNCTIONS, phase.func)
            ? {}
            : { kanister: unregisteredMessage(actionName, phase.func) }),
        });
      }
      const signature = fn ? signatureOf(fn) : KANISTER_FUNCTIONS[phase.func];
      if (signature) checkSignature(signature, phase, `${path}.args`, actionName, errors);
      if (fn) checkValues(fn, phase.args, `${path}.args`, warnings);
      if (phase.func === "Wait") checkWaitQuirks(phase.args, `${path}.args`, warnings);
    }
    if (!selected) continue;
    for (const [artifactName, artifact] of Object.entries(action.outputArtifacts ?? {})) {
      checkTemplates(artifact, `${base}.outputArtifacts.${artifactName}`, { errors, warnings });
    }
  }
  return {
    ok: errors.length === 0,
    errors,
    warnings,
    missingFunctions: [...missing].sort(),
    kanister: kanisterVerdict(blueprint),
  };
}

/** A registered function's `Arguments()` and `RequiredArgs()`: its schema's keys, and those that cannot be absent. */
export function signatureOf(fn: KanisterFunction): KanisterSignature {
  const shape = fn.args.shape as Record<string, z.ZodType>;
  const args = Object.keys(shape);
  return {
    args,
    required: args.filter((k) => !(shape[k] as z.ZodType).safeParse(undefined).success),
    podMetadata: args.includes("podLabels") || args.includes("podAnnotations"),
  };
}

/** Kanister's Validate(): every problem it would name, one issue each (Kanister stops at the first). */
function checkSignature(
  signature: KanisterSignature,
  phase: BlueprintPhase,
  path: string,
  action: string,
  errors: BlueprintIssue[],
): void {
  const kanister = (message: string) => phaseMessage(action, phase.name ?? "", message);
  if (signature.podMetadata) {
    const problem = kanisterArgProblem(
      { ...signature, args: Object.keys(phase.args), required: [] },
      phase.args,
    );
    if (problem) {
      const at = joinPath(
        path,
        formatPath(problem.key === undefined ? [problem.arg] : [problem.arg, problem.key]),
      );
      errors.push({
        path: at,
        message: problem.message,
        kind: "pod-metadata",
        kanister: kanister(problem.message),
      });
    }
  }
  for (const key of Object.keys(phase.args)) {
    if (signature.args.includes(key)) continue;
    const message = `argument ${key} is not supported`;
    errors.push({
      path: joinPath(path, formatPath([key])),
      message: `unknown argument "${key}" for ${phase.func} (accepted: ${signature.args.join(", ")})`,
      kind: "unknown-arg",
      kanister: kanister(message),
    });
  }
  for (const key of signature.required) {
    if (Object.hasOwn(phase.args, key)) continue;
    errors.push({
      path: joinPath(path, formatPath([key])),
      message: `missing required argument "${key}" for ${phase.func}`,
      kind: "missing-arg",
      kanister: kanister(`Required arg missing: ${key}`),
    });
  }
}

/** Literal argument values the function will not accept: Kanister admits them and fails the phase when it runs. */
function checkValues(
  fn: KanisterFunction,
  args: Record<string, unknown>,
  path: string,
  warnings: BlueprintIssue[],
): void {
  const shape = fn.args.shape as Record<string, z.ZodType>;
  for (const [key, schema] of Object.entries(shape)) {
    if (!Object.hasOwn(args, key)) continue;
    const value = args[key];
    // Functions that render their own arguments see them raw; others only once rendered.
    if (!fn.rawArgs && isTemplated(value)) continue;
    const parsed = schema.safeParse(value);
    if (parsed.success) continue;
    for (const issue of parsed.error.issues) {
      if (fn.rawArgs && issue.code === "custom" && isTemplated(value)) continue;
      warnings.push({
        path: joinPath(joinPath(path, formatPath([key])), formatPath(issue.path)),
        message: `${issue.message} (Kanister admits this Blueprint; the phase fails when it runs)`,
        kind: "invalid-arg",
      });
    }
  }
}

/** Where template findings go. */
interface Findings {
  errors: BlueprintIssue[];
  warnings: BlueprintIssue[];
}

// WaitV2's conditions run on kubectl's printer (its own functions); the rest of its arguments as usual.
function checkWaitV2Templates(args: Record<string, unknown>, path: string, found: Findings): void {
  const { conditions, ...rest } = args;
  checkTemplates(rest, path, found);
  if (conditions === null || typeof conditions !== "object" || Array.isArray(conditions)) {
    checkTemplates(conditions, `${path}.conditions`, found);
    return;
  }
  for (const [group, list] of Object.entries(conditions)) {
    const at = `${path}.conditions.${group}`;
    if (!Array.isArray(list)) {
      checkTemplates(list, at, found);
      continue;
    }
    list.forEach((entry, i) => {
      if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return;
      const { condition, ...others } = entry as Record<string, unknown>;
      checkTemplates(others, `${at}[${i}]`, found);
      checkTemplates(condition, `${at}[${i}].condition`, found, kubectlTemplateSyntaxError);
    });
  }
}

/**
 * A template that does not parse: every run of the phase fails. With Kanister's function set
 * (pkg/param/render.go: sprig v2.22.0 + pkg/ksprig) a sprig v3 function is named as such, and
 * `env`/`expandenv` — which Kanister has, but quiesce renders only when the host allows it — is a warning.
 */
function templateIssue(err: Error, path: string, found: Findings, what: string, kanister: boolean): void {
  const fn = kanister ? undefinedFunction(err) : undefined;
  if (fn !== undefined && SPRIG_V3_ONLY.has(fn)) {
    found.errors.push({
      path,
      message: `${fn} is not defined in Kanister's sprig v2.22 (it is a sprig v3 function): ${err.message}`,
      kind: "template",
    });
  } else if (fn === "env" || fn === "expandenv") {
    found.warnings.push({
      path,
      message: `${fn} reads the environment: Kanister renders it, quiesce only when the host allows it (allowEnv)`,
      kind: "template",
    });
  } else {
    found.errors.push({ path, message: `${what}: ${err.message}`, kind: "template" });
  }
}

function checkTemplates(
  value: unknown,
  path: string,
  found: Findings,
  syntaxError: (source: string) => Error | undefined = templateSyntaxError,
): void {
  if (typeof value === "string") {
    const err = syntaxError(value);
    if (err) templateIssue(err, path, found, "template syntax", syntaxError === templateSyntaxError);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      checkTemplates(v, `${path}[${i}]`, found, syntaxError);
    });
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const keyPath = joinPath(path, formatPath([k]));
      const keyErr = templateSyntaxError(k);
      if (keyErr) templateIssue(keyErr, keyPath, found, "template syntax in key", true);
      checkTemplates(v, keyPath, found, syntaxError);
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

/** Why `func` cannot be run at `preferredVersion`: not registered, or a version problem in Kanister's words. */
function lookupProblem(
  registry: FunctionRegistry,
  func: string,
  preferredVersion: string | undefined,
): string {
  try {
    registry.get(func, preferredVersion);
  } catch (err) {
    if (err instanceof Error) return err.message;
  }
  return `function ${func} is not registered`;
}
