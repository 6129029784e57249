/** RestoreData: a restic restore into PVCs mounted by a one-off pod (Kanister pkg/function/restore_data.go). */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { z } from "zod";
import { looseBool, looseString, nullAsAbsent, podOverride, stringMap } from "../args.js";
import { outputsOrNil } from "../builtins/common.js";
import { defineFunction } from "../define-function.js";
import type { FunctionContext } from "../function-types.js";
import { parsePhaseOutputs, wrapOutputError } from "../output-parser.js";
import type { Profile } from "../profile/types.js";
import {
  dataPodMetadataArgs,
  fetchPodVolumes,
  pvcMounts,
  requireProfile,
  resolveArtifactPrefix,
  type ToolPod,
  withToolPod,
} from "./common.js";
import { DEFAULT_ENCRYPTION_KEY, resticArgs, resticCommand } from "./restic.js";
import { runRestic, withProfileCredentials } from "./restic-exec.js";

/** Which snapshot to restore and where. */
export interface RestoreRequest {
  repository: string;
  /** Where in the pod to restore to (restic `--target`). */
  restorePath: string;
  /** The latest snapshot with this tag, or… */
  backupTag: string;
  /** …this snapshot ID. */
  backupID: string;
  /** A path inside the snapshot to restore from (`<id>:<path>`); "" for the whole snapshot. */
  backupPath: string;
  encryptionKey: string;
  insecureTLS: boolean;
}

/**
 * Kanister's restoreData: a one-off pod (`sh -c "tail -f /dev/null"`) with the volumes, in which
 * `restic restore` runs once it is up; outputs come from `###Phase-output###` lines of restic's
 * stdout. The pod is deleted afterwards whatever happened.
 */
export async function restoreInPod(
  ctx: FunctionContext,
  profile: Profile,
  pod: ToolPod,
  request: RestoreRequest,
): Promise<Record<string, string>> {
  return withToolPod(ctx, pod, async (running) => {
    const target = { ...running };
    return withProfileCredentials(ctx, target, profile, async () => {
      const args = request.backupTag
        ? resticArgs.restoreByTag(
            request.backupTag,
            request.restorePath,
            request.backupPath,
            request.insecureTLS,
          )
        : resticArgs.restoreById(
            request.backupID,
            request.restorePath,
            request.backupPath,
            request.insecureTLS,
          );
      const command = resticCommand(profile, request.repository, request.encryptionKey, args);
      const result = await runRestic(ctx, target, command, "Failed to restore backup");
      // Kanister pkg/function/restore_data.go: errkit.Wrap(err, "Failed to parse phase output").
      try {
        return parsePhaseOutputs(result.stdout);
      } catch (err) {
        throw wrapOutputError(err as QuiesceError, "Failed to parse phase output");
      }
    });
  });
}

/**
 * Kanister's RestoreData: restores the snapshot `backupIdentifier` (or the latest with
 * `backupTag`; exactly one of them) of the repository `backupArtifactPrefix` into the PVCs of
 * `pod` (mounted where that pod mounts them) or of `volumes` (PVC → mount path; exactly one of
 * `pod` and `volumes`), in a one-off pod running `image`. `restorePath` (default `/`) is restic's
 * target, `backupPath` a path inside the snapshot. Also `encryptionKey`, `insecureTLS`,
 * `podOverride`, `podLabels`, `podAnnotations`. Outputs: `###Phase-output###` lines restic printed.
 */
export const restoreData = defineFunction({
  name: "RestoreData",
  args: z.object({
    namespace: looseString(),
    image: looseString(),
    backupArtifactPrefix: looseString(),
    restorePath: looseString().optional(),
    encryptionKey: looseString().optional(),
    pod: looseString().optional(),
    volumes: nullAsAbsent(stringMap()),
    backupTag: looseString().optional(),
    backupIdentifier: looseString().optional(),
    backupPath: looseString().optional(),
    podOverride: nullAsAbsent(podOverride()),
    insecureTLS: nullAsAbsent(looseBool()),
    ...dataPodMetadataArgs(),
  }),
  async exec(ctx, args) {
    const pod = args.pod ?? "";
    const volumes = args.volumes ?? {};
    // Kanister validateAndGetOptArgs: exactly one of pod and volumes, exactly one of tag and ID.
    if ((pod !== "") === Object.keys(volumes).length > 0) {
      throw new QuiesceError(ErrorCodes.VALIDATION, "Require one argument: pod or volumes");
    }
    const backupTag = args.backupTag ?? "";
    const backupID = args.backupIdentifier ?? "";
    if ((backupTag !== "") === (backupID !== "")) {
      throw new QuiesceError(ErrorCodes.VALIDATION, "Require one argument: backupTag or backupIdentifier");
    }
    const profile = requireProfile(ctx, false);
    const repository = resolveArtifactPrefix(args.backupArtifactPrefix, profile);
    const vols = Object.keys(volumes).length > 0 ? volumes : fetchPodVolumes(pod, ctx.params);
    // Kanister parseLogAndCreateOutput: no output lines is a nil Output (`toJson` prints null).
    const outputs = await restoreInPod(
      ctx,
      profile,
      {
        namespace: args.namespace,
        generateName: "restore-data-",
        image: args.image,
        volumes: await pvcMounts(ctx, args.namespace, vols),
        podOverride: args.podOverride,
        podLabels: args.podLabels,
        podAnnotations: args.podAnnotations,
      },
      {
        repository,
        restorePath: args.restorePath ?? "/",
        backupTag,
        backupID,
        backupPath: args.backupPath ?? "",
        encryptionKey: args.encryptionKey ?? DEFAULT_ENCRYPTION_KEY,
        insecureTLS: args.insecureTLS ?? false,
      },
    );
    return outputsOrNil(outputs);
  },
});
