/** Runs a one-off pod and parses outputs from its log as it streams (KubeTask, PrepareData, MultiContainerRun). */
import type { PodRunSpec } from "@quiesce/kube";
import type { FunctionContext } from "../define-function.js";
import { PhaseOutputParser } from "../output-parser.js";
import { mergePodOverride, podFailed } from "./common.js";

/** Runs `spec` with the action-level pod override and labels merged in; returns the outputs. */
export async function runTaskPod(
  ctx: FunctionContext,
  what: string,
  spec: PodRunSpec,
  options: { failOnError?: boolean } = {},
): Promise<Record<string, string>> {
  const parser = new PhaseOutputParser();
  const podOverride = mergePodOverride(
    ctx.params.PodOverride,
    (spec.podOverride as Record<string, unknown> | undefined) ?? null,
  );
  const labels = { ...(ctx.params.PodLabels ?? {}), ...(spec.labels ?? {}) };
  const full: PodRunSpec = {
    ...spec,
    ...(podOverride ? { podOverride } : {}),
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
  };
  const result = await ctx.cluster.runPod(full, {
    signal: ctx.signal,
    timeoutMs: ctx.timeoutMs,
    onLog: (chunk) => parser.write(chunk),
  });
  parser.end();
  const failed = result.phase !== "Succeeded" || result.exitCode !== 0;
  if (failed && (options.failOnError ?? true)) throw podFailed(what, result);
  return parser.result();
}
