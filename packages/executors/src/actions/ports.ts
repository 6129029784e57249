/** Port resolution: a number, a numeric string, or a named port looked up in the pod's container ports. */
import { QuiesceError } from "@quiesce/core";
import type { V1Pod } from "@quiesce/kube";
import type { Port } from "../action-schema.js";
import { ExecutorErrorCodes } from "../errors.js";

/**
 * Resolves `port` to a number. A named port is looked up in `container`'s `ports[].name` when a
 * container is named, else in each container in order (the first declaring it wins).
 * Throws `QUIESCE_PORT_NOT_FOUND` when the name is declared nowhere (or there is no pod to look in).
 */
export function resolvePort(port: Port, pod: V1Pod | undefined, container?: string): number {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  const podName = pod?.metadata?.name;
  if (pod === undefined) {
    throw new QuiesceError(
      ExecutorErrorCodes.PORT_NOT_FOUND,
      `named port "${port}" needs a pod to resolve it; use a port number with this executor`,
      { details: { port } },
    );
  }
  const containers = pod.spec?.containers ?? [];
  const candidates = container === undefined ? containers : containers.filter((c) => c.name === container);
  for (const c of candidates) {
    const found = c.ports?.find((p) => p.name === port);
    if (found) return found.containerPort;
  }
  const where =
    container === undefined
      ? `any container of pod ${podName}`
      : `container "${container}" of pod ${podName}`;
  throw new QuiesceError(
    ExecutorErrorCodes.PORT_NOT_FOUND,
    `named port "${port}" is not declared by ${where}`,
    {
      details: { port, pod: podName, container },
    },
  );
}
