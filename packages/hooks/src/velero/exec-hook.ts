/**
 * One Velero exec hook on one pod's container as a lifecycle-runner hook spec: optionally wait
 * (watch-driven) for the container to run (and be Ready), then exec through the Pod executor's
 * exec path on exactly that pod, bounded by the hook's timeout.
 */
import { ErrorCodes, formatDuration, parseDuration, QuiesceError } from "@quiesce/core";
import { ExecutorRegistry, podExecutor, runAction } from "@quiesce/executors";
import type { Cluster, KubeObject } from "@quiesce/kube";
import type { FunctionHookSpec, HookRunOutput } from "../hook-spec.js";
import { toRunOutput } from "../prepare-kubestash.js";

/** Failure codes of Velero hooks. */
export const VeleroErrorCodes = {
  /** The container did not run (or become Ready) within the hook's waitTimeout. */
  WAIT_TIMEOUT: "QUIESCE_VELERO_WAIT_TIMEOUT",
  /** Not run: an earlier `onError: Fail` hook on the same pod failed (Velero stops there). */
  EARLIER_HOOK_FAILED: "QUIESCE_VELERO_EARLIER_HOOK_FAILED",
  /** The pod to run the hook in no longer exists. */
  POD_GONE: "QUIESCE_VELERO_POD_GONE",
} as const;

/** Per pod and phase: whether an `onError: Fail` hook failed, so later ones are not run. */
export interface PodChain {
  failed: string | undefined;
}

/** What {@link veleroExecHookSpec} needs. */
export interface VeleroExecTarget {
  cluster: Cluster;
  /** The hook's name in results (unique within its phase). */
  name: string;
  namespace: string;
  pod: string;
  container: string;
  command: readonly string[];
  onError: "Fail" | "Continue";
  /** Exec time limit, a Go duration. */
  execTimeout: string;
  /** Restore hooks: wait this long (Go duration) for the container to be running first. */
  waitTimeout?: string;
  waitForReady?: boolean;
  chain: PodChain;
  /** Bytes of stdout/stderr kept. */
  outputLimitBytes?: number;
}

// A stopped exec needs a moment to report its partial output before the runner's own deadline.
const GRACE_MS = 5000;

function containerState(pod: KubeObject | undefined, container: string, ready: boolean): boolean {
  if (!pod || pod.metadata?.deletionTimestamp) return false;
  const statuses = (
    pod.status as
      | { containerStatuses?: Array<{ name: string; ready?: boolean; state?: { running?: unknown } }> }
      | undefined
  )?.containerStatuses;
  const status = statuses?.find((s) => s.name === container);
  return status?.state?.running !== undefined && (!ready || status.ready === true);
}

const POD = { version: "v1", resource: "pods" } as const;

/**
 * The hook spec for one exec on one container. `onError: Continue` becomes `continueOnError`; the
 * runner's per-attempt timeout is waitTimeout + execTimeout plus a grace so that the exec's own
 * limit reports first (with "possibly still running").
 *
 * @example
 * ```ts
 * const spec = veleroExecHookSpec({
 *   cluster, name: "nginx-example/web-0 <from-annotation>.pre", namespace: "nginx-example",
 *   pod: "web-0", container: "fsfreeze", command: ["/sbin/fsfreeze", "--freeze", "/var/log/nginx"],
 *   onError: "Fail", execTimeout: "30s", chain: { failed: undefined },
 * });
 * ```
 */
export function veleroExecHookSpec(target: VeleroExecTarget): FunctionHookSpec {
  const execMs = parseDuration(target.execTimeout);
  const waitMs = target.waitTimeout === undefined ? 0 : parseDuration(target.waitTimeout);
  const where = `${target.namespace}/${target.pod}`;
  const spec: FunctionHookSpec = {
    name: target.name,
    timeout: formatDuration(execMs + waitMs + GRACE_MS),
    maxRetry: 0,
    run: async (ctx) => {
      if (target.chain.failed !== undefined) {
        return {
          status: "failed",
          noRetry: true,
          error: new QuiesceError(
            VeleroErrorCodes.EARLIER_HOOK_FAILED,
            `not run: hook "${target.chain.failed}" on ${where} failed earlier (onError: Fail)`,
          ),
        };
      }
      const out = await runOne(target, execMs, waitMs, ctx.signal);
      if (out.status === "failed" && target.onError === "Fail" && !ctx.signal.aborted)
        target.chain.failed = target.name;
      return out;
    },
  };
  if (target.onError === "Continue") spec.continueOnError = true;
  return spec;
}

async function runOne(
  target: VeleroExecTarget,
  execMs: number,
  waitMs: number,
  signal: AbortSignal,
): Promise<HookRunOutput> {
  const { cluster, namespace, pod, container } = target;
  const ref = { ...POD, namespace, name: pod };
  if (waitMs > 0) {
    try {
      await cluster.waitFor(ref, (o) => containerState(o, container, target.waitForReady === true), {
        signal,
        timeoutMs: waitMs,
      });
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      const what = target.waitForReady ? "running and Ready" : "running";
      return {
        status: "failed",
        noRetry: true,
        error: QuiesceError.is(err, ErrorCodes.TIMEOUT)
          ? new QuiesceError(
              VeleroErrorCodes.WAIT_TIMEOUT,
              `container ${container} of ${namespace}/${pod} was not ${what} within waitTimeout ${target.waitTimeout}`,
              { cause: err, details: { pod, namespace, container } },
            )
          : err,
      };
    }
  }
  const registry = new ExecutorRegistry();
  // The Pod executor's exec path (container check, output tails, possibly-still-running), on exactly this pod.
  registry.register({
    type: "VeleroPod",
    async targets(ctx) {
      let object: KubeObject;
      try {
        object = await cluster.get(ref, { signal: ctx.signal });
      } catch (cause) {
        if (QuiesceError.is(cause, ErrorCodes.KUBE_NOT_FOUND)) {
          throw new QuiesceError(VeleroErrorCodes.POD_GONE, `pod ${namespace}/${pod} no longer exists`, {
            cause,
          });
        }
        throw cause;
      }
      return [{ kind: "Pod", namespace, name: pod, container, pod: object as never }];
    },
    run: (t, ctx) => podExecutor.run(t, ctx),
  });
  const result = await runAction({
    action: { exec: { command: [...target.command] }, containerName: container },
    executor: { type: "VeleroPod" },
    namespace,
    cluster,
    signal,
    timeoutMs: execMs,
    executorRegistry: registry,
    outputLimitBytes: target.outputLimitBytes,
  });
  return toRunOutput(result);
}
