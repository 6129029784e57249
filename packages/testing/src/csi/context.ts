/** The shared state of the local snapshot controllers and the store writes they all make. */
import { QuiesceError } from "@quiesce/core";
import type { ObjectStore, ResourceType, StoredObject } from "../api/seams.js";
import { type EventType, recordEvent } from "../controllers/events.js";
import { type CoreTypes, field } from "../controllers/util.js";
import type { CsiDriverCalls } from "./driver.js";
import type { SnapshotError, SnapshotTypes } from "./objects.js";

/** What the common controller, the sidecar and the provisioner work with. */
export interface CsiContext {
  store: ObjectStore;
  types: SnapshotTypes;
  core: CoreTypes;
  driver: CsiDriverCalls;
  enqueueSnapshot(namespace: string, name: string): void;
  enqueueContent(name: string): void;
}

/** A reconcile that must be tried again later (the controllers' returned `error`). */
export function retry(message: string): QuiesceError {
  return new QuiesceError("QUIESCE_CSI_CONTROLLER", message);
}

/** external-snapshotter's controllerUpdateError message. */
export function updateError(name: string, message: string): QuiesceError {
  return retry(`snapshot controller failed to update ${name} on API server: ${message}`);
}

/** Records an Event; the components are those `kubectl describe` shows for the real controllers. */
export function event(
  ctx: CsiContext,
  object: StoredObject,
  type: EventType,
  reason: string,
  message: string,
  component = "snapshot-controller",
): void {
  recordEvent(ctx.store, ctx.core, object, type, reason, message, component);
}

/** The live object, or undefined. */
export function fresh(ctx: CsiContext, type: ResourceType, object: StoredObject): StoredObject | undefined {
  const live = ctx.store.get(type, object.metadata.namespace, object.metadata.name);
  return live && live.metadata.uid === object.metadata.uid ? live : undefined;
}

/** Replaces the status of the live object (the `/status` subresource); returns the result. */
export function putStatus(
  ctx: CsiContext,
  type: ResourceType,
  object: StoredObject,
  status: Record<string, unknown> | undefined,
): StoredObject {
  const live = fresh(ctx, type, object);
  if (!live) throw updateError(object.metadata.name, "the object is gone");
  const next: StoredObject = { ...live, status };
  if (status === undefined) delete next.status;
  return ctx.store.update(type, next, { subresource: "status" });
}

/** Changes metadata or spec of the live object (an update of the main resource). */
export function mutate(
  ctx: CsiContext,
  type: ResourceType,
  object: StoredObject,
  change: (o: StoredObject) => void,
): StoredObject {
  const live = fresh(ctx, type, object);
  if (!live) throw updateError(object.metadata.name, "the object is gone");
  return ctx.store.mutate(type, live.metadata.namespace, live.metadata.name, change);
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

/**
 * Sets `status.error` (and `readyToUse: false` when asked) on the live object unless the same
 * message is already there, and records a Warning Event — even when the write fails, as the
 * controllers do.
 */
function errorStatus(
  ctx: CsiContext,
  type: ResourceType,
  object: StoredObject,
  setReadyToFalse: boolean,
  reason: string,
  message: string,
  component?: string,
): void {
  const live = fresh(ctx, type, object);
  if (!live) return;
  const status = field<{ error?: SnapshotError }>(live, "status");
  if (status?.error?.message === message) return;
  const error: SnapshotError = { time: now(), message };
  try {
    putStatus(ctx, type, live, {
      ...(status ?? {}),
      error,
      ...(setReadyToFalse ? { readyToUse: false } : {}),
    });
  } finally {
    event(ctx, live, "Warning", reason, message, component);
  }
}

/** updateSnapshotErrorStatusWithEvent (common-controller/snapshot_controller.go). */
export function snapshotErrorStatus(
  ctx: CsiContext,
  snapshot: StoredObject,
  setReadyToFalse: boolean,
  reason: string,
  message: string,
): void {
  errorStatus(ctx, ctx.types.snapshots, snapshot, setReadyToFalse, reason, message);
}

/** updateContentErrorStatusWithEvent (sidecar-controller/snapshot_controller.go): readyToUse becomes false. */
export function contentErrorStatus(
  ctx: CsiContext,
  content: StoredObject,
  reason: string,
  message: string,
): void {
  errorStatus(ctx, ctx.types.contents, content, true, reason, message, `csi-snapshotter ${ctx.driver.name}`);
}
