/** What the data functions share: the Profile, artifact prefixes, one-off tool pods and their volumes. */
import { posix } from "node:path";
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { type PodRunSpec, type PvcMount, type RunningPod, WorkloadFailedError } from "@quiesce/kube";
import { nullAsAbsent } from "../args.js";
import { podMetadata, podMetadataArgs } from "../builtins/pod-metadata.js";
import { actionPodOverride } from "../builtins/pod-override.js";
import type { FunctionContext } from "../function-types.js";
import { kanisterProfileProblem } from "../profile/kanister-validate.js";
import { profileOf } from "../profile/resolve.js";
import type { Profile } from "../profile/types.js";
import { validateProfile } from "../profile/validate.js";
import type { TemplateParams } from "../template-params.js";
import { wrapError, wrapped } from "./kanister-wrap.js";

/** The kanister-tools image Kanister defaults to (pkg/consts), unless `$KANISTER_TOOLS` names another. */
export const KANISTER_TOOLS_IMAGE = "ghcr.io/kanisterio/kanister-tools:0.119.0";

/** Kanister's consts.GetKanisterToolsImage: `$KANISTER_TOOLS` (the controller's environment), else the pinned image. */
export function kanisterToolsImage(): string {
  return process.env.KANISTER_TOOLS ?? KANISTER_TOOLS_IMAGE;
}

/** The command of Kanister's one-off tool pods: keep running until deleted (commands are exec'd into it). */
export const IDLE_COMMAND = ["sh", "-c", "tail -f /dev/null"];

/**
 * The action's Profile, checked as Kanister's ValidateProfile checks it: a PROFILE_INVALID error in
 * Kanister's words when absent or unusable — `Failed to validate Profile: <problem>` where the
 * function wraps it (`wrap`: BackupData, BackupDataAll, BackupDataStats, CopyVolumeData,
 * LocationDelete), the bare problem where it does not (RestoreData, RestoreDataAll, DeleteData,
 * DeleteDataAll, CheckRepository). The field it concerns is in the details.
 */
export function requireProfile(ctx: FunctionContext, wrap: boolean): Profile {
  const profile = profileOf(ctx.params.Profile);
  let ours: QuiesceError | undefined;
  try {
    validateProfile(profile);
  } catch (err) {
    ours = err as QuiesceError;
  }
  const kanister = kanisterProfileProblem(profile);
  if (ours === undefined && kanister === undefined) return profile as Profile;
  // A host-built Profile of the wrong shapes has no Kanister text: quiesce's names the field.
  const problem = kanister ?? (ours as QuiesceError).message;
  return failProfile(wrap ? `Failed to validate Profile: ${problem}` : problem, ours);
}

function failProfile(message: string, ours: QuiesceError | undefined): never {
  throw new QuiesceError(ErrorCodes.PROFILE_INVALID, message, {
    ...(ours ? { cause: ours } : {}),
    details: { ...(ours?.details ?? {}) },
  });
}

/** Go's path.Join: non-empty elements joined by "/", then cleaned ("" when all are empty). */
export function goPathJoin(...elements: string[]): string {
  const joined = elements.filter((e) => e !== "").join("/");
  if (joined === "") return "";
  const clean = posix.normalize(joined);
  return clean.length > 1 && clean.endsWith("/") ? clean.slice(0, -1) : clean;
}

/**
 * Kanister's ResolveArtifactPrefix (pkg/function/utils.go): the prefix as is when its first path
 * element is the Profile's bucket, else `bucket/prefix` (path.Join).
 */
export function resolveArtifactPrefix(prefix: string, profile: Profile): string {
  if (prefix.split("/")[0] === profile.Location.Bucket) return prefix;
  return goPathJoin(profile.Location.Bucket, prefix);
}

/** Kanister's FetchPodVolumes: the PVC → mount path map of one of the subject workload's pods. */
export function fetchPodVolumes(pod: string, params: TemplateParams): Record<string, string> {
  const workload = params.Deployment ?? params.StatefulSet;
  if (!workload) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      // Kanister's words; the subject is neither a Deployment nor a StatefulSet.
      "Invalid Template Params",
    );
  }
  const volumes = Object.hasOwn(workload.PersistentVolumeClaims, pod)
    ? workload.PersistentVolumeClaims[pod]
    : undefined;
  if (!volumes) throw new QuiesceError(ErrorCodes.VALIDATION, `Failed to find volumes for the Pod: ${pod}`);
  return { ...volumes };
}

/** Reads each PVC (it must exist) and mounts it read-only when its access modes are ReadOnlyMany only (PrepareAndRunPod). */
export async function pvcMounts(
  ctx: FunctionContext,
  namespace: string,
  volumes: Record<string, string>,
): Promise<PvcMount[]> {
  const mounts: PvcMount[] = [];
  for (const [claimName, mountPath] of Object.entries(volumes)) {
    // Kanister PrepareAndRunPod / copyVolumeData: "Failed to retrieve PVC." around the API's error.
    const pvc = await wrapped(
      ctx.signal,
      "Failed to retrieve PVC.",
      () =>
        ctx.cluster.get(
          { version: "v1", resource: "persistentvolumeclaims", namespace, name: claimName },
          { signal: ctx.signal },
        ),
      { namespace, name: claimName },
    );
    const modes = (pvc.spec as { accessModes?: string[] } | undefined)?.accessModes ?? [];
    mounts.push({ claimName, mountPath, ...(modes.includes("ReadOnlyMany") ? { readOnly: true } : {}) });
  }
  return mounts;
}

/** What a data function's one-off pod is made of. */
export interface ToolPod {
  namespace: string;
  generateName: string;
  image: string;
  volumes?: PvcMount[];
  podOverride?: Record<string, unknown> | undefined;
  podLabels?: Record<string, string> | undefined;
  podAnnotations?: Record<string, string> | undefined;
}

/**
 * The one-off pod of a data function: `sh -c "tail -f /dev/null"` in `image` with the volumes,
 * labelled and annotated as Kanister's pods are (`createdBy: kanister`, the ActionSet's labels and
 * annotations under the function's), the ActionSet's podOverride merged over the function's.
 */
export function toolPodSpec(ctx: FunctionContext, pod: ToolPod): PodRunSpec {
  const meta = podMetadata(ctx.params, { podLabels: pod.podLabels, podAnnotations: pod.podAnnotations });
  const override = actionPodOverride(ctx.params.PodOverride, pod.podOverride ?? null);
  return {
    namespace: pod.namespace,
    generateName: pod.generateName,
    image: pod.image,
    command: [...IDLE_COMMAND],
    // Kanister's PodRunner stops its pods with grace period 0 (pkg/kube/pod_runner.go).
    deleteGracePeriodSeconds: 0,
    ...(pod.volumes && pod.volumes.length > 0 ? { volumes: pod.volumes } : {}),
    labels: meta.labels,
    ...(Object.keys(meta.annotations).length > 0 ? { annotations: meta.annotations } : {}),
    ...(override && Object.keys(override).length > 0 ? { podOverride: override } : {}),
  };
}

/**
 * Runs `body` in the data function's one-off pod (Kanister's PodRunner): the pod is waited for as
 * Kanister waits (up to the runner's `podReadyTimeout`, even while it cannot start yet) and deleted
 * afterwards whatever happened.
 */
export async function withToolPod<T>(
  ctx: FunctionContext,
  pod: ToolPod,
  body: (running: RunningPod) => Promise<T>,
): Promise<T> {
  let entered = false;
  try {
    return await ctx.cluster.withPod(
      toolPodSpec(ctx, pod),
      (running) => {
        entered = true;
        return body(running);
      },
      {
        signal: ctx.signal,
        onStuck: "wait",
        ...(ctx.podReadyTimeoutMs !== undefined ? { readyTimeoutMs: ctx.podReadyTimeoutMs } : {}),
      },
    );
  } catch (err) {
    if (entered || ctx.signal.aborted) throw err;
    // Kanister pkg/kube/pod_runner.go Run wraps StartPod's "Failed to create pod" once more; the
    // data functions' pod funcs wrap WaitForPodReady's "Pod failed to become ready in time".
    throw err instanceof WorkloadFailedError
      ? wrapError(err, "Failed while waiting for Pod to be ready: Pod failed to become ready in time")
      : wrapError(err, "Failed to create pod: Failed to create pod");
  }
}

/** `podLabels` and `podAnnotations` of a data function; `null` counts as absent (Kanister's OptArg). */
export function dataPodMetadataArgs() {
  const { podLabels, podAnnotations } = podMetadataArgs();
  return { podLabels: nullAsAbsent(podLabels), podAnnotations: nullAsAbsent(podAnnotations) };
}
