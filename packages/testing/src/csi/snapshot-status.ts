/**
 * A VolumeSnapshot's status as the common controller derives it from its content
 * (external-snapshotter pkg/common-controller/snapshot_controller.go updateSnapshotStatus and
 * needsUpdateSnapshotStatus): bound name, creation time, readiness, restore size and error.
 */
import { formatQuantity, parseQuantity, quantityOf } from "@quiesce/kube";
import type { StoredObject } from "../api/seams.js";
import { type CsiContext, event, fresh, putStatus, updateError } from "./context.js";
import {
  type ContentStatus,
  contentStatus,
  kubeTime,
  type SnapshotStatus,
  snapshotKey,
  snapshotStatus,
} from "./objects.js";

function isZeroSize(size: string | undefined): boolean {
  if (size === undefined) return false;
  try {
    return parseQuantity(size).digits === 0n;
  } catch {
    return false;
  }
}

/** needsUpdateSnapshotStatus: the content's status has something the snapshot's lacks. */
export function needsUpdateSnapshotStatus(snapshot: StoredObject, content: StoredObject): boolean {
  const s = snapshotStatus(snapshot);
  const c = contentStatus(content);
  if (!s && c) return true;
  if (!c) return false;
  if (!s?.boundVolumeSnapshotContentName) return true;
  if (s.creationTime === undefined && c.creationTime !== undefined) return true;
  if (s.readyToUse === undefined && c.readyToUse !== undefined) return true;
  if (s.readyToUse !== undefined && c.readyToUse !== undefined && s.readyToUse !== c.readyToUse) return true;
  if (s.restoreSize === undefined && c.restoreSize !== undefined) return true;
  return isZeroSize(s.restoreSize) && (c.restoreSize ?? 0) > 0;
}

const sizeOf = (bytes: number) => formatQuantity(quantityOf(BigInt(bytes), "BinarySI"));
const timeOf = (ns: number) => kubeTime(Math.floor(ns / 1e6));

/** updateSnapshotStatus: copies what the content reports onto the snapshot, with SnapshotCreated/SnapshotReady Events. */
export function updateSnapshotStatus(
  ctx: CsiContext,
  snapshot: StoredObject,
  content: StoredObject,
): StoredObject {
  const live = fresh(ctx, ctx.types.snapshots, snapshot);
  if (!live) throw updateError(snapshotKey(snapshot), "the snapshot is gone");
  const c: ContentStatus = contentStatus(content) ?? {};
  const readyToUse = c.readyToUse ?? false;
  const before = snapshotStatus(live);
  let next: SnapshotStatus;
  let updated = false;
  if (!before) {
    next = { boundVolumeSnapshotContentName: content.metadata.name, readyToUse };
    if (c.creationTime !== undefined) next.creationTime = timeOf(c.creationTime);
    if (c.restoreSize !== undefined) next.restoreSize = sizeOf(c.restoreSize);
    if (c.error) next.error = { ...c.error };
    updated = true;
  } else {
    next = structuredClone(before);
    if (!next.boundVolumeSnapshotContentName) {
      next.boundVolumeSnapshotContentName = content.metadata.name;
      updated = true;
    }
    if (next.creationTime === undefined && c.creationTime !== undefined) {
      next.creationTime = timeOf(c.creationTime);
      updated = true;
    }
    if (next.readyToUse !== readyToUse) {
      next.readyToUse = readyToUse;
      updated = true;
      if (readyToUse) delete next.error;
    }
    const size = c.restoreSize;
    if (
      size !== undefined &&
      (next.restoreSize === undefined || (isZeroSize(next.restoreSize) && size > 0))
    ) {
      next.restoreSize = sizeOf(size);
      updated = true;
    }
    // The content's error replaces the snapshot's; none on the content clears it.
    if (c.error) {
      if (JSON.stringify(next.error) !== JSON.stringify(c.error)) {
        next.error = { ...c.error };
        updated = true;
      }
    } else if (next.error) {
      delete next.error;
      updated = true;
    }
  }
  if (!updated) return live;
  const key = snapshotKey(live);
  if (before?.creationTime === undefined && next.creationTime !== undefined) {
    event(
      ctx,
      live,
      "Normal",
      "SnapshotCreated",
      `Snapshot ${key} was successfully created by the CSI driver.`,
    );
  }
  if (before?.readyToUse !== true && next.readyToUse === true) {
    event(ctx, live, "Normal", "SnapshotReady", `Snapshot ${key} is ready to use.`);
  }
  try {
    return putStatus(ctx, ctx.types.snapshots, live, next as Record<string, unknown>);
  } catch (err) {
    throw updateError(key, (err as Error).message);
  }
}
