/** ScaleWorkload: scales a Deployment or StatefulSet and waits for it; outputs the replica count before. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { WorkloadKind } from "@quiesce/kube";
import { sprintf } from "@quiesce/template";
import { z } from "zod";
import { optionalBool, optionalString } from "../args.js";
import { defineFunction } from "../define-function.js";

// Kanister pkg/function/scale_workload.go setArgs: an int is converted with int32(v) (wrapping, as
// Go does), a string read by strconv.ParseInt(s, 10, 32), anything else refused by its Go type.
// Arguments arrive decoded as the API server's JSON is decoded (sigs.k8s.io/json: an integer is an
// int64, a number with a fraction or beyond int64 a float64), so `2.0` — which kubectl sends as
// `2` — is the int 2, and `2.5` a float64.
const DIGITS = /^[+-]?[0-9]+$/;
const replicasArg = () =>
  z.unknown().transform((v, ctx) => {
    if (typeof v === "number" && Number.isInteger(v) && Math.abs(v) < 2 ** 63) {
      return Number(BigInt.asIntN(32, BigInt(v)));
    }
    if (typeof v === "string") {
      const n = DIGITS.test(v) ? Number.parseInt(v, 10) : Number.NaN;
      if (Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31) return n;
      const why = Number.isNaN(n) ? "invalid syntax" : "value out of range";
      ctx.addIssue({
        code: "custom",
        message: `Cannot convert ${v} to int: strconv.ParseInt: parsing ${sprintf("%q", v)}: ${why}`,
      });
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
    // A negative count goes to the API server, which refuses it (spec.replicas: must be greater
    // than or equal to 0), as Kanister's Update does.
    let originalReplicas: number;
    try {
      ({ originalReplicas } = await ctx.cluster.scaleWorkload({ kind, namespace, name }, args.replicas, {
        waitForReady: args.waitForReady,
        signal: ctx.signal,
        timeoutMs: ctx.timeoutMs,
      }));
    } catch (err) {
      throw refusedUpdate(err, kind);
    }
    return { originalReplicaCount: originalReplicas };
  },
});

// Kanister pkg/kube/workload.go ScaleStatefulSet / ScaleDeployment: errkit.Wrap(err, "Could not
// update Statefulset" | "Could not update Deployment") around client-go's StatusError, whose text
// is the Status message.
function refusedUpdate(err: unknown, kind: WorkloadKind): unknown {
  if (!QuiesceError.is(err) || err.details.verb !== "update") return err;
  const status = err.details.statusMessage;
  if (typeof status !== "string" || status === "") return err;
  const what = kind === "StatefulSet" ? "Statefulset" : "Deployment";
  return new QuiesceError(err.code, `Could not update ${what}: ${status}`, {
    cause: err,
    details: err.details,
  });
}
