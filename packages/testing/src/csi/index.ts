/**
 * Volume snapshots in the local cluster: the common snapshot controller, the csi-snapshotter
 * sidecar and restore-provisioner of the local CSI driver, each on its own retrying work queue
 * fed by store watches (as the real ones are fed by informers).
 */
import type { Logger } from "@quiesce/core";
import { parseQuantity, quantityValue } from "@quiesce/kube";
import type { ObjectStore, StoredObject } from "../api/seams.js";
import { createRetryQueue, type RetryQueue } from "../controllers/retry-queue.js";
import { type CoreTypes, field } from "../controllers/util.js";
import { keyOf, splitKey } from "../controllers/work-queue.js";
import type { VolumeSnapshots } from "../runtime/types.js";
import { syncContent } from "./content-sync.js";
import type { CsiContext } from "./context.js";
import { createCsiDriver, type LocalCsiDriver } from "./driver.js";
import { contentRef, snapshotStatus, snapshotTypes } from "./objects.js";
import { provisionFromSnapshot, snapshotSourceOf } from "./provisioner.js";
import { sidecarSync } from "./sidecar.js";
import { syncSnapshotByKey } from "./snapshot-sync.js";

/** Options of the local cluster's volume snapshot support. */
export interface LocalCsiOptions {
  /** The CSI driver name (default "csi.quiesce.local"); VolumeSnapshotClasses name it as `driver`. */
  driverName?: string;
  /** First retry of a failed or unfinished sync in ms (default 50; the real controllers use 1 s). */
  retryIntervalStartMs?: number;
  /** Longest retry interval in ms (default 2000; the real controllers use 5 min). */
  retryIntervalMaxMs?: number;
}

/** The default name of the local CSI driver. */
export const LOCAL_CSI_DRIVER = "csi.quiesce.local";

/** Running snapshot controllers. */
export interface RunningCsi {
  driver: LocalCsiDriver;
  /** True for a claim the CSI provisioner binds (a restore from a VolumeSnapshot). */
  provisions(claim: StoredObject): boolean;
  stop(): Promise<void>;
}

/** Starts the snapshot controllers over `store`; undefined when the snapshot CRDs are not installed. */
export function startCsi(
  store: ObjectStore,
  core: CoreTypes,
  data: VolumeSnapshots | undefined,
  options: LocalCsiOptions,
  logger: Logger,
): RunningCsi | undefined {
  const types = snapshotTypes(store);
  if (!types) return undefined;
  const driver = createCsiDriver(
    options.driverName ?? LOCAL_CSI_DRIVER,
    (handle) => {
      const pvc = store.list(core.pvcs, undefined).items.find((p) => `pvc-${p.metadata.uid}` === handle);
      if (!pvc?.metadata.namespace) return undefined;
      const capacity = field<string>(pvc, "status", "capacity", "storage") ?? "1Gi";
      return {
        namespace: pvc.metadata.namespace,
        claim: pvc.metadata.name,
        sizeBytes: Number(quantityValue(parseQuantity(capacity))),
      };
    },
    data,
  );
  const backoff = { baseMs: options.retryIntervalStartMs ?? 50, maxMs: options.retryIntervalMaxMs ?? 2_000 };
  const queues: RetryQueue[] = [];
  const ctx: CsiContext = {
    store,
    types,
    core,
    driver,
    enqueueSnapshot: (namespace, name) => snapshots.enqueue(keyOf(namespace, name)),
    enqueueContent: (name) => {
      contents.enqueue(name);
      sidecar.enqueue(name);
    },
  };
  const queue = (name: string, reconcile: Parameters<typeof createRetryQueue>[1]) => {
    const q = createRetryQueue(name, reconcile, backoff, logger);
    queues.push(q);
    return q;
  };
  const snapshots = queue("volumesnapshot", (key) => {
    const { namespace, name } = splitKey(key);
    syncSnapshotByKey(ctx, namespace, name);
    return "done";
  });
  const contents = queue("volumesnapshotcontent", (name) => {
    syncContent(ctx, name);
    return "done";
  });
  const sidecar = queue("csi-snapshotter", (name) => sidecarSync(ctx, name));
  const provisioner = queue("csi-provisioner", (key) => {
    const { namespace, name } = splitKey(key);
    return provisionFromSnapshot(ctx, namespace, name);
  });

  const restoresFrom = (namespace: string | undefined, snapshot: string) =>
    store.list(core.pvcs, namespace).items.filter((p) => snapshotSourceOf(p) === snapshot);

  const rv = store.currentResourceVersion();
  for (const s of store.list(types.snapshots, undefined).items)
    ctx.enqueueSnapshot(s.metadata.namespace ?? "", s.metadata.name);
  for (const c of store.list(types.contents, undefined).items) ctx.enqueueContent(c.metadata.name);
  for (const p of store.list(core.pvcs, undefined).items)
    if (snapshotSourceOf(p) !== undefined) provisioner.enqueue(keyOf(p.metadata.namespace, p.metadata.name));
  const unwatch = [
    store.watch(types.snapshots, undefined, rv, ({ type, object }) => {
      if (type === "BOOKMARK") return;
      const { namespace, name } = object.metadata;
      ctx.enqueueSnapshot(namespace ?? "", name);
      // A deleted snapshot lets its content sync (deleteSnapshot in snapshot_controller_base.go).
      const bound = snapshotStatus(object)?.boundVolumeSnapshotContentName;
      if (type === "DELETED" && bound) ctx.enqueueContent(bound);
      for (const p of restoresFrom(namespace, name))
        provisioner.enqueue(keyOf(p.metadata.namespace, p.metadata.name));
    }),
    store.watch(types.contents, undefined, rv, ({ type, object }) => {
      if (type === "BOOKMARK") return;
      ctx.enqueueContent(object.metadata.name);
      const ref = contentRef(object);
      if (type === "DELETED" && ref.name && ref.namespace) ctx.enqueueSnapshot(ref.namespace, ref.name);
    }),
    store.watch(core.pvcs, undefined, rv, ({ type, object }) => {
      if (type !== "BOOKMARK" && snapshotSourceOf(object) !== undefined) {
        provisioner.enqueue(keyOf(object.metadata.namespace, object.metadata.name));
      }
    }),
  ];
  return {
    driver,
    provisions: (claim) => snapshotSourceOf(claim) !== undefined,
    async stop() {
      for (const u of unwatch) u();
      await Promise.all(queues.map((q) => q.stop()));
    },
  };
}
