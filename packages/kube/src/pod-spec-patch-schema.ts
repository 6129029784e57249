/**
 * The strategic-merge strategies of a PodSpec, from the `patchStrategy`/`patchMergeKey` tags of
 * k8s.io/api core/v1 types.go (PodSpec, Container, EphemeralContainer). Lists without a tag
 * (tolerations, args, command, envFrom, readinessGates, …) are replaced; maps merge.
 */
import { type PatchSchema, patchSchema } from "./strategic-merge.js";

/** Container and EphemeralContainer (EphemeralContainerCommon carries the same tags). */
export const CONTAINER_PATCH_SCHEMA: PatchSchema = patchSchema("Container", {
  ports: { strategy: "merge", mergeKey: "containerPort" },
  env: { strategy: "merge", mergeKey: "name" },
  volumeMounts: { strategy: "merge", mergeKey: "mountPath" },
  volumeDevices: { strategy: "merge", mergeKey: "devicePath" },
});

/** PodSpec: what Kanister's podOverride is merged with (`sp.StrategicMergePatch(…, corev1.PodSpec{})`). */
export const POD_SPEC_PATCH_SCHEMA: PatchSchema = patchSchema("PodSpec", {
  volumes: { strategy: "merge", mergeKey: "name" },
  initContainers: { strategy: "merge", mergeKey: "name", schema: CONTAINER_PATCH_SCHEMA },
  containers: { strategy: "merge", mergeKey: "name", schema: CONTAINER_PATCH_SCHEMA },
  ephemeralContainers: { strategy: "merge", mergeKey: "name", schema: CONTAINER_PATCH_SCHEMA },
  imagePullSecrets: { strategy: "merge", mergeKey: "name" },
  hostAliases: { strategy: "merge", mergeKey: "ip" },
  topologySpreadConstraints: { strategy: "merge", mergeKey: "topologyKey" },
  schedulingGates: { strategy: "merge", mergeKey: "name" },
  resourceClaims: { strategy: "merge", mergeKey: "name" },
});
