/** Builds the pieces of a pod's status the local kubelet writes. */
import type { StoredObject } from "../api/seams.js";
import { field, record, timestamp } from "./util.js";

export interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  state: Record<string, Record<string, unknown>>;
  lastState: Record<string, Record<string, unknown>>;
}

export interface Condition {
  type: string;
  status: "True" | "False";
  reason?: string;
  lastTransitionTime: string;
  lastProbeTime: null;
}

export function statusOf(pod: StoredObject): Record<string, unknown> {
  return record(pod as Record<string, unknown>, "status");
}

export function containerStatuses(pod: StoredObject): ContainerStatus[] {
  const status = statusOf(pod);
  const list = status.containerStatuses;
  if (Array.isArray(list)) return list as ContainerStatus[];
  const created: ContainerStatus[] = [];
  status.containerStatuses = created;
  return created;
}

/** The status entry of container `name`, created (waiting) when absent. */
export function containerStatus(pod: StoredObject, name: string, image: string): ContainerStatus {
  const list = containerStatuses(pod);
  let entry = list.find((c) => c.name === name);
  if (!entry) {
    entry = {
      name,
      image,
      imageID: "",
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason: "ContainerCreating" } },
      lastState: {},
    };
    list.push(entry);
    // The kubelet lists container statuses sorted by name, whatever the spec order (kubelet_pods.go
    // convertToAPIContainerStatuses: SortedContainerStatuses); Kanister's .Containers come from here.
    list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return entry;
}

/** Sets a pod condition, keeping its transition time when the status did not change. */
export function setCondition(pod: StoredObject, type: string, value: boolean, reason?: string): void {
  const status = statusOf(pod);
  const conditions = (Array.isArray(status.conditions) ? status.conditions : []) as Condition[];
  status.conditions = conditions;
  const wanted = value ? "True" : "False";
  const existing = conditions.find((c) => c.type === type);
  if (existing) {
    if (existing.status !== wanted) {
      existing.status = wanted;
      existing.lastTransitionTime = timestamp();
    }
    if (reason === undefined) delete existing.reason;
    else existing.reason = reason;
    return;
  }
  const condition: Condition = { type, status: wanted, lastTransitionTime: timestamp(), lastProbeTime: null };
  if (reason !== undefined) condition.reason = reason;
  conditions.push(condition);
}

/** Recomputes the Ready and ContainersReady conditions from the container statuses. */
export function syncReadiness(pod: StoredObject): void {
  const phase = field<string>(pod, "status", "phase");
  const statuses = containerStatuses(pod);
  const ready = statuses.length > 0 && statuses.every((c) => c.ready);
  const reason = ready
    ? undefined
    : phase === "Succeeded" || phase === "Failed"
      ? "PodCompleted"
      : "ContainersNotReady";
  setCondition(pod, "ContainersReady", ready, reason);
  setCondition(pod, "Ready", ready, reason);
}
