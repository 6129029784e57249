/** ScaleWorkload: scales a Deployment or StatefulSet and waits for it; outputs the replica count before. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { WorkloadKind } from "@quiesce/kube";
import { z } from "zod";
import { optionalBool, optionalString } from "../args.js";
import { defineFunction } from "../define-function.js";

// Kanister pkg/function/scale_workload.go setArgs: an int, or a string read by strconv.ParseInt(s, 10, 32).
const INT32 = /^[+-]?\d+$/;
const replicasArg = () =>
  z.unknown().transform((v, ctx) => {
    if (typeof v === "number" && Number.isInteger(v)) return v;
    if (typeof v === "string") {
      const n = INT32.test(v) ? Number.parseInt(v, 10) : Number.NaN;
      if (Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31) return n;
      ctx.addIssue({ code: "custom", message: `Cannot convert ${v} to int` });
      return z.NEVER;
    }
    ctx.addIssue({ code: "custom", message: `Invalid arg type ${goTypeOf(v)} for Arg replicas` });
    return z.NEVER;
  });

function goTypeOf(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "number") return "float64";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return "[]interface {}";
  return "map[string]interface {}";
}

/**
 * Kanister's ScaleWorkload (pkg/function/scale_workload.go): `replicas` (an int or a numeric
 * string), `namespace`, `name` and `kind` (`deployment` or `statefulset`, any case) — each, when
 * absent, taken from the subject workload; without one, all three are required — and
 * `waitForReady` (default true: wait until the workload is ready, from its status and the pods it
 * owns). Output: `originalReplicaCount`, the replicas before the change. A value given explicitly
 * is used as given, even empty, as in Kanister.
 */
export const scaleWorkload = defineFunction({
  name: "ScaleWorkload",
  outputs: ["originalReplicaCount"],
  args: z.object({
    namespace: optionalString(),
    name: optionalString(),
    kind: optionalString(),
    replicas: replicasArg(),
    waitForReady: optionalBool(true),
  }),
  async exec(ctx, args) {
    const { params } = ctx;
    const subject = params.StatefulSet
      ? { kind: "statefulset", ...params.StatefulSet }
      : params.Deployment
        ? { kind: "deployment", ...params.Deployment }
        : undefined;
    if (!subject && (args.namespace === undefined || args.name === undefined || args.kind === undefined)) {
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        "ScaleWorkload: Workload information not available via defaults or namespace/name/kind parameters",
      );
    }
    const kindText = args.kind ?? subject?.kind ?? "";
    const name = args.name ?? subject?.Name ?? "";
    const namespace = args.namespace ?? subject?.Namespace ?? "";
    let kind: WorkloadKind;
    const lower = kindText.toLowerCase();
    if (lower === "statefulset") kind = "StatefulSet";
    else if (lower === "deployment") kind = "Deployment";
    else {
      // Kanister also scales OpenShift DeploymentConfigs; quiesce does not.
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        `ScaleWorkload: Workload type not supported ${kindText}`,
        {
          details: { kind: kindText, supported: ["deployment", "statefulset"] },
        },
      );
    }
    if (args.replicas < 0) {
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        `ScaleWorkload: replicas must not be negative, got ${args.replicas}`,
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
