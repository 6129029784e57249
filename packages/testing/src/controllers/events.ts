/** core/v1 Events the controllers record (Scheduled, Pulled, Started, Killing, …), as `kubectl describe` shows them. */
import { randomBytes } from "node:crypto";
import type { ObjectStore, StoredObject } from "../api/seams.js";
import { type CoreTypes, timestamp } from "./util.js";

export type EventType = "Normal" | "Warning";

/** Records an Event about `object`; never throws (events are best effort, as in Kubernetes). */
export function recordEvent(
  store: ObjectStore,
  types: CoreTypes,
  object: StoredObject,
  type: EventType,
  reason: string,
  message: string,
  component: string,
): void {
  const namespace = object.metadata.namespace ?? "default";
  const now = timestamp();
  try {
    store.create(types.events, {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${object.metadata.name}.${randomBytes(8).toString("hex")}`, namespace },
      involvedObject: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: object.metadata.name,
        namespace,
        uid: object.metadata.uid,
        resourceVersion: object.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      eventTime: null,
      source: { component, host: "quiesce-local" },
      reportingComponent: component,
      reportingInstance: "quiesce-local",
    });
  } catch {
    // The namespace may be going away; an Event is never worth failing a controller for.
  }
}
