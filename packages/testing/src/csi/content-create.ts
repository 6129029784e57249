/**
 * Dynamic provisioning by the common controller (external-snapshotter
 * pkg/common-controller/snapshot_controller.go createSnapshotContent, getCreateSnapshotInput,
 * ensurePVCFinalizer): the source claim must be bound, the class must exist, and the content
 * `snapcontent-<snapshot uid>` is created pointing at the snapshot and at the claim's volume.
 */
import type { StoredObject } from "../api/seams.js";
import { field } from "../controllers/util.js";
import { type CsiContext, event, retry, updateError } from "./context.js";
import { SNAPSHOT_API_VERSION, SNAPSHOT_GROUP } from "./crds.js";
import {
  className,
  dynamicContentName,
  goQuote,
  hasFinalizer,
  PVC_FINALIZER,
  snapshotKey,
  sourcePvc,
} from "./objects.js";

/** The volume handle the local driver gives a claim's volume (the local cluster has no PersistentVolumes). */
export function volumeHandleOf(pvc: StoredObject): string {
  return `pvc-${pvc.metadata.uid}`;
}

/**
 * getClaimFromVolumeSnapshot (and, with `bound`, getVolumeFromVolumeSnapshot): the snapshot's source
 * claim, which must be Bound to be snapshotted.
 */
export function claimOf(ctx: CsiContext, snapshot: StoredObject, bound: boolean): StoredObject {
  const name = sourcePvc(snapshot);
  if (name === undefined) throw retry("the snapshot source PVC name is not specified");
  if (name === "") throw retry(`the PVC name is not specified in snapshot ${snapshotKey(snapshot)}`);
  const pvc = ctx.store.get(ctx.core.pvcs, snapshot.metadata.namespace, name);
  if (!pvc) {
    throw retry(
      `failed to retrieve PVC ${name} from the lister: ${goQuote(`persistentvolumeclaim "${name}" not found`)}`,
    );
  }
  if (bound && field<string>(pvc, "status", "phase") !== "Bound") {
    throw retry(`the PVC ${name} is not yet bound to a PV, will not attempt to take a snapshot`);
  }
  return pvc;
}

/** ensurePVCFinalizer: the source claim is protected while the snapshot is being created. */
function ensurePvcFinalizer(ctx: CsiContext, snapshot: StoredObject): void {
  let pvc: StoredObject;
  try {
    pvc = claimOf(ctx, snapshot, false);
  } catch {
    throw updateError(snapshot.metadata.name, "cannot get claim from snapshot");
  }
  if (hasFinalizer(pvc, PVC_FINALIZER)) return;
  if (pvc.metadata.deletionTimestamp) {
    throw updateError(pvc.metadata.name, "cannot add finalizer on claim because it is being deleted");
  }
  ctx.store.mutate(ctx.core.pvcs, pvc.metadata.namespace, pvc.metadata.name, (p) => {
    p.metadata.finalizers = [...(p.metadata.finalizers ?? []), PVC_FINALIZER];
  });
}

/** getCreateSnapshotInput: the class and the volume. */
function createInput(ctx: CsiContext, snapshot: StoredObject): { klass: StoredObject; pvc: StoredObject } {
  const name = className(snapshot);
  if (name === undefined)
    throw retry(`failed to take snapshot ${snapshot.metadata.name} without a snapshot class`);
  const klass = ctx.store.get(ctx.types.classes, undefined, name);
  if (!klass) throw retry(`volumesnapshotclass.${SNAPSHOT_GROUP} "${name}" not found`);
  return { klass, pvc: claimOf(ctx, snapshot, true) };
}

/** createSnapshotContent: creates (or reuses) the dynamic content of `snapshot`. */
export function createContent(ctx: CsiContext, snapshot: StoredObject): StoredObject {
  ensurePvcFinalizer(ctx, snapshot);
  let input: { klass: StoredObject; pvc: StoredObject };
  try {
    input = createInput(ctx, snapshot);
  } catch (err) {
    throw retry(
      `failed to get input parameters to create snapshot ${snapshot.metadata.name}: ${goQuote((err as Error).message)}`,
    );
  }
  const name = dynamicContentName(snapshot);
  const content = {
    apiVersion: SNAPSHOT_API_VERSION,
    kind: "VolumeSnapshotContent",
    metadata: { name },
    spec: {
      volumeSnapshotRef: {
        kind: "VolumeSnapshot",
        namespace: snapshot.metadata.namespace,
        name: snapshot.metadata.name,
        uid: snapshot.metadata.uid,
        apiVersion: SNAPSHOT_API_VERSION,
        resourceVersion: snapshot.metadata.resourceVersion,
      },
      source: { volumeHandle: volumeHandleOf(input.pvc) },
      volumeSnapshotClassName: input.klass.metadata.name,
      deletionPolicy: input.klass.deletionPolicy,
      driver: input.klass.driver,
    },
  };
  let created: StoredObject;
  try {
    created = ctx.store.create(ctx.types.contents, content);
  } catch (err) {
    const existing = ctx.store.get(ctx.types.contents, undefined, name);
    if ((err as { statusCode?: number }).statusCode !== 409 || !existing) {
      const message = `Error creating volume snapshot content object for snapshot ${snapshotKey(snapshot)}: ${(err as Error).message}.`;
      event(ctx, snapshot, "Warning", "CreateSnapshotContentFailed", message);
      throw updateError(snapshotKey(snapshot), (err as Error).message);
    }
    created = existing; // already created by an earlier attempt: reused
  }
  event(
    ctx,
    snapshot,
    "Normal",
    "CreatingSnapshot",
    `Waiting for a snapshot ${snapshotKey(snapshot)} to be created by the CSI driver.`,
  );
  return created;
}
