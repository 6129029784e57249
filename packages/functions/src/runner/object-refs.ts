/**
 * A phase's `objects`: rendered for every phase before the action starts, read when the phase
 * starts (Kanister pkg/phase.go GetPhases / GetDeferPhase, pkg/param/param.go InitPhaseParams).
 */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { BlueprintAction, ObjectReference } from "../blueprint/schema.js";
import type { SecretScope } from "../secrets.js";
import { type RenderBounds, renderTree } from "../template-engine.js";
import { type PhaseParams, readConfigMap, readSecret, type TemplateParams } from "../template-params.js";
import type { RunActionOptions } from "./options.js";

/** Rendered object references by alias. */
export type RenderedObjects = Record<string, ObjectReference>;

/** The rendered `objects` of every phase of an action (index-aligned) and of its deferPhase. */
export interface ActionObjects {
  phases: Array<RenderedObjects | undefined>;
  deferPhase?: RenderedObjects | undefined;
}

/**
 * Renders the `objects` of every phase and of the deferPhase over the TemplateParams as they are
 * before any phase runs — so they cannot use `.Phases` outputs — as Kanister's GetPhases and
 * GetDeferPhase do (param.RenderObjectRefs: each field of each reference; the alias is not
 * rendered). Throws on the first reference that does not render: Kanister then runs nothing of
 * the action, not even its deferPhase.
 */
export function renderActionObjects(
  action: BlueprintAction,
  params: TemplateParams,
  actionName: string,
  bounds?: RenderBounds,
): ActionObjects {
  const phases = action.phases.map((phase, i) =>
    renderObjects(phase.objects, params, `actions.${actionName}.phases[${i}].objects`, bounds),
  );
  const deferPhase = renderObjects(
    action.deferPhase?.objects,
    params,
    `actions.${actionName}.deferPhase.objects`,
    bounds,
  );
  return { phases, ...(deferPhase ? { deferPhase } : {}) };
}

function renderObjects(
  objects: Record<string, ObjectReference> | undefined,
  params: TemplateParams,
  path: string,
  bounds: RenderBounds | undefined,
): RenderedObjects | undefined {
  if (!objects) return undefined;
  const out: RenderedObjects = {};
  for (const [alias, ref] of Object.entries(objects)) {
    try {
      out[alias] = renderTree(ref, params, bounds) as ObjectReference;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new QuiesceError(
        typeof code === "string" && code.startsWith("QUIESCE_")
          ? (code as `QUIESCE_${string}`)
          : ErrorCodes.TEMPLATE_EXEC,
        `rendering ${path} failed: could not render object reference {${alias}}: ${(err as Error).message}`,
        { cause: err, details: { path: `${path}.${alias}` } },
      );
    }
  }
  return out;
}

/**
 * Reads a phase's Secrets and ConfigMaps into its `.Phases.<name>` entry (kinds matched
 * case-insensitively, other kinds ignored), each in the namespace its reference gives.
 */
export async function readObjects(
  refs: RenderedObjects | undefined,
  target: PhaseParams,
  run: { opts: RunActionOptions; scope: SecretScope; signal: AbortSignal | undefined },
  path: string,
): Promise<void> {
  // Kanister pkg/param/param.go GetPhaseParams: the Secrets first, then the ConfigMaps
  // (filterByKind); without a namespace its read fails, and so does this.
  const entries = Object.entries(refs ?? {});
  const ofKind = (k: string) => entries.filter(([, ref]) => (ref.kind ?? "").toLowerCase() === k);
  for (const [alias, ref] of [...ofKind("secret"), ...ofKind("configmap")]) {
    const kind = (ref.kind ?? "").toLowerCase();
    if (!ref.namespace || !ref.name) {
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        `${path}.objects.${alias}: a ${ref.kind} needs a name and a namespace (got "${ref.name ?? ""}" in "${ref.namespace ?? ""}")`,
      );
    }
    const named = { name: ref.name, namespace: ref.namespace };
    if (kind === "secret")
      target.Secrets[alias] = await readSecret(run.opts.cluster, named, run.scope, run.signal);
    else target.ConfigMaps[alias] = await readConfigMap(run.opts.cluster, named, run.signal);
  }
}
