/**
 * The common snapshot controller's VolumeSnapshot side (external-snapshotter
 * pkg/common-controller/snapshot_controller_base.go syncSnapshotByKey, snapshot_controller.go
 * syncSnapshot and what it calls): class resolution, finalizers, dynamic and pre-provisioned
 * binding, status from the content, and deletion per the content's deletion policy.
 */
import type { StoredObject } from "../api/seams.js";
import { field } from "../controllers/util.js";
import { claimOf, createContent } from "./content-create.js";
import { type CsiContext, event, fresh, mutate, retry, snapshotErrorStatus, updateError } from "./context.js";
import { SNAPSHOT_GROUP } from "./crds.js";
import {
  AS_SOURCE_FINALIZER,
  BEING_DELETED_ANNOTATION,
  BOUND_FINALIZER,
  className,
  contentRef,
  DEFAULT_CLASS_ANNOTATION,
  deletionPolicy,
  dynamicContentName,
  hasAnnotation,
  hasFinalizer,
  isBoundNameSet,
  isDeletionCandidate,
  isSnapshotReady,
  PVC_FINALIZER,
  pointsBack,
  snapshotKey,
  snapshotStatus,
  sourceContent,
  sourcePvc,
  staticHandle,
  volumeHandle,
} from "./objects.js";
import { updateSnapshotStatus } from "./snapshot-status.js";

/** syncSnapshotByKey: one VolumeSnapshot. Throws to be retried after back-off. */
export function syncSnapshotByKey(ctx: CsiContext, namespace: string, name: string): void {
  const snapshot = ctx.store.get(ctx.types.snapshots, namespace, name);
  if (!snapshot) return;
  const current = checkAndUpdateSnapshotClass(ctx, snapshot);
  syncSnapshot(ctx, current);
}

function notFoundClass(name: string): string {
  return `volumesnapshotclass.${SNAPSHOT_GROUP} "${name}" not found`;
}

/** checkAndUpdateSnapshotClass: the named class must exist; without one, the default class of the driver is set. */
function checkAndUpdateSnapshotClass(ctx: CsiContext, snapshot: StoredObject): StoredObject {
  const name = className(snapshot);
  if (name !== undefined) {
    if (ctx.store.get(ctx.types.classes, undefined, name)) return snapshot;
    const message = `Failed to get snapshot class with error ${notFoundClass(name)}`;
    snapshotErrorStatus(ctx, snapshot, false, "GetSnapshotClassFailed", message);
    // A snapshot being deleted is still processed, so that its deletion can finish.
    if (snapshot.metadata.deletionTimestamp) return fresh(ctx, ctx.types.snapshots, snapshot) ?? snapshot;
    throw retry(message);
  }
  if (sourceContent(snapshot) !== undefined) return snapshot; // pre-provisioned: no class needed
  try {
    return setDefaultSnapshotClass(ctx, snapshot);
  } catch (err) {
    const message = `Failed to set default snapshot class with error ${(err as Error).message}`;
    snapshotErrorStatus(ctx, snapshot, false, "SetDefaultSnapshotClassFailed", message);
    throw err;
  }
}

/** SetDefaultSnapshotClass: the one class marked default for the driver of the snapshot's volume. */
function setDefaultSnapshotClass(ctx: CsiContext, snapshot: StoredObject): StoredObject {
  claimOf(ctx, snapshot, true); // the volume must be a bound claim of the local driver
  const defaults = ctx.store
    .list(ctx.types.classes, undefined)
    .items.filter(
      (c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === "true" && c.driver === ctx.driver.name,
    );
  if (defaults.length === 0) throw retry("cannot find default snapshot class");
  if (defaults.length > 1) throw retry(`${defaults.length} default snapshot classes were found`);
  const chosen = defaults[0]!.metadata.name;
  return mutate(ctx, ctx.types.snapshots, snapshot, (s) => {
    (s.spec as Record<string, unknown>).volumeSnapshotClassName = chosen;
  });
}

/** syncSnapshot. */
function syncSnapshot(ctx: CsiContext, snapshot: StoredObject): void {
  try {
    checkAndRemovePvcFinalizer(ctx, snapshot, false);
  } catch {
    // Recorded, not fatal: the sync goes on (syncSnapshot in snapshot_controller.go).
    const message = "Error check and remove PVC Finalizer for VolumeSnapshot";
    event(ctx, snapshot, "Warning", "ErrorPVCFinalizer", message);
  }
  if (snapshot.metadata.deletionTimestamp) {
    processSnapshotWithDeletionTimestamp(ctx, snapshot);
    return;
  }
  if ((sourcePvc(snapshot) === undefined) === (sourceContent(snapshot) === undefined)) {
    const message =
      "Exactly one of PersistentVolumeClaimName and VolumeSnapshotContentName should be specified";
    snapshotErrorStatus(ctx, snapshot, true, "SnapshotValidationError", message);
    throw retry(message);
  }
  const withFinalizers = checkAndAddSnapshotFinalizers(ctx, snapshot);
  if (!isSnapshotReady(withFinalizers) || !isBoundNameSet(withFinalizers))
    syncUnreadySnapshot(ctx, withFinalizers);
  else syncReadySnapshot(ctx, withFinalizers);
}

function getContent(ctx: CsiContext, name: string): StoredObject | undefined {
  return ctx.store.get(ctx.types.contents, undefined, name);
}

/** getPreprovisionedContentFromStore: the named content, if it is pre-provisioned and points back here. */
function preprovisionedContent(ctx: CsiContext, snapshot: StoredObject): StoredObject | undefined {
  const name = sourceContent(snapshot) ?? "";
  if (name === "") throw retry(`empty VolumeSnapshotContentName for snapshot ${snapshotKey(snapshot)}`);
  const content = getContent(ctx, name);
  if (!content) return undefined;
  if (staticHandle(content) === undefined) {
    const message = "VolumeSnapshotContent is dynamically provisioned while expecting a pre-provisioned one";
    snapshotErrorStatus(ctx, snapshot, true, "SnapshotContentMismatch", message);
    throw retry(message);
  }
  const ref = contentRef(content);
  if (
    ref.name !== snapshot.metadata.name ||
    ref.namespace !== snapshot.metadata.namespace ||
    (ref.uid && ref.uid !== snapshot.metadata.uid)
  ) {
    const message = `VolumeSnapshotContent [${name}] is bound to a different snapshot`;
    snapshotErrorStatus(ctx, snapshot, true, "SnapshotContentMisbound", message);
    throw retry(message);
  }
  return content;
}

/** getDynamicallyProvisionedContentFromStore: `snapcontent-<uid>`, if it is dynamic and points back here. */
function dynamicContent(ctx: CsiContext, snapshot: StoredObject): StoredObject | undefined {
  const name = dynamicContentName(snapshot);
  const content = getContent(ctx, name);
  if (!content) return undefined;
  if (volumeHandle(content) === undefined) {
    const message = `VolumeSnapshotContent ${name} is pre-provisioned while expecting a dynamically provisioned one`;
    snapshotErrorStatus(ctx, snapshot, true, "SnapshotContentMismatch", message);
    throw retry(message);
  }
  if (!pointsBack(snapshot, content)) {
    const message = `VolumeSnapshotContent [${name}] is bound to a different snapshot`;
    snapshotErrorStatus(ctx, snapshot, true, "SnapshotContentMisbound", message);
    throw retry(message);
  }
  return content;
}

/** checkandAddSnapshotFinalizers: as-source always; bound once bound to a content whose policy is Delete. */
function checkAndAddSnapshotFinalizers(ctx: CsiContext, snapshot: StoredObject): StoredObject {
  const content =
    sourceContent(snapshot) !== undefined
      ? preprovisionedContent(ctx, snapshot)
      : dynamicContent(ctx, snapshot);
  const addSource = !hasFinalizer(snapshot, AS_SOURCE_FINALIZER);
  const addBound =
    !!content &&
    !hasFinalizer(snapshot, BOUND_FINALIZER) &&
    isBoundNameSet(snapshot) &&
    deletionPolicy(content) === "Delete";
  if (!addSource && !addBound) return snapshot;
  return mutate(ctx, ctx.types.snapshots, snapshot, (s) => {
    const list = [...(s.metadata.finalizers ?? [])];
    if (addSource) list.push(AS_SOURCE_FINALIZER);
    if (addBound) list.push(BOUND_FINALIZER);
    s.metadata.finalizers = list;
  });
}

/** syncReadySnapshot: a ready, bound snapshot whose content went missing or no longer points back. */
function syncReadySnapshot(ctx: CsiContext, snapshot: StoredObject): void {
  const content = getContent(ctx, snapshotStatus(snapshot)?.boundVolumeSnapshotContentName ?? "");
  if (!content) {
    snapshotErrorStatus(ctx, snapshot, true, "SnapshotContentMissing", "VolumeSnapshotContent is missing");
    return;
  }
  if (!pointsBack(snapshot, content)) {
    const message = "VolumeSnapshotContent is not bound to the VolumeSnapshot correctly";
    snapshotErrorStatus(ctx, snapshot, true, "SnapshotMisbound", message);
  }
}

/** syncUnreadySnapshot: bind a pre-provisioned content, or create the dynamic one, and copy its status. */
function syncUnreadySnapshot(ctx: CsiContext, snapshot: StoredObject): void {
  if (sourceContent(snapshot) !== undefined) {
    const content = preprovisionedContent(ctx, snapshot);
    if (!content) {
      snapshotErrorStatus(ctx, snapshot, true, "SnapshotContentMissing", "VolumeSnapshotContent is missing");
      throw retry(
        `snapshot ${snapshotKey(snapshot)} requests an non-existing content ${sourceContent(snapshot)}`,
      );
    }
    updateSnapshotStatus(ctx, snapshot, bindContent(ctx, snapshot, content));
    return;
  }
  const existing = dynamicContent(ctx, snapshot);
  if (existing) {
    if (staticHandle(existing) !== undefined) {
      const message = `Snapshot handle should not be set in content ${snapshotKey(snapshot)} for dynamic provisioning`;
      snapshotErrorStatus(ctx, snapshot, true, "SnapshotHandleSet", message);
      throw retry(message);
    }
    updateSnapshotStatus(ctx, snapshot, existing);
    return;
  }
  let content: StoredObject;
  try {
    content = createContent(ctx, snapshot);
  } catch (err) {
    const message = `Failed to create snapshot content with error ${(err as Error).message}`;
    snapshotErrorStatus(ctx, snapshot, true, "SnapshotContentCreationFailed", message);
    throw err;
  }
  updateSnapshotStatus(ctx, snapshot, content);
}

/** checkandBindSnapshotContent: a pre-provisioned content gets the snapshot's uid (and class). */
function bindContent(ctx: CsiContext, snapshot: StoredObject, content: StoredObject): StoredObject {
  const ref = contentRef(content);
  if (ref.uid && field<string>(content, "spec", "volumeSnapshotClassName") !== undefined) return content;
  return mutate(ctx, ctx.types.contents, content, (c) => {
    const spec = c.spec as Record<string, unknown>;
    spec.volumeSnapshotRef = { ...contentRef(c), uid: snapshot.metadata.uid };
    const name = className(snapshot);
    if (name !== undefined) spec.volumeSnapshotClassName = name;
  });
}

/** processSnapshotWithDeletionTimestamp and checkandRemoveSnapshotFinalizersAndCheckandDeleteContent. */
function processSnapshotWithDeletionTimestamp(ctx: CsiContext, snapshot: StoredObject): void {
  let contentName = snapshotStatus(snapshot)?.boundVolumeSnapshotContentName ?? "";
  if (contentName === "" && sourcePvc(snapshot) !== undefined) contentName = dynamicContentName(snapshot);
  let content = getContent(ctx, contentName);
  let deleteContent = false;
  if (content && pointsBack(snapshot, content)) deleteContent = deletionPolicy(content) === "Delete";
  else content = undefined;
  if (!isDeletionCandidate(snapshot)) return;
  if (content && volumeBeingCreatedFrom(ctx, snapshot)) {
    event(ctx, snapshot, "Warning", "SnapshotDeletePending", "Snapshot is being used to restore a PVC");
    throw retry(
      `snapshot ${snapshotKey(snapshot)} is in use (being used to restore a PVC), will retry deletion`,
    );
  }
  if (content && !hasAnnotation(content, BEING_DELETED_ANNOTATION)) {
    content = mutate(ctx, ctx.types.contents, content, (c) => {
      c.metadata.annotations = { ...(c.metadata.annotations ?? {}), [BEING_DELETED_ANNOTATION]: "yes" };
    });
  }
  if (content && deleteContent) {
    try {
      ctx.store.delete(ctx.types.contents, undefined, content.metadata.name);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) {
        event(
          ctx,
          snapshot,
          "Warning",
          "SnapshotContentObjectDeleteError",
          "Failed to delete snapshot content API object",
        );
        throw err;
      }
    }
  }
  // The bound finalizer stays until the sidecar has removed a content being deleted.
  checkAndRemovePvcFinalizer(ctx, snapshot, true);
  const keepBound = !!content && deleteContent;
  mutate(ctx, ctx.types.snapshots, snapshot, (s) => {
    s.metadata.finalizers = (s.metadata.finalizers ?? []).filter(
      (f) => f !== AS_SOURCE_FINALIZER && (keepBound || f !== BOUND_FINALIZER),
    );
  });
}

/** isVolumeBeingCreatedFromSnapshot: a Pending claim of the namespace names this snapshot as its data source. */
function volumeBeingCreatedFrom(ctx: CsiContext, snapshot: StoredObject): boolean {
  return ctx.store.list(ctx.core.pvcs, snapshot.metadata.namespace).items.some((pvc) => {
    const source = field<{ name?: string; kind?: string; apiGroup?: string }>(pvc, "spec", "dataSource");
    return (
      source?.name === snapshot.metadata.name &&
      source.kind === "VolumeSnapshot" &&
      source.apiGroup === SNAPSHOT_GROUP &&
      field<string>(pvc, "status", "phase") === "Pending"
    );
  });
}

/** checkandRemovePVCFinalizer: the source claim keeps its finalizer while any snapshot of it is not ready. */
export function checkAndRemovePvcFinalizer(
  ctx: CsiContext,
  snapshot: StoredObject,
  skipCurrent: boolean,
): void {
  const claim = sourcePvc(snapshot);
  if (claim === undefined) return;
  const pvc = ctx.store.get(ctx.core.pvcs, snapshot.metadata.namespace, claim);
  if (!pvc || !hasFinalizer(pvc, PVC_FINALIZER)) return;
  const inUse = ctx.store
    .list(ctx.types.snapshots, snapshot.metadata.namespace)
    .items.some(
      (s) =>
        !(skipCurrent && s.metadata.name === snapshot.metadata.name) &&
        sourcePvc(s) === claim &&
        !isSnapshotReady(s),
    );
  if (inUse) return;
  try {
    ctx.store.mutate(ctx.core.pvcs, pvc.metadata.namespace, claim, (p) => {
      p.metadata.finalizers = (p.metadata.finalizers ?? []).filter((f) => f !== PVC_FINALIZER);
    });
  } catch (err) {
    throw updateError(claim, (err as Error).message);
  }
}
