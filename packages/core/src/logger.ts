/**
 * The logger port: quiesce never writes to the console, it calls the host's logger if given one.
 * Loggers come in two argument orders — message first (`console.info(msg, fields)`, winston,
 * consola) and fields first (`pino.info(fields, msg)`, bunyan) — and both fit: {@link toLogger}
 * recognises pino and bunyan instances, and {@link fieldsFirst} adapts any other fields-first one.
 * Either way the port redacts registered secrets from the message and from every string in the
 * fields before the host's logger sees them, whatever a line was built from.
 */
import { redactText, redactValue } from "./redact.js";

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/**
 * The port quiesce logs through, message first. Console-style loggers (`console`, winston,
 * consola) fit as they are; pino and bunyan fit too (recognised and called fields first).
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A logger that takes the fields first and the message second, as pino and bunyan do. */
export interface FieldsFirstLogger {
  debug(fields: LogFields, message?: string): void;
  info(fields: LogFields, message?: string): void;
  warn(fields: LogFields, message?: string): void;
  error(fields: LogFields, message?: string): void;
}

/** A logger that discards everything: the default. */
export const noopLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

const LEVELS = ["debug", "info", "warn", "error"] as const;

function redactFields(fields: LogFields): LogFields {
  return redactValue(fields) as LogFields;
}
type Level = (typeof LEVELS)[number];
const adapted = new WeakMap<object, Logger>();

/** Adapts a fields-first logger (pino, bunyan, or one of your own) to the port. */
export function fieldsFirst(logger: FieldsFirstLogger): Logger {
  const call = (level: Level) => (message: string, fields?: LogFields) =>
    logger[level](fields === undefined ? {} : redactFields(fields), redactText(message));
  return Object.freeze({
    debug: call("debug"),
    info: call("info"),
    warn: call("warn"),
    error: call("error"),
  });
}

/**
 * Whether `logger` is a pino or bunyan instance, which take the fields first. pino's have
 * `bindings()` and a `levels.values` table (pino lib/proto.js); bunyan's have `addStream()`.
 */
export function isFieldsFirst(logger: unknown): logger is FieldsFirstLogger {
  if (logger === null || typeof logger !== "object") return false;
  const l = logger as Record<string, unknown>;
  if (typeof l.child !== "function") return false;
  const levels = l.levels as { values?: unknown } | undefined;
  const pino = typeof l.bindings === "function" && typeof levels?.values === "object";
  const bunyan = typeof l.addStream === "function";
  return pino || bunyan;
}

/**
 * The port for whatever the host passed: undefined → {@link noopLogger}; a pino or bunyan
 * instance → called fields first; any other logger → called message first, without a trailing
 * `undefined` when a line has no fields (so `console` prints just the message).
 *
 * @example
 * ```ts
 * import pino from "pino";
 * toLogger(pino()).info("phase done", { phase: "freeze" }); // pino.info({ phase: "freeze" }, "phase done")
 * toLogger(console).info("phase done", { phase: "freeze" }); // console.info("phase done", { phase: "freeze" })
 * ```
 */
export function toLogger(logger: Logger | FieldsFirstLogger | undefined): Logger {
  if (logger === undefined || logger === noopLogger) return noopLogger;
  const known = adapted.get(logger);
  if (known !== undefined) return known;
  let port: Logger;
  if (isFieldsFirst(logger)) port = fieldsFirst(logger);
  else {
    const host = logger as Logger;
    const call = (level: Level) => (message: string, fields?: LogFields) =>
      fields === undefined
        ? host[level](redactText(message))
        : host[level](redactText(message), redactFields(fields));
    port = Object.freeze({
      debug: call("debug"),
      info: call("info"),
      warn: call("warn"),
      error: call("error"),
    });
  }
  adapted.set(logger, port);
  adapted.set(port, port);
  return port;
}
