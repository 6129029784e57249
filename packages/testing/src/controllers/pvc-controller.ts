/**
 * Binds every PersistentVolumeClaim at once (phase Bound), like a cluster with a default
 * StorageClass — except those `provisionedElsewhere` claims (restores from a volume snapshot,
 * which the local CSI provisioner binds once their data is in place).
 */
import type { Logger } from "@quiesce/core";
import type { ObjectStore, StoredObject } from "../api/seams.js";
import { type Controller, createController, writeStatus } from "./controller.js";
import { type CoreTypes, field } from "./util.js";

export function createPvcController(
  store: ObjectStore,
  types: CoreTypes,
  logger: Logger,
  provisionedElsewhere: (claim: StoredObject) => boolean = () => false,
): Controller {
  const reconcile = (namespace: string, name: string) => {
    const claim = store.get(types.pvcs, namespace, name);
    if (!claim || claim.metadata.deletionTimestamp || field<string>(claim, "status", "phase") === "Bound")
      return;
    if (provisionedElsewhere(claim)) return;
    const requested = field<Record<string, string>>(claim, "spec", "resources", "requests") ?? {};
    writeStatus(store, types.pvcs, claim, {
      phase: "Bound",
      accessModes: field<string[]>(claim, "spec", "accessModes") ?? ["ReadWriteOnce"],
      capacity: { storage: requested.storage ?? "1Gi" },
    });
  };
  return createController("persistentvolumeclaim", store, types.pvcs, [], reconcile, logger);
}
