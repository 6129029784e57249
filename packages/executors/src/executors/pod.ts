/** The Pod executor: the action runs in (or against) pods chosen by selector, owner and strategy. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { type Cluster, pickPod, type V1Pod } from "@quiesce/kube";
import { runHandlers } from "../actions/handlers.js";
import { runHttpAction } from "../actions/http.js";
import { runPodExec } from "../actions/pod-exec.js";
import { resolvePort } from "../actions/ports.js";
import { runTcpAction } from "../actions/tcp.js";
import { ExecutorErrorCodes } from "../errors.js";
import type { ExecutionTarget, Executor, ExecutorContext } from "../executor.js";
import type { TargetOutcome } from "../result.js";

function requireCluster(ctx: { cluster: Cluster | undefined; executor: { type: string } }): Cluster {
  if (ctx.cluster === undefined) {
    throw new QuiesceError(ErrorCodes.VALIDATION, `the ${ctx.executor.type} executor needs a cluster`);
  }
  return ctx.cluster;
}

/**
 * KubeStash's Pod executor. Pods of the hook's namespace matching `executor.pod.selector` (and
 * `owner`, through the controller chain) that are Running; `ExecuteOnOne` (default) picks one
 * deterministically, `ExecuteOnAll` runs on each with bounded parallelism. `exec` runs in
 * `action.containerName`, else `pod.spec.containers[0]`; `httpGet`/`httpPost`/`tcpSocket` default
 * `host` to the pod IP and resolve a named port from `action.containerName`'s ports.
 */
export const podExecutor: Executor = {
  type: "Pod",
  check(ctx) {
    requireCluster(ctx);
  },
  async targets(ctx) {
    const cluster = requireCluster(ctx);
    const spec = ctx.executor.pod;
    if (spec === undefined)
      throw new QuiesceError(ErrorCodes.VALIDATION, "the Pod executor needs executor.pod");
    const selection: { selector: string; owner?: { kind: string; name: string } } = {
      selector: spec.selector,
    };
    if (spec.owner) selection.owner = { kind: spec.owner.kind, name: spec.owner.name };
    const pods = await cluster.selectPods(ctx.namespace, selection, { signal: ctx.signal });
    const running = pods.filter(
      (p) => p.status?.phase === "Running" && p.metadata?.deletionTimestamp === undefined,
    );
    if (running.length === 0) {
      const owner = spec.owner ? ` owned by ${spec.owner.kind}/${spec.owner.name}` : "";
      const others = pods.length > 0 ? ` (${pods.length} matching pod(s), none Running)` : "";
      throw new QuiesceError(
        ExecutorErrorCodes.NO_TARGETS,
        `no Running pod in namespace ${ctx.namespace} matches selector "${spec.selector}"${owner}${others}`,
        {
          details: {
            namespace: ctx.namespace,
            selector: spec.selector,
            owner: spec.owner?.name,
            matched: pods.length,
          },
        },
      );
    }
    const chosen =
      (spec.strategy ?? "ExecuteOnOne") === "ExecuteOnAll" ? running : [pickPod(running) as V1Pod];
    return chosen.map((pod) => {
      const t: ExecutionTarget = {
        kind: "Pod",
        namespace: ctx.namespace,
        name: pod.metadata?.name ?? "",
        pod,
      };
      // kmodules.xyz/prober probe/exec: without containerName the exec goes to
      // pod.spec.containers[0] (not the kubectl.kubernetes.io/default-container annotation).
      const container =
        ctx.action.containerName ?? (ctx.action.exec ? pod.spec?.containers[0]?.name : undefined);
      if (container !== undefined) t.container = container;
      return t;
    });
  },
  async run(target, ctx) {
    return runOnPod(requireCluster(ctx), target, ctx);
  },
};

async function runOnPod(
  cluster: Cluster,
  target: ExecutionTarget,
  ctx: ExecutorContext,
): Promise<TargetOutcome> {
  const { action } = ctx;
  const pod = target.pod;
  return runHandlers(action, async (handler) => {
    if (handler === "exec" && action.exec) {
      // The exec API reaches init containers too (a running sidecar): only a name the pod lacks is refused here.
      const names = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])].map(
        (c) => c.name,
      );
      if (target.container !== undefined && pod?.spec && !names.includes(target.container)) {
        return {
          status: "failed",
          error: new QuiesceError(
            ErrorCodes.KUBE_CONTAINER_NOT_FOUND,
            `pod ${ctx.namespace}/${target.name} has no container "${target.container}" (containers: ${names.join(", ")})`,
            { details: { pod: target.name, container: target.container } },
          ),
        };
      }
      const ref: { namespace: string; pod: string; container?: string } = {
        namespace: ctx.namespace,
        pod: target.name,
      };
      if (target.container !== undefined) ref.container = target.container;
      // The pod was listed when the targets were chosen: the exec uses it instead of fetching it again.
      return runPodExec(cluster, ref, action.exec.command, ctx, pod);
    }
    const spec =
      handler === "httpGet" ? action.httpGet : handler === "httpPost" ? action.httpPost : action.tcpSocket;
    if (spec === undefined) throw new QuiesceError(ErrorCodes.VALIDATION, `the action has no ${handler}`);
    let endpoint: { host: string; port: number };
    try {
      // kmodules.xyz/prober probe/prober.go: the host defaults to the pod IP; a string port is looked
      // up in the action's containerName (not the exec's default container).
      endpoint = {
        host: spec.host ?? podIp(pod, target.name),
        port: resolvePort(spec.port, pod, action.containerName),
      };
    } catch (err) {
      return { status: "failed", error: err };
    }
    if (handler === "httpGet" && action.httpGet) return runHttpAction("GET", action.httpGet, endpoint, ctx);
    if (handler === "httpPost" && action.httpPost)
      return runHttpAction("POST", action.httpPost, endpoint, ctx);
    return runTcpAction(endpoint, ctx);
  });
}

function podIp(pod: V1Pod | undefined, name: string): string {
  const ip = pod?.status?.podIP;
  if (ip === undefined || ip === "") {
    throw new QuiesceError(
      ErrorCodes.KUBE_POD_NOT_RUNNING,
      `pod ${name} has no IP yet; set the action's host`,
      {
        details: { pod: name },
      },
    );
  }
  return ip;
}
