/** What the CLI talks to: streams, working directory and environment, injected so commands are testable. */
import { QuiesceError } from "@quiesce/core";

/** A sink for text (process.stdout, or a buffer in tests). */
export interface TextSink {
  write(text: string): unknown;
}

/** The world a CLI command sees. `main` never touches `process` itself. */
export interface CliIO {
  stdout: TextSink;
  stderr: TextSink;
  /** Relative file paths resolve against this directory. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Aborts a running command (the CLI entry wires SIGINT/SIGTERM to it). */
  signal?: AbortSignal;
}

/** Exit codes: 0 success, 1 a document or action failed, 2 the command line was wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A wrong command line (unknown flag, missing argument): printed with a hint, exit code 2. */
export class UsageError extends QuiesceError {
  override name = "UsageError";
  constructor(message: string) {
    super("QUIESCE_CLI_USAGE", message);
  }
}
