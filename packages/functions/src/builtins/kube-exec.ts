/** KubeExec: runs a command in a container of a pod; outputs come from its stdout. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { ExecResult, V1Pod } from "@quiesce/kube";
import { z } from "zod";
import { looseString, stringList } from "../args.js";
import { defineFunction } from "../define-function.js";
import { PhaseOutputParser } from "../output-parser.js";
import { given, nonZeroExit, outputsOrNil } from "./common.js";
import { execCallFailed } from "./exec-failure.js";

/**
 * Kanister's KubeExec (pkg/function/kube_exec.go): `namespace`, `pod`, `container`, `command`
 * (argv). Without `container` Kanister sends the exec without one, so the API server picks the
 * pod's only container and refuses a pod of several ("a container name must be specified") — the
 * default-container annotation is not consulted; quiesce does the same. A non-zero exit fails the
 * phase; `###Phase-output###` lines of stdout become outputs. Every other failure of the exec is
 * worded as Kanister's (see {@link execCallFailed}).
 */
export const kubeExec = defineFunction({
  name: "KubeExec",
  args: z.object({
    namespace: looseString(),
    pod: looseString(),
    container: looseString().optional(),
    command: stringList(),
  }),
  async exec(ctx, args) {
    // Kanister passes KubeExec's stdout through its log writer before parsing (pkg/format LogTo).
    const parser = new PhaseOutputParser({ mode: "exec" });
    let result: ExecResult;
    try {
      let container = given(args.container);
      let pod: V1Pod | undefined;
      if (!container) {
        pod = (await ctx.cluster.get(
          { version: "v1", resource: "pods", namespace: args.namespace, name: args.pod },
          { signal: ctx.signal },
        )) as unknown as V1Pod;
        container = onlyContainer(pod, args.pod);
      }
      result = await ctx.cluster.exec({ namespace: args.namespace, pod: args.pod, container }, args.command, {
        ...(pod ? { pod } : {}),
        signal: ctx.signal,
        timeoutMs: ctx.timeoutMs,
        // The parser copies what it keeps, so the read buffer's views can be handed to it.
        reuseChunks: true,
        onStdout: (chunk) => parser.write(chunk),
      });
    } catch (err) {
      throw execCallFailed(err, ctx.signal);
    }
    parser.end();
    if (result.exitCode !== 0) throw nonZeroExit(result);
    return outputsOrNil(parser.result());
  },
});

// The API server's choice for an exec without a container (pkg/registry/core/pod/strategy.go streamLocation).
function onlyContainer(pod: V1Pod, name: string): string {
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  if (containers.length === 1) return containers[0] as string;
  const inits = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const ephemeral = (pod.spec?.ephemeralContainers ?? []).map((c) => c.name);
  let message = `a container name must be specified for pod ${name}`;
  if (containers.length > 1) {
    message += `, choose one of: [${containers.join(" ")}]`;
    if (inits.length > 0) message += ` or one of the init containers: [${inits.join(" ")}]`;
    if (ephemeral.length > 0) message += ` or one of the ephemeral containers: [${ephemeral.join(" ")}]`;
  }
  throw new QuiesceError(ErrorCodes.KUBE_INVALID, message, {
    details: { pod: name, containers, initContainers: inits },
  });
}
