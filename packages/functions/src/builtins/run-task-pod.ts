/** Runs a function's one-off pod as Kanister's pod runner does, and parses outputs from its log as it streams. */
import type { PodRunSpec } from "@quiesce/kube";
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
  const result = await ctx.cluster.runPod(full, {
    signal: ctx.signal,
    timeoutMs: ctx.timeoutMs,
    onLog: (chunk) => parser.write(chunk),
    onStuck: "wait",
    ...(ctx.podReadyTimeoutMs !== undefined ? { readyTimeoutMs: ctx.podReadyTimeoutMs } : {}),
  });
  parser.end();
  // Kanister reads the outputs before it waits for the pod's end (kube_task.go, multi_container_run.go
  // LogAndParse then WaitForPodCompletion; prepare_data.go parses before its failOnError check), so
  // a malformed output line is the error even when the pod failed too.
  const malformed = parser.error;
  if (malformed) {
    throw options.outputErrorContext ? wrapOutputError(malformed, options.outputErrorContext) : malformed;
  }
  const failed = result.phase !== "Succeeded" || result.exitCode !== 0;
  if (failed && (options.failOnError ?? true)) throw podFailed(result);
  return parser.result();
}
