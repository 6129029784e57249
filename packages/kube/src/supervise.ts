/**
 * Watching a one-off pod through its life: fail fast when it cannot start, follow its log once its
 * container runs (keeping the tail), and stop when it has finished.
 */
import type { V1Pod } from "@kubernetes/client-node";
import type { Logger } from "@quiesce/core";
import { formatDuration } from "@quiesce/core";
import type { RunOptions } from "./cluster.js";
import { WorkloadFailedError } from "./errors.js";
import { type ObserveTarget, observe } from "./observe.js";
import { streamLog } from "./pod-logs.js";
import { hasLeftPending, hasStarted, isPermanentlyStuck, isPodFinished, stuckReason } from "./pod-status.js";
import { TailBuffer } from "./tail-buffer.js";
import type { Transport } from "./transport.js";

/** `details.reason` of a one-off pod whose node stopped responding (phase Unknown). */
export const NODE_LOST = "NodeLost";

/** Default bytes of log kept: 1 MiB. */
export const DEFAULT_LOG_BYTES = 1024 * 1024;
/** Default time a one-off pod may stay Pending: Kanister's DefaultPodReadyWaitTimeout (pkg/kube/pod.go), 15 minutes. */
export const DEFAULT_POD_READY_TIMEOUT_MS = 15 * 60_000;

/** What a supervision found. */
export interface Supervised {
  /** The newest matching pod, in its final observed state. */
  pod: V1Pod;
  /** The followed log of `pod`'s container (or undefined when the log must be read afterwards). */
  logs: TailBuffer | undefined;
  /** Bytes of `pod`'s log already handed to `onLog` by a follow that did not finish. */
  delivered: number;
}

/** The container whose log and exit code a run reports: the first one. */
export function mainContainer(pod: V1Pod): string {
  return pod.spec?.containers?.[0]?.name ?? "";
}

function newest(pods: V1Pod[]): V1Pod | undefined {
  return pods.sort((a, b) => {
    const t = (a.metadata?.creationTimestamp ?? "")
      .toString()
      .localeCompare((b.metadata?.creationTimestamp ?? "").toString());
    return t !== 0 ? t : (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? "");
  })[pods.length - 1];
}

/**
 * Observes the pods of `target` passing `filter` until the newest has finished. Rejects with a
 * QUIESCE_KUBE_WORKLOAD_FAILED error naming the reason when it is stuck Pending (bad image,
 * unschedulable: at once, or with `onStuck: "wait"` once `readyTimeoutMs` has passed), does not
 * leave Pending within `readyTimeoutMs`, or disappears; with `signal.reason` when aborted.
 */
export async function supervisePods(
  transport: Transport,
  target: ObserveTarget,
  filter: (pod: V1Pod) => boolean,
  options: RunOptions & { signal: AbortSignal; logger?: Logger | undefined },
): Promise<Supervised> {
  const follow = new AbortController();
  const onParentAbort = () => follow.abort(options.signal.reason);
  options.signal.addEventListener("abort", onParentAbort, { once: true });
  let followed: { name: string; logs: TailBuffer; done: Promise<boolean> } | undefined;
  let seen: string | undefined;
  let lastStuck: { reason: string; message: string } | undefined;
  const waitWhileStuck = options.onStuck === "wait";
  // Only the start is bounded: Kanister caps WaitForPodReady, never the pod's work.
  const readyMs = options.readyTimeoutMs ?? DEFAULT_POD_READY_TIMEOUT_MS;
  const notReady = new AbortController();
  const readyTimer = setTimeout(() => {
    const name = seen ?? "";
    const why = lastStuck ? `: ${lastStuck.reason}${lastStuck.message ? ` (${lastStuck.message})` : ""}` : "";
    notReady.abort(
      new WorkloadFailedError(
        `pod ${target.namespace}/${name} did not start within ${formatDuration(readyMs)}${why}`,
        { namespace: target.namespace, pod: name, reason: lastStuck?.reason ?? "NotReady" },
      ),
    );
  }, readyMs);
  readyTimer.unref?.();
  const signal = AbortSignal.any([options.signal, notReady.signal]);
  try {
    const outcome = await observe<{ pod: V1Pod } | { failure: WorkloadFailedError }>(
      transport,
      target,
      (objects) => {
        const pod = newest(([...objects.values()] as unknown as V1Pod[]).filter(filter));
        if (!pod) {
          if (seen === undefined) return undefined;
          return {
            value: {
              failure: new WorkloadFailedError(
                `pod ${target.namespace}/${seen} was deleted before it finished`,
                { namespace: target.namespace, pod: seen, reason: "Deleted" },
              ),
            },
          };
        }
        seen = pod.metadata?.name ?? "";
        // Someone else deleted the pod (quiesce deletes only after supervision ends): unless it already
        // succeeded, its end (often "Failed" with exit 137) is the deletion's doing, not the task's.
        if (pod.metadata?.deletionTimestamp && pod.status?.phase !== "Succeeded") {
          return {
            value: {
              failure: new WorkloadFailedError(
                `pod ${target.namespace}/${seen} was deleted before it finished`,
                {
                  namespace: target.namespace,
                  pod: seen,
                  reason: "Deleted",
                },
              ),
            },
          };
        }
        const name = pod.metadata?.name ?? "";
        // Kanister waits on (pkg/kube/pod.go WaitForPodCompletion ends only on Succeeded/Failed); a
        // node that stopped reporting would then hold a phase without a deadline forever.
        if (pod.status?.phase === "Unknown") {
          return {
            value: {
              failure: new WorkloadFailedError(
                `pod ${target.namespace}/${name}: its node is not responding (phase Unknown); the task may still be running`,
                { namespace: target.namespace, pod: name, reason: NODE_LOST, possiblyStillRunning: true },
              ),
            },
          };
        }
        if (hasLeftPending(pod)) clearTimeout(readyTimer);
        const stuck = stuckReason(pod);
        lastStuck = stuck ?? lastStuck;
        if (stuck && (!waitWhileStuck || isPermanentlyStuck(stuck.reason))) {
          return {
            value: {
              failure: new WorkloadFailedError(
                `pod ${target.namespace}/${name} cannot start: ${stuck.reason}${stuck.message ? ` (${stuck.message})` : ""}`,
                {
                  namespace: target.namespace,
                  pod: name,
                  ...stuck,
                },
              ),
            },
          };
        }
        const container = pod.spec?.containers?.[0]?.name ?? "";
        if (followed?.name !== name && hasStarted(pod, container)) {
          const logs = new TailBuffer(options.logLimitBytes ?? DEFAULT_LOG_BYTES);
          const onLog = options.onLog;
          const done = streamLog(
            transport,
            { namespace: target.namespace ?? "", pod: name, container },
            (chunk) => {
              logs.write(chunk);
              onLog?.(chunk);
            },
            { follow: true, signal: follow.signal },
          ).then(
            () => true,
            (err: unknown) => {
              options.logger?.debug("log follow failed; the log is read once the pod ends", {
                pod: name,
                error: String(err),
              });
              return false;
            },
          );
          followed = { name, logs, done };
        }
        return isPodFinished(pod) ? { value: { pod } } : undefined;
      },
      signal,
      options.logger,
    );
    if ("failure" in outcome) throw outcome.failure;
    const name = outcome.pod.metadata?.name;
    // The server ends a follow when the container ends; a follow that lingers is given up on and the log re-read.
    if (followed && followed.name === name && (await withGrace(followed.done, FOLLOW_GRACE_MS))) {
      return { pod: outcome.pod, logs: followed.logs, delivered: followed.logs.totalBytes };
    }
    const delivered = followed && followed.name === name ? followed.logs.totalBytes : 0;
    return { pod: outcome.pod, logs: undefined, delivered };
  } finally {
    clearTimeout(readyTimer);
    options.signal.removeEventListener("abort", onParentAbort);
    follow.abort();
  }
}

const FOLLOW_GRACE_MS = 10_000;

function withGrace(done: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref?.();
  });
  return Promise.race([done, late]).finally(() => clearTimeout(timer));
}

/**
 * Reads a finished container's whole log into a tail buffer (when following was not possible or
 * broke off). The first `skip` bytes already went to `onLog` through the follow: not repeated.
 */
export async function readFinishedLog(
  transport: Transport,
  target: { namespace: string; pod: string; container: string },
  options: RunOptions & { signal: AbortSignal },
  skip = 0,
): Promise<TailBuffer> {
  const logs = new TailBuffer(options.logLimitBytes ?? DEFAULT_LOG_BYTES);
  const onLog = options.onLog;
  let seen = 0;
  await streamLog(
    transport,
    target,
    (chunk) => {
      logs.write(chunk);
      const fresh = seen >= skip ? chunk : chunk.subarray(Math.min(chunk.length, skip - seen));
      seen += chunk.length;
      if (fresh.length > 0) onLog?.(fresh);
    },
    { follow: false, signal: options.signal },
  );
  return logs;
}
