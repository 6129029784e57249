/** Helpers shared by the built-in functions. */
import { ErrorCodes, QuiesceError, redactHead, redactTail } from "@quiesce/core";
import type { ExecResult, RunResult } from "@quiesce/kube";
import type { TemplateParams } from "../template-params.js";

/** The subject's namespace (Kanister falls back to its own namespace; quiesce to the subject's, then "default"). */
export function subjectNamespace(params: TemplateParams): string {
  return (
    params.StatefulSet?.Namespace ??
    params.Deployment?.Namespace ??
    params.PVC?.Namespace ??
    params.Namespace?.Name ??
    params.Object?.metadata?.namespace ??
    "default"
  );
}

/**
 * The time limit for one API request of a function: the phase's when it has one, else the
 * client's default (a phase without a deadline must not make a single request unbounded).
 */
export function requestTimeout(ctx: { timeoutMs: number }): { timeoutMs?: number } {
  return Number.isFinite(ctx.timeoutMs) ? { timeoutMs: ctx.timeoutMs } : {};
}

/**
 * Outputs as Kanister's parseLogAndCreateOutput returns them (pkg/function/kube_exec.go): none is a
 * nil map, not an empty one — KubeExec, KubeExecAll and PrepareData return it, KubeTask does not.
 */
export function outputsOrNil(outputs: Record<string, string>): Record<string, string> | undefined {
  return Object.keys(outputs).length > 0 ? outputs : undefined;
}

/** An empty string means "not given" (a template that rendered to nothing). */
export function given(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

const TAIL = 4096;

// Redacted before it is cut (and with the fragment a tail buffer may have left at its start
// scrubbed), so a secret straddling either cut leaks nothing.
function tail(text: string, cutAtStart = false): string {
  return redactTail(text, TAIL, "…", { cutAtStart });
}

/** A `QUIESCE_EXEC_NONZERO_EXIT` error carrying the exit code and output tails. */
export function nonZeroExit(what: string, result: ExecResult): QuiesceError {
  return new QuiesceError(
    ErrorCodes.EXEC_NONZERO_EXIT,
    `${what} in ${result.pod}/${result.container} exited with code ${result.exitCode}${stderrHint(result.stderr)}`,
    {
      details: {
        pod: result.pod,
        container: result.container,
        exitCode: result.exitCode,
        stdout: tail(result.stdout, result.stdoutTruncated),
        stderr: tail(result.stderr, result.stderrTruncated),
      },
    },
  );
}

/** A `QUIESCE_KUBE_WORKLOAD_FAILED` error for a one-off pod that did not succeed. */
export function podFailed(what: string, result: RunResult): QuiesceError {
  return new QuiesceError(
    ErrorCodes.KUBE_WORKLOAD_FAILED,
    `${what}: pod ${result.namespace}/${result.podName} ended ${result.phase} with exit code ${result.exitCode}`,
    {
      details: {
        namespace: result.namespace,
        pod: result.podName,
        phase: result.phase,
        exitCode: result.exitCode,
        logs: tail(result.logs, result.logsTruncated),
      },
    },
  );
}

function stderrHint(stderr: string): string {
  const last = stderr.trim().split("\n").pop()?.trim();
  return last ? `: ${redactHead(last, 200, "…")}` : "";
}
