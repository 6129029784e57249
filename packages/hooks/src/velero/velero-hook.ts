/**
 * One Velero exec hook on one pod's container, as the resolvers produce it and the session runs
 * it: the exec itself follows Velero's pkg/podexec/pod_command_executor.go (container check,
 * `command is required`, the 30s default timeout, no exec in a pod that has already Succeeded or
 * Failed); when it runs and what its failure means is the Velero policies' business.
 */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { ExecutorRegistry, podExecutor, runAction } from "@quiesce/executors";
import type { Cluster, V1Pod } from "@quiesce/kube";
import type { HookRunOutput } from "../hook-spec.js";
import { toRunOutput } from "../prepare-kubestash.js";
import type { VeleroExecHook, VeleroHookSpec } from "./velero-hook-spec.js";

/** Failure codes of Velero hooks. */
export const VeleroErrorCodes = {
  /** The container did not run (or become Ready) before the hook's waitTimeout expired. */
  WAIT_TIMEOUT: "QUIESCE_VELERO_WAIT_TIMEOUT",
  /** Not run: the pod's hook handling stopped first (an `onError: Fail` hook failed, the wait ended, the pod ended or went away). */
  NOT_EXECUTED: "QUIESCE_VELERO_NOT_EXECUTED",
  /** The pod to run the hook in no longer exists. */
  POD_GONE: "QUIESCE_VELERO_POD_GONE",
  /** The hook names a container the pod lacks (pkg/podexec: "no such container"). */
  NO_SUCH_CONTAINER: "QUIESCE_VELERO_NO_SUCH_CONTAINER",
  /** The hook's command is empty (pkg/podexec: "command is required"). */
  COMMAND_REQUIRED: "QUIESCE_VELERO_COMMAND_REQUIRED",
} as const;

/** True for a {@link VeleroHookSpec}. */
export function isVeleroHookSpec(spec: unknown): spec is VeleroHookSpec {
  return spec !== null && typeof spec === "object" && "velero" in spec;
}

const POD = { version: "v1", resource: "pods" } as const;

// pkg/podexec ensureContainerExists: a main container, or a sidecar (an init container that restarts Always).
function hasContainer(pod: V1Pod, name: string): boolean {
  if ((pod.spec?.containers ?? []).some((c) => c.name === name)) return true;
  return (pod.spec?.initContainers ?? []).some(
    (c) => c.name === name && (c as { restartPolicy?: string }).restartPolicy === "Always",
  );
}

function failure(code: string, message: string, details: Record<string, unknown>): HookRunOutput {
  return {
    status: "failed",
    noRetry: true,
    error: new QuiesceError(code as `QUIESCE_${string}`, message, { details }),
  };
}

/**
 * Runs the hook's exec now, as Velero's pod command executor does: the pod as it is now, the
 * container checked, no exec in a pod that already Succeeded or Failed (that counts as done),
 * the command bounded by `timeoutMs` and reported as possibly still running when cut off.
 */
export async function execVeleroHook(
  cluster: Cluster,
  hook: VeleroExecHook,
  timeoutMs: number,
  signal: AbortSignal,
  outputLimitBytes?: number,
): Promise<HookRunOutput> {
  const { namespace, pod: name, container } = hook;
  const where = `${namespace}/${name}`;
  let pod: V1Pod;
  try {
    pod = (await cluster.get({ ...POD, namespace, name }, { signal })) as unknown as V1Pod;
  } catch (cause) {
    if (QuiesceError.is(cause, ErrorCodes.KUBE_NOT_FOUND)) {
      return failure(VeleroErrorCodes.POD_GONE, `pod ${where} no longer exists`, { namespace, pod: name });
    }
    throw cause;
  }
  if (!hasContainer(pod, container)) {
    return failure(VeleroErrorCodes.NO_SUCH_CONTAINER, `no such container: "${container}" in pod ${where}`, {
      namespace,
      pod: name,
      container,
    });
  }
  if (hook.command.length === 0) {
    return failure(VeleroErrorCodes.COMMAND_REQUIRED, "command is required", { namespace, pod: name });
  }
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") {
    // pkg/podexec returns nil here: the hook counts as done, not failed.
    return {
      status: "succeeded",
      targets: [{ name: `${name}/${container}`, namespace, status: "succeeded" }],
      outputs: { notRun: `pod ${where} is ${phase}: Velero runs no exec hook in it` },
    };
  }
  const registry = new ExecutorRegistry();
  // The Pod executor's exec path (output tails, possibly-still-running), on exactly this pod.
  registry.register({
    type: "VeleroPod",
    async targets() {
      return [{ kind: "Pod", namespace, name, container, pod }];
    },
    run: (t, ctx) => podExecutor.run(t, ctx),
  });
  const result = await runAction({
    action: { exec: { command: [...hook.command] }, containerName: container },
    executor: { type: "VeleroPod" },
    namespace,
    cluster,
    signal,
    timeoutMs,
    executorRegistry: registry,
    outputLimitBytes,
  });
  return toRunOutput(result);
}
