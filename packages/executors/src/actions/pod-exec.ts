/** The exec action in a pod's container, through the Cluster port, with output tails kept even on timeout. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { Cluster, ContainerRef, V1Pod } from "@quiesce/kube";
import { TailBuffer } from "@quiesce/kube";
import { remainingMs } from "../errors.js";
import type { ExecutorContext } from "../executor.js";
import type { TargetOutcome } from "../result.js";

/**
 * Runs `argv` in `target`. A non-zero exit fails the target with its code and tails. A timeout or
 * abort while the command runs fails it as possibly still running (the exec protocol cannot kill
 * a remote command), with whatever output arrived. `pod`, when the executor selected it moments
 * ago, saves the port a GET of the pod before the exec (one API request per target instead of two).
 */
export async function runPodExec(
  cluster: Cluster,
  target: ContainerRef,
  argv: readonly string[],
  ctx: ExecutorContext,
  pod?: V1Pod,
): Promise<TargetOutcome> {
  const limit = ctx.settings.outputLimitBytes;
  // Own tails fed by the streaming callbacks: they survive a timeout, when the port has no result.
  const stdout = new TailBuffer(limit);
  const stderr = new TailBuffer(limit);
  let started = false;
  try {
    const res = await cluster.exec(target, argv, {
      signal: ctx.signal,
      timeoutMs: remainingMs(ctx.deadline),
      stdoutLimitBytes: limit,
      stderrLimitBytes: limit,
      ...(pod ? { pod } : {}),
      // The tails copy what they keep, so the read buffer's views can be handed to them.
      reuseChunks: true,
      onStdout: (c) => {
        started = true;
        stdout.write(c);
      },
      onStderr: (c) => {
        started = true;
        stderr.write(c);
      },
    });
    const outcome: TargetOutcome = {
      status: res.exitCode === 0 ? "succeeded" : "failed",
      container: res.container,
      exitCode: res.exitCode,
      stdout: res.stdout,
      stderr: res.stderr,
    };
    if (res.stdoutTruncated || res.stderrTruncated) outcome.outputTruncated = true;
    if (res.exitCode !== 0) {
      outcome.error = new QuiesceError(
        ErrorCodes.EXEC_NONZERO_EXIT,
        `command "${argv[0]}" exited with code ${res.exitCode} in ${target.namespace}/${res.pod} (container ${res.container})`,
        { details: { pod: res.pod, container: res.container, exitCode: res.exitCode } },
      );
    }
    return outcome;
  } catch (err) {
    const timedOut = QuiesceError.is(err, ErrorCodes.TIMEOUT);
    const partial = (err as { partial?: { stdout?: string; stderr?: string } }).partial;
    const outcome: TargetOutcome = {
      status: "failed",
      error: ctx.signal.aborted && !timedOut ? ctx.signal.reason : err,
      stdout: partial?.stdout ?? stdout.text(),
      stderr: partial?.stderr ?? stderr.text(),
    };
    if (stdout.truncated || stderr.truncated) outcome.outputTruncated = true;
    // The command may be running if the port says so, or if we stopped waiting while it ran.
    const portSays = (err as { possiblyStillRunning?: unknown }).possiblyStillRunning === true;
    if (portSays || timedOut || ctx.signal.aborted || started) outcome.possiblyStillRunning = true;
    return outcome;
  }
}
