/** What the CLI talks to: streams, working directory and environment, injected so commands are testable. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";

/** A sink for text (process.stdout, or a buffer in tests). */
export interface TextSink {
  write(text: string): unknown;
}

/** The world a CLI command sees. `main` never touches `process` itself. */
export interface CliIO {
  stdout: TextSink;
  stderr: TextSink;
  /** Read when a file argument is `-` (as `kubectl apply -f -`). */
  stdin?: AsyncIterable<Uint8Array | string>;
  /** Relative file paths resolve against this directory. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Aborts a running command (the CLI entry wires SIGINT/SIGTERM to it, with a reason made by
   * {@link interruption}). The command then cancels, runs its cleanup, and `main` resolves to
   * 130 (SIGINT) or 143 (SIGTERM).
   */
  signal?: AbortSignal;
}

/** Exit codes: 0 success, 1 a document or action failed, 2 the command line was wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** 128 + SIGINT, as shells report a command stopped by Ctrl-C. */
export const EXIT_INTERRUPTED = 130;

const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

/** The abort reason for a signal received by the process: a `QUIESCE_ABORTED` error naming it. */
export function interruption(signal: string): QuiesceError {
  return new QuiesceError(ErrorCodes.ABORTED, `interrupted by ${signal}`, { details: { signal } });
}

/** 128 + the signal's number for an {@link interruption} (130 for anything else). */
export function interruptedExitCode(reason: unknown): number {
  const signal = reason instanceof QuiesceError ? reason.details.signal : undefined;
  const n = typeof signal === "string" ? SIGNAL_NUMBERS[signal] : undefined;
  return n === undefined ? EXIT_INTERRUPTED : 128 + n;
}

/** A wrong command line (unknown flag, missing argument): printed with a hint, exit code 2. */
export class UsageError extends QuiesceError {
  override name = "UsageError";
  constructor(message: string) {
    super("QUIESCE_CLI_USAGE", message);
  }
}
