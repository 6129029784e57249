/**
 * @quiesce/core — the shared base of every quiesce package: {@link QuiesceError} with stable string
 * codes and secret redaction, Go-style durations, and signal/timeout/concurrency helpers.
 * @module @quiesce/core
 * @packageDocumentation
 */

export type { BackoffOptions } from "./concurrency.js";
export { backoffDelay, mapSettledLimit } from "./concurrency.js";
export type { DocumentLimits, YamlDocumentLike } from "./document-shape.js";
export {
  appendPath,
  assertDocumentShape,
  codedLoad,
  DEFAULT_DOCUMENT_LIMITS,
  MAX_YAML_ALIAS_COUNT,
  yamlDocumentToValue,
} from "./document-shape.js";
export { formatDuration, parseDuration, toMilliseconds } from "./duration.js";
export type { ErrorCode, QuiesceErrorOptions, SerializedError } from "./errors.js";
export { ErrorCodes, QuiesceError, serializeError } from "./errors.js";
export { DurationParseError, goDurationString, parseGoDuration } from "./go-duration.js";
export type { FieldsFirstLogger, LogFields, Logger } from "./logger.js";
export { fieldsFirst, isFieldsFirst, noopLogger, toLogger } from "./logger.js";
export type { CutEdges } from "./redact.js";
export {
  redactCredentials,
  redactHead,
  redactTail,
  redactText,
  registerSecret,
  secretForms,
} from "./redact.js";
export type { CleanupScope, Deadline, LinkedSignal, OperationOptions } from "./signals.js";
export {
  abortedError,
  createCleanupScope,
  createDeadline,
  linkSignals,
  raceAbort,
  settleWithin,
  sleep,
  throwIfAborted,
  timeoutError,
  withDeadline,
} from "./signals.js";
