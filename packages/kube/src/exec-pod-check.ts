/**
 * While an exec runs, its pod is looked at every so often: when the node is lost the API server
 * keeps the session open and answers pings, but nothing will ever come back — the pod's status is
 * what tells (phase `Unknown`), as it tells a pod deleted, ended, or whose container stopped.
 */
import type { V1Pod } from "@kubernetes/client-node";
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { ContainerRef } from "./cluster.js";
import type { Objects } from "./objects.js";
import { PODS } from "./paths.js";

/** What is wrong with the pod an exec runs in, or undefined while it still runs. */
export function podTrouble(
  pod: V1Pod | undefined,
  container: string,
  startedRestarts: number | undefined,
): { why: string; podGone?: boolean; podPhase?: string } | undefined {
  if (!pod) return { why: "was deleted", podGone: true };
  const phase = pod.status?.phase ?? "Unknown";
  if (phase === "Unknown") return { why: "is in phase Unknown: its node is not responding", podPhase: phase };
  if (phase === "Succeeded" || phase === "Failed") return { why: `ended (phase ${phase})`, podPhase: phase };
  const status = pod.status?.containerStatuses?.find((s) => s.name === container);
  if (status && !status.state?.running)
    return { why: `has container "${container}" not running`, podPhase: phase };
  if (status && startedRestarts !== undefined && status.restartCount > startedRestarts) {
    return { why: `has container "${container}" restarted`, podPhase: phase };
  }
  return undefined;
}

/** A running pod check; `stop()` ends it. */
export interface PodCheck {
  stop(): void;
}

/**
 * Looks at the pod every `intervalMs` and calls `onTrouble` with a QUIESCE_KUBE_POD_NOT_RUNNING
 * error once it no longer runs. A failed look (the API server unreachable) is not trouble: the
 * WebSocket heartbeat answers for the connection.
 */
export function startPodCheck(
  objects: Objects,
  ref: ContainerRef,
  container: string,
  command: readonly string[],
  intervalMs: number,
  startedRestarts: number | undefined,
  onTrouble: (err: QuiesceError) => void,
): PodCheck {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const look = async () => {
    let pod: V1Pod | undefined;
    try {
      pod = (await objects.find(
        { ...PODS, namespace: ref.namespace, name: ref.pod },
        { timeoutMs: Math.min(10_000, intervalMs) },
      )) as V1Pod | undefined;
    } catch {
      return schedule();
    }
    if (stopped) return;
    startedRestarts ??= pod?.status?.containerStatuses?.find((s) => s.name === container)?.restartCount;
    const trouble = podTrouble(pod, container, startedRestarts);
    if (!trouble) return schedule();
    onTrouble(
      new QuiesceError(
        ErrorCodes.KUBE_POD_NOT_RUNNING,
        `exec ${JSON.stringify(command)} in ${ref.namespace}/${ref.pod}: the pod ${trouble.why}; the command may still be running`,
        {
          details: {
            namespace: ref.namespace,
            pod: ref.pod,
            container,
            possiblyStillRunning: true,
            ...(trouble.podGone ? { podGone: true } : {}),
            ...(trouble.podPhase ? { podPhase: trouble.podPhase } : {}),
          },
        },
      ),
    );
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void look(), intervalMs);
    timer.unref?.();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
