/** The exec action on the host (Operator executor): a local process from an argv, never a shell, bounded in time and output. */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { ErrorCodes, QuiesceError, redactHead } from "@quiesce/core";
import { TailBuffer } from "@quiesce/kube";
import { ExecutorErrorCodes } from "../errors.js";
import type { ExecutorContext } from "../executor.js";
import type { TargetOutcome } from "../result.js";

// Time between SIGTERM and SIGKILL when a process must stop (timeout or abort).
const KILL_GRACE_MS = 1_000;

/**
 * Runs `argv` as a local process in its own process group. On timeout or abort the whole group
 * gets SIGTERM, then SIGKILL; the result waits until the process has exited, so it is never
 * reported as possibly still running. The process inherits the host's environment and working
 * directory (it is the operator acting), and gets no stdin.
 */
export function runLocalExec(argv: readonly string[], ctx: ExecutorContext): Promise<TargetOutcome> {
  const [file, ...args] = argv as [string, ...string[]];
  const stdout = new TailBuffer(ctx.settings.outputLimitBytes);
  const stderr = new TailBuffer(ctx.settings.outputLimitBytes);
  return new Promise<TargetOutcome>((resolve) => {
    if (ctx.signal.aborted) {
      resolve({ status: "failed", error: ctx.signal.reason });
      return;
    }
    const child = spawn(file, args, {
      stdio: ["ignore", "pipe", "pipe"],
      detached: process.platform !== "win32",
    });
    let startError: Error | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const kill = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined && process.platform !== "win32") process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // Already gone.
      }
    };
    const onAbort = () => {
      kill("SIGTERM");
      killTimer = setTimeout(() => kill("SIGKILL"), KILL_GRACE_MS);
      killTimer.unref?.();
    };
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (c: Buffer) => stdout.write(c));
    child.stderr.on("data", (c: Buffer) => stderr.write(c));
    child.once("error", (err) => {
      startError = err;
    });
    child.once("close", (code, signal) => {
      ctx.signal.removeEventListener("abort", onAbort);
      if (killTimer) clearTimeout(killTimer);
      const outcome: TargetOutcome = {
        status: "failed",
        stdout: stdout.text(),
        stderr: stderr.text(),
      };
      if (stdout.truncated || stderr.truncated) outcome.outputTruncated = true;
      if (startError !== undefined) {
        outcome.error = new QuiesceError(
          ExecutorErrorCodes.EXEC_START_FAILED,
          `could not start local command "${file}": ${(startError as NodeJS.ErrnoException).code ?? startError.message}`,
          { cause: startError, details: { command: file } },
        );
        resolve(outcome);
        return;
      }
      const exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
      outcome.exitCode = exitCode;
      if (ctx.signal.aborted) {
        outcome.error = ctx.signal.reason;
      } else if (exitCode === 0) {
        outcome.status = "succeeded";
      } else {
        outcome.error = new QuiesceError(
          ErrorCodes.EXEC_NONZERO_EXIT,
          `local command "${file}" exited with code ${exitCode}${signal ? ` (${signal})` : ""}`,
          { details: { command: file, exitCode, stderrTail: lastLine(outcome.stderr ?? "") } },
        );
      }
      resolve(outcome);
    });
  });
}

function lastLine(text: string): string {
  const lines = text.trimEnd().split("\n");
  return redactHead(lines[lines.length - 1] ?? "", 500);
}
