/**
 * The local external-provisioner's restore path: a claim whose `dataSource` (or `dataSourceRef`) is
 * a VolumeSnapshot stays Pending until the snapshot is usable, then starts with the snapshot's data
 * and is Bound (kubernetes-csi/external-provisioner pkg/controller/controller.go getSnapshotSource;
 * the Provisioning / ProvisioningFailed / ProvisioningSucceeded Events of sig-storage-lib).
 */
import { parseQuantity, quantityValue } from "@quiesce/kube";
import type { StoredObject } from "../api/seams.js";
import type { ReconcileResult } from "../controllers/retry-queue.js";
import { field } from "../controllers/util.js";
import { type CsiContext, event, putStatus, retry } from "./context.js";
import { SNAPSHOT_GROUP } from "./crds.js";
import { contentRef, contentStatus, driverOf, snapshotStatus } from "./objects.js";

interface DataSource {
  apiGroup?: string;
  kind?: string;
  name?: string;
}

/** The VolumeSnapshot a claim is to be restored from, if any. */
export function snapshotSourceOf(pvc: StoredObject): string | undefined {
  const source =
    field<DataSource>(pvc, "spec", "dataSourceRef") ?? field<DataSource>(pvc, "spec", "dataSource");
  return source?.kind === "VolumeSnapshot" && source.apiGroup === SNAPSHOT_GROUP ? source.name : undefined;
}

/** getSnapshotSource: the handle of a ready snapshot bound both ways, big enough for the claim. */
function snapshotHandleFor(ctx: CsiContext, pvc: StoredObject, name: string): string {
  const namespace = pvc.metadata.namespace;
  const snapshot = ctx.store.get(ctx.types.snapshots, namespace, name);
  if (!snapshot) {
    throw retry(
      `error getting snapshot ${name} from api server: volumesnapshots.${SNAPSHOT_GROUP} "${name}" not found`,
    );
  }
  if (snapshot.metadata.deletionTimestamp) throw retry(`snapshot ${name} is being deleted`);
  const notBound = retry(`snapshot ${name} not bound`);
  const status = snapshotStatus(snapshot);
  if (!status?.boundVolumeSnapshotContentName) throw notBound;
  const content = ctx.store.get(ctx.types.contents, undefined, status.boundVolumeSnapshotContentName);
  if (!content) throw notBound;
  const ref = contentRef(content);
  if (ref.uid !== snapshot.metadata.uid || ref.namespace !== namespace || ref.name !== name) throw notBound;
  // The claim's storage is the local driver's: a content of another driver cannot be restored here.
  if (driverOf(content) !== ctx.driver.name) throw notBound;
  if (status.readyToUse !== true) throw retry(`snapshot ${name} is not Ready`);
  const handle = contentStatus(content)?.snapshotHandle;
  if (handle === undefined) throw retry(`snapshot handle ${name} is not available`);
  if (status.restoreSize !== undefined) {
    const requested = field<string>(pvc, "spec", "resources", "requests", "storage");
    if (requested === undefined) {
      throw retry(`error getting capacity for PVC ${pvc.metadata.name} when creating snapshot ${name}`);
    }
    const volume = quantityValue(parseQuantity(requested));
    const size = quantityValue(parseQuantity(status.restoreSize));
    if (volume < size) {
      throw retry(
        `requested volume size ${volume} is less than the size ${size} for the source snapshot ${name}`,
      );
    }
  }
  return handle;
}

/** Provisions one claim from its snapshot; "requeue" while it cannot be (retried with back-off). */
export async function provisionFromSnapshot(
  ctx: CsiContext,
  namespace: string,
  claim: string,
): Promise<ReconcileResult> {
  const pvc = ctx.store.get(ctx.core.pvcs, namespace, claim);
  const name = pvc && snapshotSourceOf(pvc);
  if (!pvc || name === undefined || pvc.metadata.deletionTimestamp) return "done";
  if (field<string>(pvc, "status", "phase") === "Bound") return "done";
  // The PV controller reports an unbound claim as Pending while its volume is being made.
  if (field<string>(pvc, "status", "phase") === undefined) {
    putStatus(ctx, ctx.core.pvcs, pvc, {
      ...(field<Record<string, unknown>>(pvc, "status") ?? {}),
      phase: "Pending",
    });
  }
  const component = `${ctx.driver.name}_quiesce-local`;
  const storageClass = field<string>(pvc, "spec", "storageClassName") ?? "";
  event(
    ctx,
    pvc,
    "Normal",
    "Provisioning",
    `External provisioner is provisioning volume for claim "${namespace}/${claim}"`,
    component,
  );
  try {
    let handle: string;
    try {
      handle = snapshotHandleFor(ctx, pvc, name);
    } catch (err) {
      throw retry(
        `error getting handle for DataSource Type VolumeSnapshot by Name ${name}: ${(err as Error).message}`,
      );
    }
    await ctx.driver.restoreVolume(handle, namespace, claim);
  } catch (err) {
    const message = `failed to provision volume with StorageClass "${storageClass}": ${(err as Error).message}`;
    event(ctx, pvc, "Warning", "ProvisioningFailed", message, component);
    return "requeue";
  }
  const live = ctx.store.get(ctx.core.pvcs, namespace, claim);
  if (!live || live.metadata.uid !== pvc.metadata.uid) return "done";
  const requested = field<Record<string, string>>(live, "spec", "resources", "requests") ?? {};
  putStatus(ctx, ctx.core.pvcs, live, {
    ...(field<Record<string, unknown>>(live, "status") ?? {}),
    phase: "Bound",
    accessModes: field<string[]>(live, "spec", "accessModes") ?? ["ReadWriteOnce"],
    capacity: { storage: requested.storage ?? "1Gi" },
  });
  event(
    ctx,
    live,
    "Normal",
    "ProvisioningSucceeded",
    `Successfully provisioned volume pvc-${live.metadata.uid}`,
    component,
  );
  return "done";
}
