/**
 * CreateCSISnapshotStatic: a VolumeSnapshot and VolumeSnapshotContent pair for a snapshot that
 * already exists on the storage (Kanister pkg/function/create_csi_snapshot_static.go;
 * pkg/kube/snapshot/snapshot_stable.go CreateFromSource, CreateContentFromSource).
 */
import { randomUUID } from "node:crypto";
import { QuiesceError } from "@quiesce/core";
import { z } from "zod";
import { looseString } from "../../args.js";
import { defineFunction } from "../../define-function.js";
import {
  requireSnapshotApi,
  SNAPSHOT_API_VERSION,
  snapshotOutputs,
  VOLUME_SNAPSHOT_CLASSES,
  waitForReadyToUse,
  wrap,
} from "./snapshot-api.js";

/**
 * Kanister's CreateCSISnapshotStatic: `name`, `namespace`, `driver`, `snapshotHandle` and
 * `snapshotClass`, all required. The content `<name>-content-<uuid>` takes the class's
 * deletionPolicy and points at the snapshot; the snapshot names the content; both are created
 * (content first) and the snapshot is waited for until ready to use. Outputs `name`, `namespace`,
 * `restoreSize` and `snapshotContent`.
 */
export const createCSISnapshotStatic = defineFunction({
  name: "CreateCSISnapshotStatic",
  outputs: ["name", "namespace", "restoreSize", "snapshotContent"],
  args: z.object({
    name: looseString(),
    namespace: looseString(),
    driver: looseString(),
    snapshotHandle: looseString(),
    snapshotClass: looseString(),
  }),
  async exec(ctx, args) {
    const { name, namespace, driver, snapshotHandle, snapshotClass } = args;
    await requireSnapshotApi(ctx, "CreateCSISnapshotStatic", [
      "VolumeSnapshotClass",
      "VolumeSnapshotContent",
      "VolumeSnapshot",
    ]);
    const call = { signal: ctx.signal, timeoutMs: ctx.timeoutMs };
    let deletionPolicy: unknown;
    try {
      const klass = await ctx.cluster.get({ ...VOLUME_SNAPSHOT_CLASSES, name: snapshotClass }, call);
      deletionPolicy = klass.deletionPolicy;
    } catch (err) {
      const found = wrap(err, "Failed to find VolumeSnapshotClass", { volumeSnapshotClass: snapshotClass });
      throw new QuiesceError(
        found.code,
        `Failed to get DeletionPolicy from VolumeSnapshotClass: ${found.message}`,
        {
          cause: found,
          details: { volumeSnapshotClass: snapshotClass },
        },
      );
    }
    const contentName = `${name}-content-${randomUUID()}`;
    try {
      await ctx.cluster.create(
        {
          apiVersion: SNAPSHOT_API_VERSION,
          kind: "VolumeSnapshotContent",
          metadata: { name: contentName },
          spec: {
            volumeSnapshotRef: { kind: "VolumeSnapshot", name, namespace },
            deletionPolicy,
            driver,
            source: { snapshotHandle },
            volumeSnapshotClassName: snapshotClass,
          },
        },
        call,
      );
    } catch (err) {
      throw wrap(err, "Failed to create content", { volumeSnapshotContent: contentName });
    }
    try {
      await ctx.cluster.create(
        {
          apiVersion: SNAPSHOT_API_VERSION,
          kind: "VolumeSnapshot",
          metadata: { name, namespace },
          spec: {
            source: { volumeSnapshotContentName: contentName },
            volumeSnapshotClassName: snapshotClass,
          },
        },
        call,
      );
    } catch (err) {
      // Kanister's message for this step is the content's too; the content it made stays behind.
      throw wrap(err, "Failed to create content", { volumeSnapshot: name });
    }
    const ready = await waitForReadyToUse(ctx, namespace, name);
    return { name, namespace, ...snapshotOutputs(ready) };
  },
});
