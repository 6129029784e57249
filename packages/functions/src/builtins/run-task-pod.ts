/** Runs a function's one-off pod as Kanister's pod runner does, and parses outputs from its log as it streams. */
import type { QuiesceError } from "@quiesce/core";
import type { PodRunSpec, RunResult } from "@quiesce/kube";
import type { FunctionContext } from "../define-function.js";
import { PhaseOutputParser, wrapOutputError } from "../output-parser.js";
import { podFailed } from "./common.js";
import { podMetadata } from "./pod-metadata.js";
import { actionPodOverride } from "./pod-override.js";

/** Options of {@link runTaskPod}. */
export interface TaskPodOptions {
  /** Fail the phase when the pod does not succeed (default true; PrepareData's `failOnError` default is false). */
  failOnError?: boolean;
  /** The ActionSet's podOverride as this function uses it (default: `.PodOverride` as is). */
  actionSetOverride?: Record<string, unknown> | null;
  /** Labels set after the merge, over the Blueprint's and the ActionSet's. */
  labels?: Record<string, string>;
  /** Annotations set after the merge, over the Blueprint's and the ActionSet's. */
  annotations?: Record<string, string>;
  /** Words put before a malformed output's error (PrepareData: "Failed to parse phase output"). */
  outputErrorContext?: string;
  /**
   * Parse the log only once the pod ended (PrepareData reads it whole first: io.ReadAll). Without
   * it (KubeTask, MultiContainerRun: LogAndParse as the log streams) the first malformed output
   * line ends the run at once and the pod is deleted, as Kanister's PodRunner deletes it.
   */
  parseAfterEnd?: boolean;
}

/**
 * Runs `spec` — whose `podOverride`, `labels` and `annotations` are the function's own
 * `podOverride`, `podLabels` and `podAnnotations` arguments — with the ActionSet's merged in as
 * Kanister merges them (`actionPodOverride`, `podMetadata`: labels `createdBy: kanister`). As in
 * Kanister, only the pod's start is bounded (`ctx.podReadyTimeoutMs`, 15 minutes by default) and a
 * pod that cannot start yet (unschedulable, image not pulled yet) is waited for until then.
 * Returns the `###Phase-output###` outputs of the main container's log.
 */
export async function runTaskPod(
  ctx: FunctionContext,
  spec: PodRunSpec,
  options: TaskPodOptions = {},
): Promise<Record<string, string>> {
  const parser = new PhaseOutputParser();
  const podOverride = actionPodOverride(
    options.actionSetOverride === undefined ? ctx.params.PodOverride : options.actionSetOverride,
    (spec.podOverride as Record<string, unknown> | undefined) ?? null,
  );
  const meta = podMetadata(ctx.params, { podLabels: spec.labels, podAnnotations: spec.annotations });
  const annotations = { ...meta.annotations, ...(options.annotations ?? {}) };
  const full: PodRunSpec = {
    ...spec,
    labels: { ...meta.labels, ...(options.labels ?? {}) },
    annotations,
    // Kanister pkg/kube/pod_runner.go Run: StopPod(…, gracePeriodSeconds 0) once the work is done.
    deleteGracePeriodSeconds: 0,
    ...(podOverride ? { podOverride } : {}),
  };
  if (!podOverride) delete full.podOverride;
  const stop = new AbortController();
  const malformedError = (): QuiesceError | undefined => {
    const malformed = parser.error;
    if (!malformed) return undefined;
    return options.outputErrorContext ? wrapOutputError(malformed, options.outputErrorContext) : malformed;
  };
  let result: RunResult;
  try {
    result = await ctx.cluster.runPod(full, {
      signal: options.parseAfterEnd ? ctx.signal : AbortSignal.any([ctx.signal, stop.signal]),
      timeoutMs: ctx.timeoutMs,
      onLog: (chunk) => {
        parser.write(chunk);
        if (parser.error && !options.parseAfterEnd && !stop.signal.aborted) stop.abort(parser.error);
      },
      onStuck: "wait",
      ...(ctx.podReadyTimeoutMs !== undefined ? { readyTimeoutMs: ctx.podReadyTimeoutMs } : {}),
    });
  } catch (err) {
    // Stopped at a malformed line (kube_task.go: LogAndParse returns its error as it reads it).
    if (stop.signal.aborted && !ctx.signal.aborted) throw malformedError();
    throw err;
  }
  parser.end();
  // Kanister reads the outputs before it waits for the pod's end (kube_task.go, multi_container_run.go
  // LogAndParse then WaitForPodCompletion; prepare_data.go parses before its failOnError check), so
  // a malformed output line is the error even when the pod failed too.
  const malformed = malformedError();
  if (malformed) throw malformed;
  const failed = result.phase !== "Succeeded" || result.exitCode !== 0;
  if (failed && (options.failOnError ?? true)) throw podFailed(result);
  return parser.result();
}
