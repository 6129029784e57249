/** RestoreCSISnapshot: a new PVC whose data source is a VolumeSnapshot (Kanister pkg/function/restore_csi_snapshot.go). */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { formatQuantity, isZeroQuantity, parseQuantity, type Quantity } from "@quiesce/kube";
import { z } from "zod";
import { looseString, stringList, stringMap } from "../../args.js";
import { defineFunction } from "../../define-function.js";
import { requireSnapshotApi, SNAPSHOT_GROUP } from "./snapshot-api.js";

// Kanister restore_csi_snapshot.go validateVolumeAccessModesArg / validateVolumeModeArg.
const ACCESS_MODES = new Set(["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce"]);
const VOLUME_MODES = new Set(["Filesystem", "Block"]);

/**
 * Kanister's RestoreCSISnapshot: `name` (the VolumeSnapshot), `pvc`, `namespace`, `storageClass`
 * and `restoreSize` (a quantity, not zero) are required; `accessModes` (default
 * `[ReadWriteOnce]`), `volumeMode` (default `Filesystem`) and `labels` are optional. It creates the
 * PVC with `dataSource` kind VolumeSnapshot and returns at once, without output: the claim is bound
 * by the provisioner once the snapshot can be restored, and pods using it wait for that.
 */
export const restoreCSISnapshot = defineFunction({
  name: "RestoreCSISnapshot",
  args: z.object({
    name: looseString(),
    pvc: looseString(),
    namespace: looseString(),
    storageClass: looseString(),
    restoreSize: looseString(),
    accessModes: stringList().optional(),
    volumeMode: looseString().optional(),
    labels: stringMap().optional(),
  }),
  async exec(ctx, args) {
    const accessModes = args.accessModes ?? ["ReadWriteOnce"];
    for (const mode of accessModes) {
      if (!ACCESS_MODES.has(mode)) throw invalid(`Given accessMode ${mode} is invalid`, { accessMode: mode });
    }
    const volumeMode = args.volumeMode ?? "Filesystem";
    if (!VOLUME_MODES.has(volumeMode))
      throw invalid(`Given volumeMode ${volumeMode} is invalid`, { volumeMode });
    let size: Quantity;
    try {
      size = parseQuantity(args.restoreSize);
    } catch (err) {
      throw invalid((err as Error).message, { restoreSize: args.restoreSize });
    }
    if (isZeroQuantity(size)) {
      throw invalid("Failed to restore CSI snapshot. restoreSize argument cannot be zero", {
        restoreSize: args.restoreSize,
      });
    }
    // Kanister creates the claim without looking at the snapshot API; quiesce checks it is served,
    // so that a cluster without it fails here rather than leaving a claim Pending for ever.
    await requireSnapshotApi(ctx, "RestoreCSISnapshot", ["VolumeSnapshot"]);
    // Kanister returns the API server's error as it is (restoreCSISnapshot does not wrap it).
    await ctx.cluster.create(
      {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: {
          name: args.pvc,
          namespace: args.namespace,
          ...(args.labels ? { labels: args.labels } : {}),
        },
        spec: {
          accessModes,
          volumeMode,
          dataSource: { apiGroup: SNAPSHOT_GROUP, kind: "VolumeSnapshot", name: args.name },
          storageClassName: args.storageClass,
          resources: { requests: { storage: formatQuantity(size) } },
        },
      },
      { signal: ctx.signal, timeoutMs: ctx.timeoutMs },
    );
  },
});

function invalid(message: string, details: Record<string, unknown>): QuiesceError {
  return new QuiesceError(ErrorCodes.VALIDATION, `RestoreCSISnapshot: ${message}`, { details });
}
