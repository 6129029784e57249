/** PrepareData: a one-off pod that mounts PVCs (by default the subject's) to prepare data before a restore. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { PvcMount } from "@quiesce/kube";
import { z } from "zod";
import { looseString, optionalBool, podOverride, stringList, stringMap } from "../args.js";
import { defineFunction } from "../define-function.js";
import type { TemplateParams } from "../template-params.js";
import { given, outputsOrNil } from "./common.js";
import { podMetadataArgs } from "./pod-metadata.js";
import { runTaskPod } from "./run-task-pod.js";

/**
 * Kanister's PrepareData (pkg/function/prepare_data.go): `namespace`, `image`, `command`,
 * `volumes` (PVC name → mount path; default: every PVC of the subject workload at
 * `/mnt/prepare_data/<pvc>`, read-only when the PVC is ReadOnlyMany), `serviceaccount`,
 * `podOverride`, `podLabels`, `podAnnotations`, `failOnError` (default false, as in Kanister: the
 * outputs are returned whatever the exit code). The pod is named `prepare-data-job-…`.
 */
export const prepareData = defineFunction({
  name: "PrepareData",
  args: z.object({
    namespace: looseString(),
    image: looseString(),
    command: stringList(),
    volumes: stringMap().optional(),
    serviceaccount: looseString().optional(),
    podOverride: podOverride().optional(),
    ...podMetadataArgs(),
    failOnError: optionalBool(false),
  }),
  async exec(ctx, args) {
    const volumes =
      args.volumes && Object.keys(args.volumes).length > 0 ? args.volumes : defaultVolumes(ctx.params);
    const mounts: PvcMount[] = [];
    for (const [claimName, mountPath] of Object.entries(volumes)) {
      const pvc = await ctx.cluster.get(
        { version: "v1", resource: "persistentvolumeclaims", namespace: args.namespace, name: claimName },
        { signal: ctx.signal },
      );
      const modes = ((pvc.spec as { accessModes?: string[] } | undefined)?.accessModes ?? []) as string[];
      mounts.push({ claimName, mountPath, readOnly: modes.includes("ReadOnlyMany") });
    }
    const serviceAccountName = given(args.serviceaccount);
    const outputs = await runTaskPod(
      ctx,
      {
        namespace: args.namespace,
        generateName: "prepare-data-job-",
        image: args.image,
        command: args.command,
        volumes: mounts,
        ...(serviceAccountName ? { serviceAccountName } : {}),
        ...(args.podOverride ? { podOverride: args.podOverride } : {}),
        ...(args.podLabels ? { labels: args.podLabels } : {}),
        ...(args.podAnnotations ? { annotations: args.podAnnotations } : {}),
      },
      // Kanister pkg/function/prepare_data.go: errkit.Wrap(err, "Failed to parse phase output").
      // It reads the whole log before parsing it (io.ReadAll, then parseLogAndCreateOutput).
      {
        failOnError: args.failOnError,
        outputErrorContext: "Failed to parse phase output",
        parseAfterEnd: true,
      },
    );
    return outputsOrNil(outputs);
  },
});

/**
 * Every PVC mounted by the subject workload's pods, at `/mnt/prepare_data/<pvc>` (Kanister's
 * getVolumes, pkg/function/prepare_data.go, with its messages).
 */
export function defaultVolumes(params: TemplateParams): Record<string, string> {
  const workload = params.Deployment ?? params.StatefulSet;
  if (!workload) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      "PrepareData: Failed to get volumes (no volumes given and the subject is not a Deployment or StatefulSet)",
    );
  }
  const volumes: Record<string, string> = {};
  for (const claims of Object.values(workload.PersistentVolumeClaims)) {
    for (const claim of Object.keys(claims)) volumes[claim] = `/mnt/prepare_data/${claim}`;
  }
  if (Object.keys(volumes).length === 0) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `PrepareData: No volumes found (no volumes given and ${workload.Name} mounts no PVC)`,
    );
  }
  return volumes;
}
