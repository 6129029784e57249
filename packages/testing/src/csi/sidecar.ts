/**
 * The csi-snapshotter sidecar of the local driver (external-snapshotter
 * pkg/sidecar-controller/snapshot_controller.go syncContent): for the contents of its driver it
 * cuts snapshots (CreateSnapshot, retried until ready), checks pre-provisioned ones
 * (ListSnapshots), deletes them per the deletion policy, and releases the content's finalizer.
 */
import type { StoredObject } from "../api/seams.js";
import type { ReconcileResult } from "../controllers/retry-queue.js";
import { type CsiContext, contentErrorStatus, event, fresh, mutate, putStatus, retry } from "./context.js";
import { SNAPSHOT_GROUP } from "./crds.js";
import { CsiRpcError, type CsiSnapshotInfo } from "./driver.js";
import {
  BEING_CREATED_ANNOTATION,
  BEING_DELETED_ANNOTATION,
  CONTENT_FINALIZER,
  type ContentStatus,
  className,
  contentRef,
  contentStatus,
  deletionPolicy,
  driverOf,
  goQuote,
  hasAnnotation,
  hasFinalizer,
  staticHandle,
  volumeHandle,
} from "./objects.js";

const component = (ctx: CsiContext) => `csi-snapshotter ${ctx.driver.name}`;
const isReady = (c: StoredObject) => contentStatus(c)?.readyToUse === true;
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The sidecar's syncContent; "requeue" until the content is ready (the driver is polled with back-off). */
export async function sidecarSync(ctx: CsiContext, name: string): Promise<ReconcileResult> {
  const content = ctx.store.get(ctx.types.contents, undefined, name);
  if (!content || driverOf(content) !== ctx.driver.name) return "done";
  if (shouldDelete(content)) {
    let current = content;
    const handle = contentStatus(content)?.snapshotHandle;
    if (deletionPolicy(content) === "Delete" && handle !== undefined)
      current = await deleteSnapshot(ctx, content, handle);
    if (hasFinalizer(current, CONTENT_FINALIZER)) {
      mutate(ctx, ctx.types.contents, current, (c) => {
        c.metadata.finalizers = (c.metadata.finalizers ?? []).filter((f) => f !== CONTENT_FINALIZER);
      });
    }
    return "done";
  }
  if (volumeHandle(content) !== undefined && contentStatus(content) === undefined) {
    try {
      const created = await createSnapshotWrapper(ctx, content);
      return isReady(created) ? "done" : "requeue";
    } catch (err) {
      contentErrorStatus(
        ctx,
        content,
        "SnapshotCreationFailed",
        `Failed to create snapshot: ${messageOf(err)}`,
      );
      return "requeue";
    }
  }
  if (isReady(content)) {
    removeBeingCreated(ctx, content);
    return "done";
  }
  try {
    const checked = await checkAndUpdateContentStatus(ctx, content);
    return isReady(checked) ? "done" : "requeue";
  } catch (err) {
    const message = `Failed to check and update snapshot content: ${messageOf(err)}`;
    contentErrorStatus(ctx, content, "SnapshotContentCheckandUpdateFailed", message);
    return "requeue";
  }
}

/** shouldDelete: a deleted content is processed once its snapshot is being deleted (or it was never bound). */
function shouldDelete(content: StoredObject): boolean {
  if (!content.metadata.deletionTimestamp) return false;
  if (staticHandle(content) !== undefined && !contentRef(content).uid) return true;
  if (hasAnnotation(content, BEING_CREATED_ANNOTATION)) return false; // a CreateSnapshot may be in flight
  return hasAnnotation(content, BEING_DELETED_ANNOTATION);
}

/** deleteCSISnapshotOperation: DeleteSnapshot, then the content's status forgets the snapshot. */
async function deleteSnapshot(ctx: CsiContext, content: StoredObject, handle: string): Promise<StoredObject> {
  try {
    await ctx.driver.deleteSnapshot(handle);
  } catch (err) {
    event(ctx, content, "Warning", "SnapshotDeleteError", "Failed to delete snapshot", component(ctx));
    throw retry(
      `failed to delete snapshot ${goQuote(content.metadata.name)}, err: failed to delete snapshot content ${content.metadata.name}: ${goQuote(messageOf(err))}`,
    );
  }
  const live = fresh(ctx, ctx.types.contents, content) ?? content;
  const { snapshotHandle, readyToUse, creationTime, restoreSize, ...rest } = contentStatus(live) ?? {};
  return putStatus(ctx, ctx.types.contents, live, rest);
}

function setAnnotation(ctx: CsiContext, content: StoredObject, key: string, on: boolean): StoredObject {
  if (hasAnnotation(content, key) === on) return content;
  return mutate(ctx, ctx.types.contents, content, (c) => {
    const annotations = { ...(c.metadata.annotations ?? {}) };
    if (on) annotations[key] = "yes";
    else delete annotations[key];
    c.metadata.annotations = annotations;
  });
}

function removeBeingCreated(ctx: CsiContext, content: StoredObject): StoredObject {
  return setAnnotation(
    ctx,
    fresh(ctx, ctx.types.contents, content) ?? content,
    BEING_CREATED_ANNOTATION,
    false,
  );
}

/** createSnapshotWrapper: CreateSnapshot through the driver, marked "being created" while the call is out. */
async function createSnapshotWrapper(ctx: CsiContext, content: StoredObject): Promise<StoredObject> {
  const name = content.metadata.name;
  const klass = className(content);
  try {
    if (klass === undefined) throw retry(`failed to take snapshot ${name} without a snapshot class`);
    if (!ctx.store.get(ctx.types.classes, undefined, klass)) {
      throw retry(`volumesnapshotclass.${SNAPSHOT_GROUP} "${klass}" not found`);
    }
  } catch (err) {
    throw retry(
      `failed to get input parameters to create snapshot for content ${name}: ${goQuote(messageOf(err))}`,
    );
  }
  let current = setAnnotation(ctx, content, BEING_CREATED_ANNOTATION, true);
  const uid = contentRef(current).uid;
  if (!uid) throw retry(`cannot create snapshot. Snapshot content ${name} not bound to a snapshot`);
  const volume = volumeHandle(current) ?? "";
  let snapshot: CsiSnapshotInfo;
  try {
    snapshot = await ctx.driver.createSnapshot(`snapshot-${uid}`, volume);
  } catch (err) {
    // A final answer means the storage did not start a snapshot: the mark goes. Otherwise it stays.
    if (!(err instanceof CsiRpcError) || err.final) removeBeingCreated(ctx, current);
    throw retry(`failed to take snapshot of the volume ${volume}: ${goQuote(messageOf(err))}`);
  }
  current = updateContentStatus(ctx, current, snapshot);
  return removeBeingCreated(ctx, current);
}

/** checkandUpdateContentStatusOperation: ListSnapshots for a pre-provisioned content, else CreateSnapshot again. */
async function checkAndUpdateContentStatus(ctx: CsiContext, content: StoredObject): Promise<StoredObject> {
  const handle = staticHandle(content);
  if (handle === undefined) return createSnapshotWrapper(ctx, content);
  const klass = className(content);
  if (klass !== undefined && !ctx.store.get(ctx.types.classes, undefined, klass)) {
    throw retry(
      `failed to get snapshot class ${klass} for snapshot content ${content.metadata.name}: volumesnapshotclass.${SNAPSHOT_GROUP} "${klass}" not found`,
    );
  }
  let found: CsiSnapshotInfo | undefined;
  try {
    found = ctx.driver.listSnapshot(handle);
    if (!found) throw retry(`can not find snapshot for snapshotID ${handle}`);
  } catch (err) {
    throw retry(`failed to list snapshot for content ${content.metadata.name}: ${goQuote(messageOf(err))}`);
  }
  return updateContentStatus(ctx, content, { ...found, handle });
}

/** updateSnapshotContentStatus: fills what is missing, and readiness, from the driver's answer. */
function updateContentStatus(
  ctx: CsiContext,
  content: StoredObject,
  snapshot: CsiSnapshotInfo,
): StoredObject {
  const live = fresh(ctx, ctx.types.contents, content);
  if (!live) throw retry(`error get snapshot content ${content.metadata.name} from api server: not found`);
  const createdAt = snapshot.createdAt * 1e6;
  const before = contentStatus(live);
  let next: ContentStatus;
  let updated = false;
  if (!before) {
    next = { snapshotHandle: snapshot.handle, readyToUse: snapshot.readyToUse, creationTime: createdAt };
    if (snapshot.sizeBytes > 0) next.restoreSize = snapshot.sizeBytes;
    updated = true;
  } else {
    next = structuredClone(before);
    if (next.snapshotHandle === undefined) {
      next.snapshotHandle = snapshot.handle;
      updated = true;
    }
    if (next.readyToUse !== snapshot.readyToUse) {
      next.readyToUse = snapshot.readyToUse;
      updated = true;
      if (snapshot.readyToUse) delete next.error;
    }
    if (next.creationTime === undefined) {
      next.creationTime = createdAt;
      updated = true;
    }
    if (next.restoreSize === undefined && snapshot.sizeBytes > 0) {
      next.restoreSize = snapshot.sizeBytes;
      updated = true;
    }
  }
  return updated ? putStatus(ctx, ctx.types.contents, live, next as Record<string, unknown>) : live;
}
