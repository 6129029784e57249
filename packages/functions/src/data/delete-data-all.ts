/** DeleteDataAll: DeleteData for every pod of a BackupDataAll (Kanister pkg/function/delete_data_all.go). */
import { z } from "zod";
import { looseBool, looseString, nullAsAbsent, podOverride } from "../args.js";
import { defineFunction } from "../define-function.js";
import { dataPodMetadataArgs, kanisterToolsImage, requireProfile } from "./common.js";
import { deleteSnapshots } from "./delete-data.js";
import { DEFAULT_ENCRYPTION_KEY } from "./restic.js";
import { parseBackupInfo } from "./restore-data-all.js";

/**
 * Kanister's DeleteDataAll: forgets each pod's snapshot `backupInfo[pod].BackupID` from
 * `<backupArtifactPrefix>/<pod>` (the prefix used as given, as in Kanister), pruning with
 * `reclaimSpace`, from one one-off pod. Output: `spaceFreed`.
 */
export const deleteDataAll = defineFunction({
  name: "DeleteDataAll",
  args: z.object({
    namespace: looseString(),
    image: looseString().optional(),
    backupArtifactPrefix: looseString(),
    backupInfo: looseString(),
    encryptionKey: looseString().optional(),
    reclaimSpace: nullAsAbsent(looseBool()),
    insecureTLS: nullAsAbsent(looseBool()),
    podOverride: nullAsAbsent(podOverride()),
    ...dataPodMetadataArgs(),
  }),
  outputs: ["spaceFreed"],
  async exec(ctx, args) {
    const profile = requireProfile(ctx, false);
    const input = parseBackupInfo(args.backupInfo);
    // Kanister ranges over a Go map (random order); pods in name order here.
    const pods = Object.keys(input).sort();
    return deleteSnapshots(
      ctx,
      profile,
      {
        namespace: args.namespace,
        generateName: "delete-data-all-",
        image: args.image ?? kanisterToolsImage(),
        podOverride: args.podOverride,
        podLabels: args.podLabels,
        podAnnotations: args.podAnnotations,
      },
      {
        repositories: pods.map((pod) => `${args.backupArtifactPrefix}/${pod}`),
        tags: [],
        ids: pods.map((pod) => input[pod]?.BackupID ?? ""),
        reclaimSpace: args.reclaimSpace ?? false,
        encryptionKey: args.encryptionKey ?? DEFAULT_ENCRYPTION_KEY,
        insecureTLS: args.insecureTLS ?? false,
      },
    );
  },
});
