/**
 * Strategic merge patch, as the API server applies it to built-in types: the algorithm of
 * @quiesce/kube's `strategicMerge` with the merge keys of the Kubernetes types looked up by field
 * name (the types use the same key wherever a name recurs): containers by name, volumeMounts by
 * mountPath, …; `$patch` directives; every other list replaced.
 */
import { type Json, type PatchField, patchSchema, strategicMerge } from "@quiesce/kube";
import { ApiStatusError } from "../api/errors.js";

const byName: PatchField = { strategy: "merge", mergeKey: "name" };

/** Merge keys of list fields, by field name. */
const BUILTIN_TYPES = patchSchema(
  "object",
  {
    containers: byName,
    initContainers: byName,
    ephemeralContainers: byName,
    volumes: byName,
    env: byName,
    imagePullSecrets: byName,
    resourceClaims: byName,
    schedulingGates: byName,
    volumeMounts: { strategy: "merge", mergeKey: "mountPath" },
    volumeDevices: { strategy: "merge", mergeKey: "devicePath" },
    ownerReferences: { strategy: "merge", mergeKey: "uid" },
    conditions: { strategy: "merge", mergeKey: "type" },
    hostAliases: { strategy: "merge", mergeKey: "ip" },
    // Container ports merge by containerPort; Service ports by port.
    ports: {
      strategy: "merge",
      mergeKey: (items) =>
        items.some((i) => typeof i === "object" && i !== null && "containerPort" in i)
          ? "containerPort"
          : "port",
    },
    topologySpreadConstraints: { strategy: "merge", mergeKey: "topologyKey" },
    // Lists of scalars that merge as sets.
    finalizers: { strategy: "merge" },
  },
  true,
);

/**
 * Applies a strategic merge patch to a copy of `target`.
 *
 * @example
 * ```ts
 * applyStrategicMergePatch(
 *   { spec: { containers: [{ name: "app", image: "a:1" }, { name: "side", image: "s:1" }] } },
 *   { spec: { containers: [{ name: "app", image: "a:2" }] } },
 * ); // app's image becomes a:2, side stays
 * ```
 */
export function applyStrategicMergePatch(target: Json, patch: Json): Json {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch))
    throw ApiStatusError.badRequest("strategic merge patch must be a JSON object");
  try {
    return strategicMerge(target, patch, BUILTIN_TYPES);
  } catch (err) {
    throw ApiStatusError.badRequest((err as Error).message);
  }
}
