/** Port resolution: a number, a numeric string, or a named port of the action's container. */
import { QuiesceError } from "@quiesce/core";
import type { V1Pod } from "@quiesce/kube";
import type { Port } from "../action-schema.js";
import { ExecutorErrorCodes } from "../errors.js";

/**
 * Resolves `port` as kmodules.xyz/prober's extractPort does: a number as it is; a name is looked
 * up in the `ports[].name` of the container named by the action's `containerName` — without one
 * there is no container to look in — else taken as a number if it is one. Throws
 * `QUIESCE_PORT_NOT_FOUND` naming what is missing.
 */
export function resolvePort(port: Port, pod: V1Pod | undefined, container?: string): number {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  const podName = pod?.metadata?.name;
  const missing = (message: string): never => {
    throw new QuiesceError(ExecutorErrorCodes.PORT_NOT_FOUND, message, {
      details: { port, pod: podName, container },
    });
  };
  if (pod === undefined) {
    return missing(`named port "${port}" needs a pod to resolve it; use a port number with this executor`);
  }
  const found = pod.spec?.containers.find((c) => c.name === container);
  if (container === undefined || found === undefined) {
    return missing(
      container === undefined
        ? `named port "${port}" needs the action's containerName: KubeStash looks the name up in that container's ports`
        : `named port "${port}": pod ${podName} has no container "${container}"`,
    );
  }
  const declared = found.ports?.find((p) => p.name === port);
  if (!declared)
    return missing(`named port "${port}" is not declared by container "${container}" of pod ${podName}`);
  return declared.containerPort;
}
