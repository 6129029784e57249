/** BackupData: a restic backup of a path in a running container (Kanister pkg/function/backup_data.go). */
import { QuiesceError } from "@quiesce/core";
import { z } from "zod";
import { looseBool, looseString, nullAsAbsent } from "../args.js";
import { defineFunction } from "../define-function.js";
import { DEFAULT_FUNCTION_VERSION, type FunctionContext } from "../function-types.js";
import type { Profile } from "../profile/types.js";
import { requireProfile, resolveArtifactPrefix } from "./common.js";
import { DataErrorCodes } from "./errors.js";
import { wrapped } from "./kanister-wrap.js";
import {
  DEFAULT_ENCRYPTION_KEY,
  randomTag,
  resticArgs,
  resticCommand,
  snapshotIdFromBackupLog,
  snapshotStatsFromBackupLog,
} from "./restic.js";
import {
  getOrCreateRepository,
  type ResticTarget,
  runRestic,
  withProfileCredentials,
} from "./restic-exec.js";

/** What one backup produced. */
export interface BackupOutputs {
  backupID: string;
  backupTag: string;
  fileCount: string;
  size: string;
  phySize: string;
}

/**
 * Kanister's backupData: writes gcs credentials if needed, finds or creates the repository at
 * `repository`, runs `restic backup --tag <random 10 chars> <includePath>` in `target`, and reads
 * the snapshot ID and stats from its output. A backup whose output names no snapshot fails.
 */
export async function backupPath(
  ctx: FunctionContext,
  profile: Profile,
  target: ResticTarget,
  repository: string,
  includePath: string,
  encryptionKey: string,
  insecureTLS: boolean,
): Promise<BackupOutputs> {
  return withProfileCredentials(ctx, target, profile, async () => {
    await getOrCreateRepository(ctx, target, profile, repository, encryptionKey, insecureTLS);
    const backupTag = randomTag();
    const command = resticCommand(
      profile,
      repository,
      encryptionKey,
      resticArgs.backup(backupTag, includePath, insecureTLS),
    );
    const result = await runRestic(ctx, target, command, "Failed to create and upload backup");
    const backupID = snapshotIdFromBackupLog(result.stdout);
    if (backupID === "") {
      throw new QuiesceError(
        DataErrorCodes.RESTIC_FAILED,
        `Failed to parse the backup ID from logs, backup logs ${result.stdout}`,
        {
          secrets: command.secrets,
          details: { stdout: result.stdout.slice(-4096) },
        },
      );
    }
    const stats = snapshotStatsFromBackupLog(result.stdout);
    return { backupID, backupTag, fileCount: stats.fileCount, size: stats.size, phySize: stats.phySize };
  });
}

/**
 * Kanister's BackupData: backs up `includePath` of `container` in `pod` with restic into the
 * repository `backupArtifactPrefix` (prefixed with the Profile's bucket unless it starts with it)
 * of the action's Profile, encrypted with `encryptionKey` (default: Kanister's fixed key).
 * `insecureTLS` adds `--insecure-tls`. The container needs `sh` and `restic` (the kanister-tools
 * sidecar). Outputs: `backupID`, `backupTag`, `fileCount`, `size`, `phySize`, `version`.
 */
export const backupData = defineFunction({
  name: "BackupData",
  args: z.object({
    namespace: looseString(),
    pod: looseString(),
    container: looseString(),
    includePath: looseString(),
    backupArtifactPrefix: looseString(),
    encryptionKey: looseString().optional(),
    insecureTLS: nullAsAbsent(looseBool()),
  }),
  outputs: ["backupID", "backupTag", "fileCount", "size", "phySize", "version"],
  async exec(ctx, args) {
    const profile = requireProfile(ctx, true);
    const repository = resolveArtifactPrefix(args.backupArtifactPrefix, profile);
    ctx.progress(0);
    const out = await wrapped(ctx.signal, "Failed to backup data", () =>
      backupPath(
        ctx,
        profile,
        { namespace: args.namespace, pod: args.pod, container: args.container },
        repository,
        args.includePath,
        args.encryptionKey ?? DEFAULT_ENCRYPTION_KEY,
        args.insecureTLS ?? false,
      ),
    );
    ctx.progress(100);
    return { ...out, version: DEFAULT_FUNCTION_VERSION };
  },
});
