/** The local cluster's scheduler: one node, so a pod fits unless its nodeSelector or tolerations say otherwise. */
import type { StoredObject } from "../api/seams.js";
import { setCondition, statusOf } from "./pod-status.js";
import { field } from "./util.js";

/** Labels of the single node. */
export function nodeLabels(nodeName: string): Record<string, string> {
  return {
    "kubernetes.io/hostname": nodeName,
    "kubernetes.io/os": "linux",
    "kubernetes.io/arch": process.arch === "arm64" ? "arm64" : "amd64",
    "node-role.kubernetes.io/control-plane": "",
  };
}

/** Why `pod` cannot be scheduled on the node, or undefined when it can. */
export function unschedulableReason(pod: StoredObject, nodeName: string): string | undefined {
  const selector = field<Record<string, string>>(pod, "spec", "nodeSelector") ?? {};
  const labels = nodeLabels(nodeName);
  const mismatched = Object.entries(selector).some(([k, v]) => labels[k] !== v);
  if (mismatched) {
    return "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
  }
  return undefined;
}

/**
 * Why `pod` must wait for its volumes, or undefined when it need not: a claim it mounts exists but
 * is not Bound yet (e.g. a restore from a volume snapshot still being provisioned). A claim that
 * does not exist at all does not hold the pod back here.
 */
export function unboundClaimsReason(
  pod: StoredObject,
  claim: (name: string) => StoredObject | undefined,
): string | undefined {
  const volumes = field<{ persistentVolumeClaim?: { claimName?: string } }[]>(pod, "spec", "volumes") ?? [];
  const waiting = volumes.some((v) => {
    const name = v.persistentVolumeClaim?.claimName;
    const pvc = name === undefined ? undefined : claim(name);
    return pvc !== undefined && field<string>(pvc, "status", "phase") !== "Bound";
  });
  return waiting
    ? "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
    : undefined;
}

/** True when `pod` mounts the claim `name`. */
export function mountsClaim(pod: StoredObject, name: string): boolean {
  const volumes = field<{ persistentVolumeClaim?: { claimName?: string } }[]>(pod, "spec", "volumes") ?? [];
  return volumes.some((v) => v.persistentVolumeClaim?.claimName === name);
}

/** Marks `pod` Pending and unschedulable, as the scheduler reports it. */
export function markUnschedulable(pod: StoredObject, message: string): void {
  statusOf(pod).phase = "Pending";
  setCondition(pod, "PodScheduled", false, "Unschedulable");
  const conditions = statusOf(pod).conditions as { type: string; message?: string }[];
  const scheduled = conditions.find((c) => c.type === "PodScheduled");
  if (scheduled) scheduled.message = message;
}
