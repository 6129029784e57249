/**
 * The common snapshot controller's VolumeSnapshotContent side (external-snapshotter
 * pkg/common-controller/snapshot_controller.go syncContent): the protection finalizer, a nudge to
 * the snapshot when the content has news for it, and the being-deleted mark for the sidecar.
 */
import type { StoredObject } from "../api/seams.js";
import { type CsiContext, event, mutate, retry } from "./context.js";
import {
  BEING_DELETED_ANNOTATION,
  CONTENT_FINALIZER,
  contentRef,
  hasAnnotation,
  hasFinalizer,
  isDeletionCandidate,
  staticHandle,
  volumeHandle,
} from "./objects.js";
import { needsUpdateSnapshotStatus } from "./snapshot-status.js";

/** syncContent: one VolumeSnapshotContent. Throws to be retried after back-off. */
export function syncContent(ctx: CsiContext, name: string): void {
  const content = ctx.store.get(ctx.types.contents, undefined, name);
  if (!content) return;
  if ((volumeHandle(content) === undefined) === (staticHandle(content) === undefined)) {
    const message = "Exactly one of VolumeHandle and SnapshotHandle should be specified";
    event(ctx, content, "Warning", "ContentValidationError", message);
    throw retry(message);
  }
  const ref = contentRef(content);
  // Pre-bound to a snapshot that has not bound it yet: the snapshot's sync does that.
  if (!ref.uid) return;
  if (!content.metadata.deletionTimestamp && !hasFinalizer(content, CONTENT_FINALIZER)) {
    mutate(ctx, ctx.types.contents, content, (c) => {
      c.metadata.finalizers = [...(c.metadata.finalizers ?? []), CONTENT_FINALIZER];
    });
    return;
  }
  let snapshot: StoredObject | undefined =
    ref.namespace && ref.name ? ctx.store.get(ctx.types.snapshots, ref.namespace, ref.name) : undefined;
  // A snapshot of the same name but another uid: the one this content was for is gone. The content
  // is then left alone, never deleted (its physical snapshot may be all that is left).
  if (snapshot && snapshot.metadata.uid !== ref.uid) snapshot = undefined;
  else if (snapshot && needsUpdateSnapshotStatus(snapshot, content)) {
    ctx.enqueueSnapshot(snapshot.metadata.namespace ?? "", snapshot.metadata.name);
  }
  if (snapshot && isDeletionCandidate(snapshot) && !hasAnnotation(content, BEING_DELETED_ANNOTATION)) {
    mutate(ctx, ctx.types.contents, content, (c) => {
      c.metadata.annotations = { ...(c.metadata.annotations ?? {}), [BEING_DELETED_ANNOTATION]: "yes" };
    });
  }
}
