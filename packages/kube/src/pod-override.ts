/** Kanister's `podOverride`: a strategic merge patch of a generated pod spec (pkg/kube/pod.go PatchDefaultPodSpecs). */
import { POD_SPEC_PATCH_SCHEMA } from "./pod-spec-patch-schema.js";
import { strategicMerge, stripDirectiveKeys } from "./strategic-merge.js";

/** A JSON object, as pod specs and overrides are. */
export type JsonObject = Record<string, unknown>;

/**
 * Merges `overlay` into the pod spec `base` without mutating either, as Kanister's
 * `PatchDefaultPodSpecs` does: a strategic merge patch with the PodSpec's strategies (containers,
 * volumes, env by `name`, volumeMounts by `mountPath`, ports by `containerPort`, …; other lists
 * replaced; `null` removes a key; `$patch: replace | delete` directives). Directive keys left over
 * are dropped, as Kanister's decode into a PodSpec drops them. Throws `QUIESCE_VALIDATION` for a
 * patch Kubernetes would refuse (e.g. a container without a name).
 *
 * @example
 * ```ts
 * mergePodOverride({ containers: [{ name: "container", image: "a" }] },
 *   { containers: [{ name: "container", resources: { limits: { cpu: "1" } } }], nodeName: "n1" });
 * // { containers: [{ name: "container", image: "a", resources: {...} }], nodeName: "n1" }
 * ```
 */
export function mergePodOverride<T extends JsonObject>(base: T, overlay: JsonObject | undefined): T {
  if (!overlay) return base;
  return stripDirectiveKeys(strategicMerge(base, overlay, POD_SPEC_PATCH_SCHEMA)) as T;
}
