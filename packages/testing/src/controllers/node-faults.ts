/**
 * What the local kubelet does when fault injection loses its node or holds pod deletions: the
 * status changes the node controller would make (phase Unknown, not Ready), and back.
 */
import type { StoredObject } from "../api/seams.js";
import { containerStatuses, setCondition, statusOf, syncReadiness } from "./pod-status.js";

/** The part of `Faults` the kubelet consults. */
export interface NodeFaults {
  isNodeLost(node: string | undefined): boolean;
  holdsTermination(pod: { namespace?: string | undefined; name: string; node?: string | undefined }): boolean;
  onNodeChange(listener: () => void): () => void;
}

/** The scheduling message of a pod that finds its only node unreachable. */
export const UNREACHABLE_NODE_MESSAGE =
  "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";

/**
 * Marks a pod of a lost node as the node controller reports it when the kubelet stops posting
 * status: phase Unknown, Ready and ContainersReady False (reason NodeLost), no container ready.
 */
export function markNodeLost(pod: StoredObject): void {
  const phase = statusOf(pod).phase;
  if (phase === "Succeeded" || phase === "Failed") return;
  statusOf(pod).phase = "Unknown";
  for (const c of containerStatuses(pod)) c.ready = false;
  setCondition(pod, "Ready", false, "NodeLost");
  setCondition(pod, "ContainersReady", false, "NodeLost");
}

/** A pod of a node that came back: the kubelet reports its containers again (running ones Ready). */
export function markNodeBack(pod: StoredObject, running: (container: string) => boolean): void {
  if (statusOf(pod).phase !== "Unknown") return;
  let anyRunning = false;
  for (const c of containerStatuses(pod)) {
    if (running(c.name) && c.state.running) {
      c.ready = true;
      anyRunning = true;
    }
  }
  statusOf(pod).phase = anyRunning ? "Running" : "Pending";
  syncReadiness(pod);
}
