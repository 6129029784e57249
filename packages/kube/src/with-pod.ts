/**
 * `Cluster.withPod`: a one-off pod kept up while the caller works in it (Kanister's PodRunner and
 * PodController: create, wait until it runs, exec into it, delete it whatever happened).
 */
import type { V1Pod } from "@kubernetes/client-node";
import { formatDuration } from "@quiesce/core";
import type { PodRunSpec, RunningPod, WithPodOptions } from "./cluster.js";
import { WorkloadFailedError } from "./errors.js";
import type { Objects } from "./objects.js";
import { observe } from "./observe.js";
import { PODS } from "./paths.js";
import { isPermanentlyStuck, isPodFinished, stuckReason } from "./pod-status.js";
import { buildPod, cleanupOneOff, createOneOff } from "./run.js";
import { DEFAULT_POD_READY_TIMEOUT_MS, mainContainer } from "./supervise.js";
import type { Transport } from "./transport.js";

/**
 * Creates the pod, waits until it runs (Kanister's WaitForPodReady: at most `readyTimeoutMs`; a pod
 * that cannot start fails at once, or with `onStuck: "wait"` only when the time is up), runs
 * `body`, and deletes the pod afterwards unless `spec.keep` — also when `body` throws or the signal
 * aborts.
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
    const signal = options.signal ?? new AbortController().signal;
    const created = (await createOneOff(
      objects,
      (podName) => buildPod(spec, podName),
      spec.generateName ?? "quiesce-task-",
      signal,
      (podName) => {
        name = podName;
      },
    )) as unknown as V1Pod;
    const podName = created.metadata?.name ?? (name as string);
    const pod = await waitUntilRunning(transport, spec.namespace, podName, signal, options);
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
        false,
        spec.deleteGracePeriodSeconds,
      );
  }
}

async function waitUntilRunning(
  transport: Transport,
  namespace: string,
  name: string,
  parent: AbortSignal,
  options: WithPodOptions,
): Promise<V1Pod> {
  const readyMs = options.readyTimeoutMs ?? DEFAULT_POD_READY_TIMEOUT_MS;
  let lastStuck: { reason: string; message: string } | undefined;
  const notReady = new AbortController();
  const timer = setTimeout(() => {
    const why = lastStuck ? `: ${lastStuck.reason}${lastStuck.message ? ` (${lastStuck.message})` : ""}` : "";
    notReady.abort(
      new WorkloadFailedError(
        `pod ${namespace}/${name} did not start within ${formatDuration(readyMs)}${why}`,
        {
          namespace,
          pod: name,
          reason: lastStuck?.reason ?? "NotReady",
        },
      ),
    );
  }, readyMs);
  timer.unref?.();
  try {
    const outcome = await observe<V1Pod | WorkloadFailedError>(
      transport,
      { ...PODS, namespace, fieldSelector: `metadata.name=${name}` },
      (objects) => {
        const pod = [...objects.values()][0] as V1Pod | undefined;
        if (!pod) return undefined;
        const stuck = stuckReason(pod);
        lastStuck = stuck ?? lastStuck;
        if (stuck && (options.onStuck !== "wait" || isPermanentlyStuck(stuck.reason))) {
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
      AbortSignal.any([parent, notReady.signal]),
      transport.logger,
    );
    if (outcome instanceof WorkloadFailedError) throw outcome;
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}
