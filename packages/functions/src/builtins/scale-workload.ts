/** ScaleWorkload: scales a Deployment or StatefulSet and waits for it; outputs the replica count before. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { WorkloadKind } from "@quiesce/kube";
import { z } from "zod";
import { looseBool, looseInt, looseString } from "../args.js";
import { defineFunction } from "../define-function.js";
import { given } from "./common.js";

/**
 * Kanister's ScaleWorkload: `replicas` (an int or a numeric string), `kind` (deployment or
 * statefulset, any case), `name`, `namespace` (each defaulting from the subject workload) and
 * `waitForReady` (default true: scale-down waits until the pods are gone, scale-up until Ready).
 * Output: `originalReplicaCount`.
 */
export const scaleWorkload = defineFunction({
  name: "ScaleWorkload",
  outputs: ["originalReplicaCount"],
  args: z.object({
    namespace: looseString().optional(),
    name: looseString().optional(),
    kind: looseString().optional(),
    replicas: looseInt().pipe(z.number().int().min(0)),
    waitForReady: looseBool().optional().default(true),
  }),
  async exec(ctx, args) {
    const { params } = ctx;
    const subject = params.StatefulSet
      ? { kind: "statefulset", ...params.StatefulSet }
      : params.Deployment
        ? { kind: "deployment", ...params.Deployment }
        : undefined;
    const kindText = (given(args.kind) ?? subject?.kind)?.toLowerCase();
    const name = given(args.name) ?? subject?.Name;
    const namespace = given(args.namespace) ?? subject?.Namespace;
    if (!kindText || !name || !namespace) {
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        "ScaleWorkload: workload information not available via defaults or namespace/name/kind arguments",
      );
    }
    let kind: WorkloadKind;
    if (kindText === "statefulset") kind = "StatefulSet";
    else if (kindText === "deployment") kind = "Deployment";
    else {
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        `ScaleWorkload: workload kind "${args.kind}" is not supported (deployment, statefulset)`,
      );
    }
    const { originalReplicas } = await ctx.cluster.scaleWorkload({ kind, namespace, name }, args.replicas, {
      waitForReady: args.waitForReady,
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
    });
    return { originalReplicaCount: originalReplicas };
  },
});
