/** The command `quiesce hooks -- <command>` wraps: a child process, its output passed through, cancellable. */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { QuiesceError } from "@quiesce/core";
import type { CliIO } from "./io.js";

/** How the command ended. */
export interface CommandOutcome {
  argv: string[];
  /** The exit code, or 128 + the signal number when a signal ended it (as shells report it). */
  exitCode: number;
  signal?: string;
  durationMs: number;
}

/** Time a cancelled command gets between SIGTERM and SIGKILL. */
export const COMMAND_KILL_GRACE_MS = 10_000;

/** Code of the error a command that exits non-zero (or cannot start) fails the step with. */
export const COMMAND_FAILED = "QUIESCE_CLI_COMMAND_FAILED";

/**
 * Runs `argv` (no shell) in `io.cwd` with `io.env`; its stdout and stderr go to the CLI's streams.
 * On abort the process gets SIGTERM, then SIGKILL after {@link COMMAND_KILL_GRACE_MS}. Resolves
 * with the outcome whatever the exit code; rejects only when the command cannot be started.
 */
export function runChildCommand(
  argv: readonly string[],
  io: CliIO,
  signal: AbortSignal,
): Promise<CommandOutcome> {
  const started = performance.now();
  const [file, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(file as string, args, {
      cwd: io.cwd,
      env: { ...io.env } as NodeJS.ProcessEnv,
      // The entry point passes the process's stdin; in-process callers give none.
      stdio: [io.stdin ? "inherit" : "ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (chunk: Buffer) => io.stdout.write(chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => io.stderr.write(chunk.toString("utf8")));
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      child.kill("SIGTERM");
      killTimer = setTimeout(() => child.kill("SIGKILL"), COMMAND_KILL_GRACE_MS);
      killTimer.unref();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    const done = () => {
      signal.removeEventListener("abort", onAbort);
      if (killTimer) clearTimeout(killTimer);
    };
    child.once("error", (cause) => {
      done();
      const missing = (cause as NodeJS.ErrnoException).code === "ENOENT";
      reject(
        new QuiesceError(
          COMMAND_FAILED,
          missing ? `${file}: command not found` : `cannot start ${file}: ${cause.message}`,
          { cause, details: { argv: [...argv], exitCode: missing ? 127 : 126 } },
        ),
      );
    });
    child.once("close", (code, sig) => {
      done();
      const durationMs = Math.round(performance.now() - started);
      const n = sig ? (constants.signals as Record<string, number>)[sig] : undefined;
      resolve({
        argv: [...argv],
        exitCode: code ?? (n === undefined ? 1 : 128 + n),
        ...(sig ? { signal: sig } : {}),
        durationMs,
      });
    });
  });
}
