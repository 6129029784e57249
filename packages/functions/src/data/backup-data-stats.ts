/** BackupDataStats: `restic stats` of a snapshot from a one-off pod (Kanister pkg/function/backup_data_stats.go). */
import { QuiesceError } from "@quiesce/core";
import { z } from "zod";
import { looseString, nullAsAbsent, podOverride } from "../args.js";
import { defineFunction } from "../define-function.js";
import { DEFAULT_FUNCTION_VERSION } from "../function-types.js";
import {
  dataPodMetadataArgs,
  kanisterToolsImage,
  requireProfile,
  resolveArtifactPrefix,
  withToolPod,
} from "./common.js";
import { DataErrorCodes } from "./errors.js";
import { DEFAULT_ENCRYPTION_KEY, resticArgs, resticCommand, snapshotStatsFromStatsLog } from "./restic.js";
import { runRestic, withProfileCredentials } from "./restic-exec.js";

/**
 * Kanister's BackupDataStats: `restic stats <backupID> --mode <statsMode>` (default
 * `restore-size`) against `backupArtifactPrefix`, in a one-off pod of `image` (default
 * kanister-tools). Outputs: `mode`, `fileCount` (the blob count in `raw-data` mode), `size`,
 * `version`. Kanister passes no `--insecure-tls` to this command and has no `insecureTLS` argument.
 */
export const backupDataStats = defineFunction({
  name: "BackupDataStats",
  args: z.object({
    namespace: looseString(),
    image: looseString().optional(),
    backupArtifactPrefix: looseString(),
    backupID: looseString(),
    statsMode: looseString().optional(),
    encryptionKey: looseString().optional(),
    podOverride: nullAsAbsent(podOverride()),
    ...dataPodMetadataArgs(),
  }),
  outputs: ["mode", "fileCount", "size", "version"],
  async exec(ctx, args) {
    const profile = requireProfile(ctx, true);
    const repository = resolveArtifactPrefix(args.backupArtifactPrefix, profile);
    const pod = {
      namespace: args.namespace,
      generateName: "backup-data-stats-",
      image: args.image ?? kanisterToolsImage(),
      podOverride: args.podOverride,
      podLabels: args.podLabels,
      podAnnotations: args.podAnnotations,
    };
    return withToolPod(ctx, pod, async (running) => {
      return withProfileCredentials(ctx, running, profile, async () => {
        const command = resticCommand(
          profile,
          repository,
          args.encryptionKey ?? DEFAULT_ENCRYPTION_KEY,
          resticArgs.stats(args.backupID, args.statsMode ?? "restore-size"),
        );
        const result = await runRestic(ctx, running, command, "Failed to get backup stats");
        const stats = snapshotStatsFromStatsLog(result.stdout);
        if (stats.fileCount === "" || stats.size === "") {
          throw new QuiesceError(DataErrorCodes.RESTIC_FAILED, "Failed to parse snapshot stats from logs", {
            details: { stdout: result.stdout.slice(-4096) },
          });
        }
        return {
          mode: stats.mode,
          fileCount: stats.fileCount,
          size: stats.size,
          version: DEFAULT_FUNCTION_VERSION,
        };
      });
    });
  },
});
