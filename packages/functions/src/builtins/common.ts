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

/** Merges two pod overrides: objects deeply, lists of named items (containers, volumes) by name, else the second wins. */
export function mergePodOverride(
  base: Record<string, unknown> | null | undefined,
  over: Record<string, unknown> | null | undefined,
): Record<string, unknown> | undefined {
  if (!base) return over ?? undefined;
  if (!over) return base;
  return mergeValue(base, over) as Record<string, unknown>;
}

function mergeValue(a: unknown, b: unknown): unknown {
  if (isPlain(a) && isPlain(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? mergeValue(out[k], v) : v;
    return out;
  }
  if (
    Array.isArray(a) &&
    Array.isArray(b) &&
    [...a, ...b].every((x) => isPlain(x) && typeof x.name === "string")
  ) {
    const out = a.map((x) => ({ ...(x as Record<string, unknown>) }));
    for (const item of b as Array<Record<string, unknown>>) {
      const i = out.findIndex((x) => x.name === item.name);
      if (i === -1) out.push(item);
      else out[i] = mergeValue(out[i], item) as Record<string, unknown>;
    }
    return out;
  }
  return b;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
