/** CreateCSISnapshot: a VolumeSnapshot of a PVC, waited until ready to use (Kanister pkg/function/create_csi_snapshot.go). */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { z } from "zod";
import { looseString, stringMap } from "../../args.js";
import { defineFunction } from "../../define-function.js";
import { sanitizeTags } from "./sanitize-tags.js";
import {
  defaultSnapshotName,
  requireSnapshotApi,
  SNAPSHOT_API_VERSION,
  snapshotOutputs,
  waitForReadyToUse,
  wrap,
} from "./snapshot-api.js";

const PVCS = { version: "v1", resource: "persistentvolumeclaims" };

/**
 * Kanister's CreateCSISnapshot: `pvc`, `namespace` and `snapshotClass` (required), `name` (default
 * `<pvc>-snapshot-<5 random characters>`) and `labels` (sanitized as Kanister does: lower case,
 * `[a-z0-9_-]`, at most 63 bytes). The PVC must exist; the VolumeSnapshot is created and waited for
 * until ready to use — an error the snapshot controller reports fails the phase at once. Outputs
 * `name`, `pvc`, `namespace`, `restoreSize` and `snapshotContent`.
 */
export const createCSISnapshot = defineFunction({
  name: "CreateCSISnapshot",
  outputs: ["name", "pvc", "namespace", "restoreSize", "snapshotContent"],
  args: z.object({
    pvc: looseString(),
    namespace: looseString(),
    snapshotClass: looseString(),
    name: looseString().optional(),
    labels: stringMap().optional(),
  }),
  async exec(ctx, args) {
    const { pvc, namespace, snapshotClass } = args;
    const name = args.name ?? defaultSnapshotName(pvc);
    await requireSnapshotApi(ctx, "CreateCSISnapshot", ["VolumeSnapshot"]);
    // Kanister snapshot_stable.go createSnapshot: the claim is checked before anything is created.
    try {
      await ctx.cluster.get(
        { ...PVCS, namespace, name: pvc },
        { signal: ctx.signal, timeoutMs: ctx.timeoutMs },
      );
    } catch (err) {
      const missing = QuiesceError.is(err, ErrorCodes.KUBE_NOT_FOUND);
      throw new QuiesceError(
        missing ? ErrorCodes.KUBE_NOT_FOUND : ErrorCodes.KUBE_API,
        missing ? "Failed to find PVC" : "Failed to query PVC",
        {
          cause: err,
          details: { pvc, namespace },
        },
      );
    }
    const labels = sanitizeTags(args.labels ?? {});
    try {
      await ctx.cluster.create(
        {
          apiVersion: SNAPSHOT_API_VERSION,
          kind: "VolumeSnapshot",
          metadata: { name, namespace, ...(Object.keys(labels).length > 0 ? { labels } : {}) },
          spec: { source: { persistentVolumeClaimName: pvc }, volumeSnapshotClassName: snapshotClass },
        },
        { signal: ctx.signal, timeoutMs: ctx.timeoutMs },
      );
    } catch (err) {
      throw wrap(err, "Failed to create snapshot resource", { name, namespace });
    }
    const ready = await waitForReadyToUse(ctx, namespace, name);
    return { name, pvc, namespace, ...snapshotOutputs(ready) };
  },
});
