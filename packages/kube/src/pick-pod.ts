/** Choosing one pod deterministically among several (KubeStash's ExecuteOnOne). */
import type { V1Pod } from "@kubernetes/client-node";

/** True when the pod's `Ready` condition is `True`. */
export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

function rank(pod: V1Pod): number {
  if (pod.metadata?.deletionTimestamp) return 3;
  if (isPodReady(pod)) return 0;
  return pod.status?.phase === "Running" ? 1 : 2;
}

/**
 * Picks one pod: Ready first, then Running, then the rest; ties broken by name. Pods being deleted
 * come last. Returns `undefined` for an empty list.
 *
 * @example
 * ```ts
 * const target = pickPod(await cluster.selectPods("db", { selector: "app=pg" }));
 * ```
 */
export function pickPod<P extends V1Pod>(pods: readonly P[]): P | undefined {
  let best: P | undefined;
  for (const pod of pods) {
    if (best === undefined) {
      best = pod;
      continue;
    }
    const a = rank(pod);
    const b = rank(best);
    if (a < b || (a === b && (pod.metadata?.name ?? "") < (best.metadata?.name ?? ""))) best = pod;
  }
  return best;
}
