/** KubeExec/KubeExecAll failures other than a non-zero exit, in Kanister's words. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { kanisterLogTail } from "./common.js";

/**
 * An exec that failed before or without an exit code — pod or container not found, an API error,
 * the connection lost — worded as Kanister words it, with quiesce's code, details,
 * cause and "possibly still running" flag kept.
 *
 * Kanister pkg/kube/exec.go: execStream wraps every error of the exec in an ExecError, whose text is
 * `<err>.\nstdout: <tail>\nstderr: <tail>` (the LogTails of what arrived), and ExecWithOptions wraps
 * that with errkit.Wrap(err, "Failed to exec command in pod"), i.e. `Failed to exec command in pod:
 * <ExecError>`. KubeExec (pkg/function/kube_exec.go) returns it as is; KubeExecAll joins them.
 */
export class ExecCallError extends QuiesceError {
  /** True when the command may still be running in the container (the connection was lost). */
  readonly possiblyStillRunning?: true;
  /** The output that arrived before the failure, when the exec had started. */
  readonly partial?: unknown;

  constructor(err: QuiesceError) {
    const stdout = typeof err.details.stdout === "string" ? err.details.stdout : "";
    const stderr = typeof err.details.stderr === "string" ? err.details.stderr : "";
    super(
      err.code,
      `Failed to exec command in pod: ${kanisterWords(err)}.\nstdout: ${kanisterLogTail(stdout, dropped(err, "stdout"))}\nstderr: ${kanisterLogTail(stderr, dropped(err, "stderr"))}`,
      { cause: err, details: err.details },
    );
    this.name = err.name;
    const carried = err as { possiblyStillRunning?: unknown; partial?: unknown };
    if (carried.possiblyStillRunning === true || err.details.possiblyStillRunning === true) {
      this.possiblyStillRunning = true;
    }
    if (carried.partial !== undefined) this.partial = carried.partial;
  }
}

/**
 * Rewords a failed exec call as Kanister does (see {@link ExecCallError}). A cancellation, a value
 * that is not a QuiesceError and quiesce's own time limit (QUIESCE_TIMEOUT: Kanister's phases have
 * no deadline, so it has no wording for one) pass through unchanged.
 */
export function execCallFailed(err: unknown, signal: AbortSignal): unknown {
  if (signal.aborted || !(err instanceof QuiesceError) || err instanceof ExecCallError) return err;
  if (err.code === ErrorCodes.TIMEOUT) return err;
  return new ExecCallError(err);
}

// What client-go's error says where quiesce's own message differs: an API refusal is the Status
// message alone (apimachinery StatusError.Error()), and the API server refuses an unknown container
// with "container <c> is not valid for pod <p>" (pkg/registry/core/pod/strategy.go streamLocation).
function kanisterWords(err: QuiesceError): string {
  const { statusMessage, container, pod } = err.details;
  if (typeof statusMessage === "string" && statusMessage !== "") return statusMessage;
  if (
    err.code === ErrorCodes.KUBE_CONTAINER_NOT_FOUND &&
    typeof container === "string" &&
    typeof pod === "string"
  ) {
    return `container ${container} is not valid for pod ${pod}`;
  }
  return err.message;
}

// Whether the captured output lost its start (the tail buffer was full): its first line is a fragment.
function dropped(err: QuiesceError, stream: "stdout" | "stderr"): boolean {
  const bytes = err.details[`${stream}DroppedBytes`];
  return typeof bytes === "number" && bytes > 0;
}
