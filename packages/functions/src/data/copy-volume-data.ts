/** CopyVolumeData: a restic backup of a whole PVC from a one-off pod (Kanister pkg/function/copy_volume_data.go). */
import { z } from "zod";
import { looseBool, looseString, nullAsAbsent, podOverride } from "../args.js";
import { defineFunction } from "../define-function.js";
import { DEFAULT_FUNCTION_VERSION } from "../function-types.js";
import { backupPath } from "./backup-data.js";
import {
  dataPodMetadataArgs,
  kanisterToolsImage,
  pvcMounts,
  requireProfile,
  resolveArtifactPrefix,
  withToolPod,
} from "./common.js";
import { DEFAULT_ENCRYPTION_KEY } from "./restic.js";

/** Where CopyVolumeData mounts the PVC by default (Kanister CopyVolumeDataMountPoint). */
export const copyVolumeDataMountPoint = (pvc: string) => `/mnt/vol_data/${pvc}`;

/**
 * Kanister's CopyVolumeData: mounts the PVC `volume` at `mountPath` (default
 * `/mnt/vol_data/<volume>`) in a one-off pod running `image` (default kanister-tools), and backs up
 * that directory with restic into `dataArtifactPrefix` (prefixed with the Profile's bucket unless
 * it starts with it). Outputs: `backupID`, `backupRoot` (the mount point — where RestoreData must
 * mount the PVC again), `backupArtifactLocation`, `backupTag`, `fileCount`, `size`, `phySize`,
 * `version`.
 */
export const copyVolumeData = defineFunction({
  name: "CopyVolumeData",
  args: z.object({
    namespace: looseString(),
    image: looseString().optional(),
    volume: looseString(),
    dataArtifactPrefix: looseString(),
    encryptionKey: looseString().optional(),
    mountPath: looseString().optional(),
    insecureTLS: nullAsAbsent(looseBool()),
    podOverride: nullAsAbsent(podOverride()),
    ...dataPodMetadataArgs(),
  }),
  outputs: [
    "backupID",
    "backupRoot",
    "backupArtifactLocation",
    "backupTag",
    "fileCount",
    "size",
    "phySize",
    "version",
  ],
  async exec(ctx, args) {
    const profile = requireProfile(ctx, true);
    const targetPath = resolveArtifactPrefix(args.dataArtifactPrefix, profile);
    const mountPoint = args.mountPath || copyVolumeDataMountPoint(args.volume);
    const volumes = await pvcMounts(ctx, args.namespace, { [args.volume]: mountPoint });
    const pod = {
      namespace: args.namespace,
      generateName: "copy-vol-data-",
      image: args.image ?? kanisterToolsImage(),
      volumes,
      podOverride: args.podOverride,
      podLabels: args.podLabels,
      podAnnotations: args.podAnnotations,
    };
    return withToolPod(ctx, pod, async (running) => {
      const out = await backupPath(
        ctx,
        profile,
        running,
        targetPath,
        mountPoint,
        args.encryptionKey ?? DEFAULT_ENCRYPTION_KEY,
        args.insecureTLS ?? false,
      );
      return {
        backupID: out.backupID,
        backupRoot: mountPoint,
        backupArtifactLocation: targetPath,
        backupTag: out.backupTag,
        fileCount: out.fileCount,
        size: out.size,
        phySize: out.phySize,
        version: DEFAULT_FUNCTION_VERSION,
      };
    });
  },
});
