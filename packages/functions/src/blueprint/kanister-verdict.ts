/**
 * What Kanister's validating webhook answers for a Blueprint (pkg/validatingwebhook/
 * blueprint_handler.go → pkg/blueprint/validate/validate.go `Do`), independent of the functions
 * quiesce has registered: Kanister's own functions and their argument lists decide.
 */
import { podMetadataProblem } from "../builtins/pod-metadata.js";
import { KANISTER_FUNCTIONS, type KanisterSignature } from "./kanister-functions.js";
import type { Blueprint, BlueprintPhase } from "./schema.js";

/** The webhook's decision: allowed, or denied with its message. */
export interface KanisterVerdict {
  allowed: boolean;
  /** The denial as the webhook words it (`Invalid blueprint, …`, without its trailing newline). */
  message?: string;
}

/** Kanister's BPValidationErr. */
const FAILED = "Failed to validate";

/**
 * The problem Kanister's `Validate()` finds in one phase's raw arguments, in its order:
 * ValidatePodLabelsAndAnnotations (when the function does it), CheckSupportedArgs,
 * CheckRequiredArgs. Returns Kanister's message and the argument it concerns, or undefined.
 */
export function kanisterArgProblem(
  signature: KanisterSignature,
  args: Record<string, unknown>,
):
  | { arg: string; key?: string; message: string; kind: "pod-metadata" | "unknown-arg" | "missing-arg" }
  | undefined {
  if (signature.podMetadata) {
    const problem = podMetadataProblem(args);
    if (problem) return { ...problem, kind: "pod-metadata" };
  }
  for (const arg of Object.keys(args)) {
    if (!signature.args.includes(arg))
      return { arg, message: `argument ${arg} is not supported`, kind: "unknown-arg" };
  }
  for (const arg of signature.required) {
    if (!Object.hasOwn(args, arg))
      return { arg, message: `Required arg missing: ${arg}`, kind: "missing-arg" };
  }
  return undefined;
}

/** Kanister's message for a phase whose function it does not have (pkg/phase.go regFuncVersion). */
export function unregisteredMessage(action: string, func: string): string {
  return `${FAILED} action ${action}: Requested function {${func}} has not been registered`;
}

/** Kanister's message for a phase's argument problem. */
export function phaseMessage(action: string, phase: string, message: string): string {
  return `${FAILED} phase ${phase} in action ${action}: ${message}`;
}

/** Kanister's message for a phase name used twice in the Blueprint (validatePhaseNames). */
export function duplicatePhaseMessage(phase: string): string {
  return `${FAILED}: Duplicated phase name is not allowed. Violating phase '${phase}'`;
}

/**
 * Kanister's validate.Do: per action, every phase's function must be registered (GetPhases, then
 * GetDeferPhase), then the deferPhase's arguments and each phase's are validated; then no phase
 * name may occur twice in the whole Blueprint (an empty name included). The first problem denies.
 * Go walks the actions in map order, which varies between runs; this walks them in document order.
 */
export function kanisterVerdict(blueprint: Blueprint): KanisterVerdict {
  const deny = (message: string): KanisterVerdict => ({
    allowed: false,
    message: `Invalid blueprint, ${message}`,
  });
  for (const [actionName, action] of Object.entries(blueprint.actions)) {
    const all: BlueprintPhase[] = [...action.phases, ...(action.deferPhase ? [action.deferPhase] : [])];
    for (const phase of all) {
      if (!Object.hasOwn(KANISTER_FUNCTIONS, phase.func))
        return deny(unregisteredMessage(actionName, phase.func));
    }
    const ordered = action.deferPhase ? [action.deferPhase, ...action.phases] : action.phases;
    for (const phase of ordered) {
      const problem = kanisterArgProblem(KANISTER_FUNCTIONS[phase.func] as KanisterSignature, phase.args);
      if (problem) return deny(phaseMessage(actionName, phase.name ?? "", problem.message));
    }
  }
  const seen = new Set<string>();
  for (const action of Object.values(blueprint.actions)) {
    for (const phase of [...action.phases, ...(action.deferPhase ? [action.deferPhase] : [])]) {
      const name = phase.name ?? "";
      if (seen.has(name)) return deny(duplicatePhaseMessage(name));
      seen.add(name);
    }
  }
  return { allowed: true };
}
