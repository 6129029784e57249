/** DeleteData: forgets restic snapshots (and prunes) from a one-off pod (Kanister pkg/function/delete_data.go). */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { z } from "zod";
import { looseBool, looseString, nullAsAbsent, podOverride } from "../args.js";
import { defineFunction } from "../define-function.js";
import type { FunctionContext } from "../function-types.js";
import type { Profile } from "../profile/types.js";
import {
  dataPodMetadataArgs,
  kanisterToolsImage,
  requireProfile,
  resolveArtifactPrefix,
  type ToolPod,
  withToolPod,
} from "./common.js";
import { withDetails, wrapError } from "./kanister-wrap.js";
import {
  DEFAULT_ENCRYPTION_KEY,
  parseResticSize,
  resticArgs,
  resticCommand,
  snapshotIdFromSnapshotLog,
  spaceFreedFromPruneLog,
} from "./restic.js";
import { execRestic, resticError, runRestic, withProfileCredentials } from "./restic-exec.js";

/** What to delete: snapshots by tag or by ID, the i-th in the i-th repository. */
export interface DeleteRequest {
  repositories: string[];
  tags: string[];
  ids: string[];
  reclaimSpace: boolean;
  encryptionKey: string;
  insecureTLS: boolean;
}

function repositoryAt(request: DeleteRequest, i: number): string {
  const repository = request.repositories[i];
  if (repository === undefined) {
    // Kanister indexes its prefix list by position and would panic; quiesce says what is missing.
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `no backupArtifactPrefix for the ${i + 1}th snapshot (${request.repositories.length} prefixes given)`,
    );
  }
  return repository;
}

/**
 * Kanister's deleteData: in a one-off pod, finds each tag's snapshot (`restic snapshots --tag`),
 * forgets each snapshot (`restic forget <id>`) and, with `reclaimSpace`, prunes after each forget.
 * Output `spaceFreed`: the bytes prune reported, summed, as `"<n> B"`.
 */
export async function deleteSnapshots(
  ctx: FunctionContext,
  profile: Profile,
  pod: ToolPod,
  request: DeleteRequest,
): Promise<Record<string, string>> {
  if ((request.ids.length === 0) === (request.tags.length === 0)) {
    throw new QuiesceError(ErrorCodes.VALIDATION, "Require one argument: backupID or backupTag");
  }
  return withToolPod(ctx, pod, async (running) => {
    return withProfileCredentials(ctx, running, profile, async () => {
      const ids = [...request.ids];
      for (const [i, tag] of request.tags.entries()) {
        const command = resticCommand(
          profile,
          repositoryAt(request, i),
          request.encryptionKey,
          resticArgs.snapshotsByTag(tag, request.insecureTLS),
        );
        // Kanister deleteDataPodFunc: the tag is in errkit's details, not the text.
        const noId = "Failed to forget data, could not get snapshotID from tag";
        const result = await runRestic(ctx, running, command, noId).catch((err: unknown) => {
          throw withDetails(err, { tag });
        });
        try {
          ids.push(snapshotIdFromSnapshotLog(result.stdout));
        } catch (err) {
          throw wrapError(err, noId, { tag });
        }
      }
      let freed = 0;
      for (const [i, id] of ids.entries()) {
        const repository = repositoryAt(request, i);
        const forget = resticCommand(
          profile,
          repository,
          request.encryptionKey,
          resticArgs.forget(id, request.insecureTLS),
        );
        await runRestic(ctx, running, forget, "Failed to forget data");
        if (request.reclaimSpace) {
          const prune = resticCommand(
            profile,
            repository,
            request.encryptionKey,
            resticArgs.prune(request.insecureTLS),
          );
          // Kanister pruneData: "Failed to prune data after forget", wrapped by deleteDataPodFunc.
          const what = "Error executing prune command: Failed to prune data after forget";
          const result = await execRestic(ctx, running, prune, what);
          if (result.exitCode !== 0) throw resticError(what, prune, result);
          freed += parseResticSize(spaceFreedFromPruneLog(result.stdout));
        }
      }
      return { spaceFreed: `${freed} B` };
    });
  });
}

const fields = (text: string | undefined) => (text ?? "").split(/\s+/).filter((s) => s !== "");

/**
 * Kanister's DeleteData: forgets the snapshots `backupID` (or those tagged `backupTag`; exactly one
 * of the two; several may be given space-separated, matched by position with the space-separated
 * `backupArtifactPrefix`) from the repository, and prunes it when `reclaimSpace` is true. Runs in a
 * one-off pod of `image` (default kanister-tools). Output: `spaceFreed`.
 */
export const deleteData = defineFunction({
  name: "DeleteData",
  args: z.object({
    namespace: looseString(),
    image: looseString().optional(),
    backupArtifactPrefix: looseString(),
    backupID: looseString().optional(),
    backupTag: looseString().optional(),
    encryptionKey: looseString().optional(),
    reclaimSpace: nullAsAbsent(looseBool()),
    insecureTLS: nullAsAbsent(looseBool()),
    podOverride: nullAsAbsent(podOverride()),
    ...dataPodMetadataArgs(),
  }),
  outputs: ["spaceFreed"],
  async exec(ctx, args) {
    const profile = requireProfile(ctx, false);
    // As in Kanister, the bucket is resolved on the whole argument before it is split.
    const prefix = resolveArtifactPrefix(args.backupArtifactPrefix, profile);
    return deleteSnapshots(
      ctx,
      profile,
      {
        namespace: args.namespace,
        generateName: "delete-data-",
        image: args.image ?? kanisterToolsImage(),
        podOverride: args.podOverride,
        podLabels: args.podLabels,
        podAnnotations: args.podAnnotations,
      },
      {
        repositories: fields(prefix),
        tags: fields(args.backupTag),
        ids: fields(args.backupID),
        reclaimSpace: args.reclaimSpace ?? false,
        encryptionKey: args.encryptionKey ?? DEFAULT_ENCRYPTION_KEY,
        insecureTLS: args.insecureTLS ?? false,
      },
    );
  },
});
