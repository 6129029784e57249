/** Which failed requests may be retried, and when: transient API answers and dropped connections. */
import { type BackoffOptions, backoffDelay } from "@quiesce/core";

/** Retry settings of the adapter. */
export interface RetryPolicy extends BackoffOptions {
  /** Attempts in total, the first included (default 5). 1 disables retries. */
  maxAttempts?: number;
  /** Longest `Retry-After` honoured, in ms (default 30 s); longer hints are capped. */
  maxRetryAfterMs?: number;
}

/** What went wrong with one attempt. */
export interface AttemptFailure {
  /** The HTTP status when the server answered. */
  statusCode?: number | undefined;
  /** `Retry-After` header value, when present. */
  retryAfter?: string | undefined;
  /** The transport error (connection reset, refused, …) when there was no answer. */
  error?: unknown;
}

const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
// The request may have reached the server and been acted upon: only idempotent calls retry these.
const RESET_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);
// The connection was never established, so nothing was sent: safe to retry any call.
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT", "EAI_AGAIN"]);

function errorCodes(error: unknown): string[] {
  const out: string[] = [];
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e !== null && typeof e === "object"; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") out.push(code);
    const message = (e as { message?: unknown }).message;
    if (typeof message === "string" && /socket hang up|other side closed/i.test(message))
      out.push("ECONNRESET");
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

/** True when `error` is a dropped connection (reset, hang-up, closed by the other side). */
export function isConnectionReset(error: unknown): boolean {
  return errorCodes(error).some((c) => RESET_CODES.has(c));
}

/**
 * Decides whether an attempt may be retried. 429 is retried for every call (the server refused
 * before doing anything) and so is a connection that was never established; 500/502/503/504 and
 * dropped connections only for idempotent calls — a POST whose connection reset may have created
 * the object, so it is never retried blindly.
 *
 * @example
 * ```ts
 * isRetryable({ statusCode: 503 }, true); // true
 * isRetryable({ error: resetError }, false); // false
 * ```
 */
export function isRetryable(failure: AttemptFailure, idempotent: boolean): boolean {
  if (failure.statusCode !== undefined) {
    if (failure.statusCode === 429) return true;
    return idempotent && TRANSIENT_STATUS.has(failure.statusCode);
  }
  const codes = errorCodes(failure.error);
  if (codes.some((c) => NOT_SENT_CODES.has(c))) return true;
  return idempotent && codes.some((c) => RESET_CODES.has(c));
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number.parseFloat(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The delay before retry number `attempt` (1-based): `Retry-After` when given (capped), else jittered backoff. */
export function retryDelay(
  attempt: number,
  failure: AttemptFailure,
  policy: RetryPolicy = {},
  random: () => number = Math.random,
): number {
  const hinted = parseRetryAfter(failure.retryAfter);
  if (hinted !== undefined) return Math.min(hinted, policy.maxRetryAfterMs ?? 30_000);
  return backoffDelay(attempt, { baseMs: 100, maxMs: 5_000, ...policy }, random);
}
