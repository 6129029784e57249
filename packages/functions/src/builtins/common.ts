/** Helpers shared by the built-in functions. */
import { ErrorCodes, QuiesceError, redactTail, redactText } from "@quiesce/core";
import type { ExecResult, RunResult } from "@quiesce/kube";
import { goTrimSpace } from "../go-strings.js";
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

// Kanister fills its LogTails with io.Copy (pkg/kube/exec.go execStream, pod.go getErrorFromLogs),
// whose reads are at most 32 KiB, and LogTail.Write scans each write on its own: a line longer than
// that reaches the tail as several lines.
const COPY_BUFFER = 32 * 1024;
const TAIL_LINES = 10;

/**
 * Kanister's LogTail (pkg/kube/log_tail.go): the last 10 non-empty lines of `text`, each trimmed,
 * joined with "\r\n" — what its errors quote of a command's or a pod's output. Redacted first. A
 * line longer than io.Copy's 32 KiB read counts as 32 KiB pieces, as Kanister's tail receives it
 * when the output streams in full reads (smaller reads there split it further).
 */
export function kanisterLogTail(text: string, cutAtStart = false): string {
  const lines = redactText(text, [], { cutAtStart }).split("\n");
  const kept: string[] = [];
  for (let i = lines.length - 1; i >= 0 && kept.length < TAIL_LINES; i--) {
    const line = lines[i] as string;
    const pieces = Buffer.byteLength(line) <= COPY_BUFFER ? [line] : copyPieces(line);
    for (let j = pieces.length - 1; j >= 0 && kept.length < TAIL_LINES; j--) {
      const piece = goTrimSpace(pieces[j] as string);
      if (piece !== "") kept.push(piece);
    }
  }
  return kept.reverse().join("\r\n");
}

function copyPieces(line: string): string[] {
  const bytes = Buffer.from(line);
  const pieces: string[] = [];
  for (let at = 0; at < bytes.length; at += COPY_BUFFER) {
    pieces.push(bytes.subarray(at, at + COPY_BUFFER).toString("utf8"));
  }
  return pieces;
}

/**
 * A `QUIESCE_EXEC_NONZERO_EXIT` error in Kanister's words (pkg/kube/exec.go: ExecWithOptions wraps
 * the ExecError of client-go's "command terminated with exit code N" with "Failed to exec command
 * in pod", and ExecError appends the tails of stdout and stderr), carrying the exit code and the
 * output tails.
 */
export function nonZeroExit(result: ExecResult): QuiesceError {
  return new QuiesceError(
    ErrorCodes.EXEC_NONZERO_EXIT,
    `Failed to exec command in pod: command terminated with exit code ${result.exitCode}.\nstdout: ${kanisterLogTail(result.stdout, result.stdoutTruncated)}\nstderr: ${kanisterLogTail(result.stderr, result.stderrTruncated)}`,
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

/**
 * A `QUIESCE_KUBE_WORKLOAD_FAILED` error for a one-off pod that did not succeed, in Kanister's words
 * (KubeTask, MultiContainerRun, PrepareData: "Failed while waiting for Pod to complete" around
 * pkg/kube/pod.go WaitForPodCompletion's "Pod failed or did not transition into complete state",
 * the tail of the main container's log, and "Pod failed").
 */
export function podFailed(result: RunResult): QuiesceError {
  return new QuiesceError(
    ErrorCodes.KUBE_WORKLOAD_FAILED,
    `Failed while waiting for Pod to complete: Pod failed or did not transition into complete state: ${kanisterLogTail(result.logs, result.logsTruncated)}: Pod failed`,
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
