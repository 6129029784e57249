/** The logger port: quiesce never writes to the console, it calls the host's logger if given one. */

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** A minimal structured logger (pino, winston and console-like loggers all fit behind it). */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A logger that discards everything: the default. */
export const noopLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});
