/** Port resolution as KubeStash's prober does it: a number, or a string looked up in the action's container. */
import { QuiesceError } from "@quiesce/core";
import type { V1Pod } from "@quiesce/kube";
import type { Port } from "../action-schema.js";
import { ExecutorErrorCodes } from "../errors.js";

/**
 * Resolves `port` as kmodules.xyz/prober probe/prober.go extractPort does. A number is taken as it
 * is. A string — a name, or digits written as a string (`port: "8080"`) — needs the pod and the
 * container the action's `containerName` names (without one there is no container to look in):
 * it is looked up in that container's `ports[].name`, else taken as a number if it is one
 * ("maybe it was an int stored as string"); the result must be 1..65535. Throws
 * `QUIESCE_PORT_NOT_FOUND` naming what is missing.
 */
export function resolvePort(port: Port, pod: V1Pod | undefined, container?: string): number {
  if (typeof port === "number") return port;
  const podName = pod?.metadata?.name;
  const missing = (message: string): never => {
    throw new QuiesceError(ExecutorErrorCodes.PORT_NOT_FOUND, message, {
      details: { port, pod: podName, container },
    });
  };
  if (pod === undefined) {
    return missing(
      `port "${port}" is a string: KubeStash resolves it in a pod's container ("failed to extract port. invalid pod"); write the port as a number with this executor`,
    );
  }
  const found = pod.spec?.containers.find((c) => c.name === (container ?? ""));
  if (container === undefined || found === undefined) {
    return missing(
      container === undefined
        ? `port "${port}" needs the action's containerName: KubeStash looks a string port up in that container's ports ("failed to extract port. container not found")`
        : `port "${port}": pod ${podName} has no container "${container}"`,
    );
  }
  const declared = found.ports?.find((p) => p.name === port);
  if (declared) return declared.containerPort;
  if (/^[+-]?\d+$/.test(port)) {
    const n = Number(port);
    if (n > 0 && n < 65536) return n;
    return missing(`invalid port number: ${n}`);
  }
  return missing(`named port "${port}" is not declared by container "${container}" of pod ${podName}`);
}
