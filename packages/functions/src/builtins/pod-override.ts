/** Kanister's podOverride for a function's pod: the Blueprint's argument and the ActionSet's, merged as Kanister merges them. */
import { POD_SPEC_PATCH_SCHEMA, strategicMerge } from "@quiesce/kube";

/** A `podOverride` argument: a partial pod spec. */
export type PodOverride = Record<string, unknown>;

/**
 * Kanister's GetAndMergePodSpecOverride (pkg/function/args.go): the ActionSet's podOverride is a
 * strategic merge patch of the Blueprint's `podOverride` argument, so the ActionSet's wins; without
 * the argument the ActionSet's is used alone. The result is merged into the generated pod spec.
 */
export function actionPodOverride(
  actionSet: PodOverride | null | undefined,
  blueprint: PodOverride | null | undefined,
): PodOverride | undefined {
  if (!actionSet) return blueprint ?? undefined;
  return strategicMerge(blueprint ?? actionSet, actionSet, POD_SPEC_PATCH_SCHEMA);
}
