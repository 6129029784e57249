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

/** Marks `pod` Pending and unschedulable, as the scheduler reports it. */
export function markUnschedulable(pod: StoredObject, message: string): void {
  statusOf(pod).phase = "Pending";
  setCondition(pod, "PodScheduled", false, "Unschedulable");
  const conditions = statusOf(pod).conditions as { type: string; message?: string }[];
  const scheduled = conditions.find((c) => c.type === "PodScheduled");
  if (scheduled) scheduled.message = message;
}
