/**
 * `Cluster.withPod`: a one-off pod kept up while the caller works in it (Kanister's PodRunner and
 * PodController: create, wait until it runs, exec into it, delete it whatever happened).
 */
import type { V1Pod } from "@kubernetes/client-node";
import { createDeadline, raceAbort } from "@quiesce/core";
import type { PodRunSpec, RunningPod, WithPodOptions } from "./cluster.js";
import { WorkloadFailedError } from "./errors.js";
import type { Objects } from "./objects.js";
import { observe } from "./observe.js";
import { PODS } from "./paths.js";
import { isPodFinished, stuckReason } from "./pod-status.js";
import { buildPod, cleanupOneOff, createOneOff } from "./run.js";
import { mainContainer } from "./supervise.js";
import type { Transport } from "./transport.js";

/** How long a one-off pod may take to leave Pending (Kanister pkg/kube/pod.go DefaultPodReadyWaitTimeout). */
export const DEFAULT_POD_READY_TIMEOUT_MS = 15 * 60_000;

/**
 * Creates the pod, waits until it is no longer Pending (Kanister's WaitForPodReady: fail fast when
 * it cannot start, give up after `readyTimeoutMs`), runs `body`, and deletes the pod afterwards
 * unless `spec.keep` — also when `body` throws or the signal aborts.
 */
export async function withPod<T>(
  transport: Transport,
  objects: Objects,
  spec: PodRunSpec,
  body: (pod: RunningPod) => Promise<T>,
  options: WithPodOptions = {},
): Promise<T> {
  let name: string | undefined;
  try {
    const ready = createDeadline(
      { signal: options.signal, timeoutMs: options.readyTimeoutMs ?? DEFAULT_POD_READY_TIMEOUT_MS },
      `pod ${spec.image} in ${spec.namespace} to start`,
    );
    let pod: V1Pod;
    try {
      const created = (await createOneOff(
        objects,
        (podName) => buildPod(spec, podName),
        spec.generateName ?? "quiesce-task-",
        ready.signal,
        (podName) => {
          name = podName;
        },
      )) as unknown as V1Pod;
      const podName = created.metadata?.name ?? (name as string);
      pod = await raceAbort(waitUntilStarted(transport, spec.namespace, podName, ready.signal), ready.signal);
    } finally {
      ready.dispose();
    }
    const podName = pod.metadata?.name ?? (name as string);
    return await body({
      namespace: spec.namespace,
      pod: podName,
      container: mainContainer(pod),
      object: pod,
    });
  } finally {
    if (name && !spec.keep)
      await cleanupOneOff(
        objects,
        { ...PODS, namespace: spec.namespace, name },
        "Pod",
        transport.logger,
        options.onLeak,
      );
  }
}

async function waitUntilStarted(
  transport: Transport,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<V1Pod> {
  const outcome = await observe<V1Pod | WorkloadFailedError>(
    transport,
    { ...PODS, namespace, fieldSelector: `metadata.name=${name}` },
    (objects) => {
      const pod = [...objects.values()][0] as V1Pod | undefined;
      if (!pod) return undefined;
      const stuck = stuckReason(pod);
      if (stuck) {
        return {
          value: new WorkloadFailedError(
            `pod ${namespace}/${name} cannot start: ${stuck.reason}${stuck.message ? ` (${stuck.message})` : ""}`,
            { namespace, pod: name, ...stuck },
          ),
        };
      }
      if (isPodFinished(pod)) {
        return {
          value: new WorkloadFailedError(
            `pod ${namespace}/${name} ended (${pod.status?.phase}) before it could be used`,
            {
              namespace,
              pod: name,
              phase: pod.status?.phase,
            },
          ),
        };
      }
      return pod.status?.phase === "Running" ? { value: pod } : undefined;
    },
    signal,
    transport.logger,
  );
  if (outcome instanceof WorkloadFailedError) throw outcome;
  return outcome;
}
