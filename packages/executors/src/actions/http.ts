/** The httpGet and httpPost actions, through undici with time limits, the run's signal and TLS verification. */
import { ErrorCodes, QuiesceError, redactText, registerSecret, serializeError } from "@quiesce/core";
import { TailBuffer } from "@quiesce/kube";
import { Agent, request } from "undici";
import type { HttpGetAction, HttpPostAction } from "../action-schema.js";
import { remainingMs } from "../errors.js";
import type { ExecutorContext } from "../executor.js";
import type { TargetOutcome } from "../result.js";

// Header names whose values are credentials: registered as secrets while the request runs, so no
// error, result or log line quiesce produces can carry them.
const SENSITIVE_HEADER = /authorization|cookie|token|secret|password|api-?key/i;
// Reading stops after this many times the output limit: an endless body cannot hold a hook forever.
const READ_FACTOR = 16;

/** Where the request goes, once host and port were resolved by the executor. */
export interface HttpEndpoint {
  host: string;
  port: number;
}

/**
 * Performs an httpGet or httpPost. Success is 200 ≤ status < 400 (redirects are not followed: a 3xx
 * is the answer). The status and the tail of the body are recorded either way.
 */
export async function runHttpAction(
  method: "GET" | "POST",
  spec: HttpGetAction | HttpPostAction,
  endpoint: HttpEndpoint,
  ctx: ExecutorContext,
): Promise<TargetOutcome> {
  const url = buildUrl(spec, endpoint);
  const headers: string[] = [];
  const undo: Array<() => void> = [];
  for (const h of spec.httpHeaders ?? []) {
    headers.push(h.name, h.value);
    if (SENSITIVE_HEADER.test(h.name)) undo.push(registerSecret(h.value));
  }
  let body: string | undefined;
  if (method === "POST") {
    const post = spec as HttpPostAction;
    if (post.form !== undefined) {
      const form = new URLSearchParams();
      for (const entry of post.form) for (const v of entry.values ?? []) form.append(entry.key, v);
      body = form.toString();
      if (!hasHeader(spec, "content-type")) headers.push("content-type", "application/x-www-form-urlencoded");
    } else {
      body = post.body ?? "";
    }
  }
  const limit = ctx.settings.outputLimitBytes;
  const timeout = remainingMs(ctx.deadline);
  const tls: { rejectUnauthorized: boolean; ca?: string | string[] } = {
    rejectUnauthorized: ctx.settings.tls.rejectUnauthorized,
  };
  if (ctx.settings.tls.ca !== undefined)
    tls.ca = typeof ctx.settings.tls.ca === "string" ? ctx.settings.tls.ca : [...ctx.settings.tls.ca];
  const agent = new Agent({
    connect: { timeout, ...tls },
    headersTimeout: timeout,
    bodyTimeout: timeout,
  });
  const what = `${method} ${url}`;
  try {
    const res = await request(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      dispatcher: agent,
      signal: ctx.signal,
    });
    const tail = new TailBuffer(limit);
    let read = 0;
    let bodyError: unknown;
    try {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        tail.write(chunk);
        read += chunk.byteLength;
        if (read > limit * READ_FACTOR) {
          res.body.destroy();
          break;
        }
      }
    } catch (err) {
      bodyError = err;
    }
    const outcome: TargetOutcome = {
      status: res.statusCode >= 200 && res.statusCode < 400 ? "succeeded" : "failed",
      httpStatus: res.statusCode,
      responseBody: redactText(tail.text()),
    };
    if (tail.truncated || read > limit * READ_FACTOR) outcome.outputTruncated = true;
    if (bodyError !== undefined) {
      // A body cut short still leaves the status and what was read; the request did not complete.
      outcome.status = "failed";
      outcome.error = serializeError(
        ctx.signal.aborted
          ? ctx.signal.reason
          : new QuiesceError(
              ErrorCodes.HTTP_FAILED,
              `${what}: the response body was cut short: ${describe(bodyError)}`,
              {
                cause: bodyError,
                details: { url, method, status: res.statusCode },
              },
            ),
      );
    } else if (outcome.status === "failed") {
      outcome.error = serializeError(
        new QuiesceError(
          ErrorCodes.HTTP_FAILED,
          `${what} answered ${res.statusCode} (success is 200 ≤ status < 400)`,
          {
            details: { url, method, status: res.statusCode },
          },
        ),
      );
    }
    return outcome;
  } catch (err) {
    const cause = ctx.signal.aborted ? ctx.signal.reason : err;
    const error =
      ctx.signal.aborted && QuiesceError.is(cause)
        ? cause
        : new QuiesceError(ErrorCodes.HTTP_FAILED, `${what} failed: ${describe(err)}`, {
            cause: err,
            details: { url, method, errorCode: (err as { code?: unknown }).code },
          });
    // Serialized now, while credential headers are still registered as secrets.
    return { status: "failed", error: serializeError(error) };
  } finally {
    for (const u of undo) u();
    agent.destroy().catch(() => {});
  }
}

function hasHeader(spec: HttpGetAction, name: string): boolean {
  return (spec.httpHeaders ?? []).some((h) => h.name.toLowerCase() === name);
}

function buildUrl(spec: HttpGetAction, endpoint: HttpEndpoint): string {
  const scheme = spec.scheme === "HTTPS" ? "https" : "http";
  const host =
    endpoint.host.includes(":") && !endpoint.host.startsWith("[") ? `[${endpoint.host}]` : endpoint.host;
  let path = spec.path ?? "/";
  if (!path.startsWith("/")) path = `/${path}`;
  return `${scheme}://${host}:${endpoint.port}${path}`;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const inner = err.cause instanceof Error ? ` (${err.cause.message})` : "";
    return `${err.message}${typeof code === "string" ? ` [${code}]` : ""}${inner}`;
  }
  return String(err);
}
