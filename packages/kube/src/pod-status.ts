/** Reading a one-off pod's status: stuck before starting, started, finished, exit code. */
import type { V1Pod } from "@kubernetes/client-node";

// Waiting reasons that will not resolve on their own (a retry loop of the kubelet, not progress).
const STUCK_WAITING = new Set([
  "ImagePullBackOff",
  "ErrImagePull",
  "InvalidImageName",
  "ErrImageNeverPull",
  "CreateContainerConfigError",
  "CreateContainerError",
  "RunContainerError",
]);

// Reasons that no retry, new node or recovered registry can resolve for this pod spec; Kanister's
// WaitForPodReady (pkg/kube/pod.go) also gives up at once on a Pending pod with OutOfmemory/OutOfcpu.
const PERMANENT = new Set(["InvalidImageName", "ErrImageNeverPull", "OutOfmemory", "OutOfcpu"]);

/** True for a reason {@link stuckReason} gives that cannot resolve without changing the pod. */
export function isPermanentlyStuck(reason: string): boolean {
  return PERMANENT.has(reason);
}

/** Why a pod cannot start (bad image, unschedulable), or `undefined` while it may still start. */
export function stuckReason(pod: V1Pod): { reason: string; message: string } | undefined {
  if (pod.status?.phase !== "Pending" && pod.status?.phase !== undefined) return undefined;
  const reason = pod.status?.reason;
  if (reason === "OutOfmemory" || reason === "OutOfcpu")
    return { reason, message: pod.status?.message ?? "" };
  const unschedulable = pod.status?.conditions?.find(
    (c) => c.type === "PodScheduled" && c.status === "False" && c.reason === "Unschedulable",
  );
  // A pod waiting for its claims to be bound (e.g. a restore from a volume snapshot being
  // provisioned) will be scheduled once they are: Kanister's WaitForPodReady keeps waiting while a
  // claim is Pending (pkg/kube/pod.go checkPVCAndPVStatus), and so does this.
  if (unschedulable && !/unbound immediate PersistentVolumeClaims/.test(unschedulable.message ?? "")) {
    return { reason: "Unschedulable", message: unschedulable.message ?? "" };
  }
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const waiting = s.state?.waiting;
    if (waiting?.reason && STUCK_WAITING.has(waiting.reason)) {
      return {
        reason: waiting.reason,
        message: `container "${s.name}": ${waiting.message ?? waiting.reason}`,
      };
    }
  }
  return undefined;
}

/** True once the pod has left Pending: Kanister's "ready" (pkg/kube/pod.go WaitForPodReady). */
export function hasLeftPending(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== undefined && phase !== "" && phase !== "Pending";
}

/** True once the pod ran to an end. */
export function isPodFinished(pod: V1Pod): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

/** True once `container` has started (running or terminated): its log can be followed. */
export function hasStarted(pod: V1Pod, container: string): boolean {
  const state = pod.status?.containerStatuses?.find((s) => s.name === container)?.state;
  return Boolean(state?.running || state?.terminated) || isPodFinished(pod);
}

/** Exit code of `container` from its terminated state; -1 when the pod ended without reporting one. */
export function exitCodeOf(pod: V1Pod, container: string): number {
  const status = pod.status?.containerStatuses?.find((s) => s.name === container);
  const code = status?.state?.terminated?.exitCode ?? status?.lastState?.terminated?.exitCode;
  if (typeof code === "number") return code;
  return pod.status?.phase === "Succeeded" ? 0 : -1;
}
