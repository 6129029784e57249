/** The Function executor: the action runs as a Job built from a KubeStash Function; logs and exit code are collected. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { Cluster } from "@quiesce/kube";
import { remainingMs } from "../errors.js";
import type { Executor, ExecutorContext, FunctionDefinition } from "../executor.js";
import type { TargetOutcome } from "../result.js";
import { buildFunctionJob, FUNCTION_CONTAINER } from "./function-job.js";

/** Where KubeStash Functions live: cluster-scoped `addons.kubestash.com/v1alpha1` Function objects. */
export const FUNCTION_RESOURCE = Object.freeze({
  group: "addons.kubestash.com",
  version: "v1alpha1",
  resource: "functions",
});

function requireCluster(ctx: { cluster: Cluster | undefined }): Cluster {
  if (ctx.cluster === undefined) {
    throw new QuiesceError(ErrorCodes.VALIDATION, "the Function executor needs a cluster (it runs a Job)");
  }
  return ctx.cluster;
}

/**
 * KubeStash's Function executor. The Function is found inline (`executor.function.image`), in the
 * host's `functions` option, or as a Function object in the cluster, in that order. Its Job runs in
 * the hook's namespace; the target succeeds when the Job's container exits 0.
 */
export const functionExecutor: Executor = {
  type: "Function",
  check(ctx) {
    requireCluster(ctx);
  },
  async targets(ctx) {
    const name = ctx.executor.function?.name ?? "";
    return [{ kind: "Job", namespace: ctx.namespace, name, container: FUNCTION_CONTAINER }];
  },
  async run(_target, ctx) {
    const cluster = requireCluster(ctx);
    const spec = ctx.executor.function;
    if (spec === undefined)
      throw new QuiesceError(ErrorCodes.VALIDATION, "the Function executor needs executor.function");
    const definition = await resolveDefinition(cluster, ctx);
    const job = buildFunctionJob({
      namespace: ctx.namespace,
      spec,
      definition,
      action: ctx.action,
      params: ctx.params,
      variables: ctx.variables,
      ...(ctx.variableEnv !== undefined ? { variableEnv: ctx.variableEnv } : {}),
    });
    let jobName: string | undefined;
    try {
      const res = await cluster.runJob(job, {
        signal: ctx.signal,
        timeoutMs: remainingMs(ctx.deadline),
        logLimitBytes: ctx.settings.outputLimitBytes,
      });
      jobName = res.jobName;
      const ok = res.phase === "Succeeded" && res.exitCode === 0;
      const outcome: TargetOutcome = {
        status: ok ? "succeeded" : "failed",
        name: res.jobName ?? res.podName,
        exitCode: res.exitCode,
        stdout: res.logs,
      };
      if (res.logsTruncated) outcome.outputTruncated = true;
      if (!ok) {
        outcome.error = new QuiesceError(
          ErrorCodes.KUBE_WORKLOAD_FAILED,
          `function ${spec.name} (job ${res.jobName ?? res.podName}) ended ${res.phase} with exit code ${res.exitCode}`,
          { details: { job: res.jobName, pod: res.podName, phase: res.phase, exitCode: res.exitCode } },
        );
      }
      return outcome;
    } catch (err) {
      const outcome: TargetOutcome = { status: "failed", error: err };
      if (jobName !== undefined) outcome.name = jobName;
      // A Job that was created and not seen to finish may go on running in the cluster.
      if (ctx.signal.aborted || QuiesceError.is(err, ErrorCodes.TIMEOUT)) outcome.possiblyStillRunning = true;
      return outcome;
    }
  },
};

async function resolveDefinition(cluster: Cluster, ctx: ExecutorContext): Promise<FunctionDefinition> {
  const spec = ctx.executor.function;
  const name = spec?.name ?? "";
  if (spec?.image !== undefined) {
    const inline: FunctionDefinition = { image: spec.image };
    if (spec.command !== undefined) inline.command = spec.command;
    if (spec.args !== undefined) inline.args = spec.args;
    if (spec.workingDir !== undefined) inline.workingDir = spec.workingDir;
    return inline;
  }
  const known = ctx.settings.functions[name];
  if (known !== undefined) return known;
  const object = await cluster.get({ ...FUNCTION_RESOURCE, name }, { signal: ctx.signal });
  const fnSpec = object.spec as Partial<FunctionDefinition> | undefined;
  if (typeof fnSpec?.image !== "string" || fnSpec.image === "") {
    throw new QuiesceError(ErrorCodes.VALIDATION, `Function ${name} has no spec.image`, {
      details: { function: name },
    });
  }
  return fnSpec as FunctionDefinition;
}
