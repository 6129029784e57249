/** DeleteCSISnapshot and DeleteCSISnapshotContent (Kanister pkg/function/delete_csi_snapshot.go, delete_csi_snapshot_content.go). */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { z } from "zod";
import { looseString } from "../../args.js";
import { defineFunction } from "../../define-function.js";
import { requireSnapshotApi, VOLUME_SNAPSHOT_CONTENTS, VOLUME_SNAPSHOTS, wrap } from "./snapshot-api.js";

/**
 * Kanister's DeleteCSISnapshot: `name` and `namespace`. Deletes the VolumeSnapshot and waits
 * (watch-driven) until it is gone — with deletionPolicy Delete that is once the snapshot
 * controller has deleted its content and the physical snapshot. A snapshot that does not exist is
 * not an error. No output.
 */
export const deleteCSISnapshot = defineFunction({
  name: "DeleteCSISnapshot",
  args: z.object({ name: looseString(), namespace: looseString() }),
  async exec(ctx, args) {
    await requireSnapshotApi(ctx, "DeleteCSISnapshot", ["VolumeSnapshot"]);
    try {
      await ctx.cluster.delete(
        { ...VOLUME_SNAPSHOTS, namespace: args.namespace, name: args.name },
        { signal: ctx.signal, timeoutMs: ctx.timeoutMs, waitForDeletion: true },
      );
    } catch (err) {
      // Kanister snapshot_stable.go deleteSnapshot: "If the Snapshot does not exist, that's an acceptable error".
      if (QuiesceError.is(err, ErrorCodes.KUBE_NOT_FOUND)) return;
      if (QuiesceError.is(err, ErrorCodes.TIMEOUT)) throw err;
      throw wrap(err, "Failed to delete VolumeSnapshot", { namespace: args.namespace, name: args.name });
    }
  },
});

/**
 * Kanister's DeleteCSISnapshotContent: `name`. Deletes the (cluster-scoped) VolumeSnapshotContent
 * without waiting; one that does not exist is not an error. No output.
 */
export const deleteCSISnapshotContent = defineFunction({
  name: "DeleteCSISnapshotContent",
  args: z.object({ name: looseString() }),
  async exec(ctx, args) {
    await requireSnapshotApi(ctx, "DeleteCSISnapshotContent", ["VolumeSnapshotContent"]);
    try {
      await ctx.cluster.delete(
        { ...VOLUME_SNAPSHOT_CONTENTS, name: args.name },
        { signal: ctx.signal, timeoutMs: ctx.timeoutMs },
      );
    } catch (err) {
      if (QuiesceError.is(err, ErrorCodes.KUBE_NOT_FOUND)) return;
      throw wrap(err, "Failed to delete", { volumeSnapshotContent: args.name });
    }
  },
});
