/** The httpGet and httpPost actions as KubeStash's prober performs them, through undici with time limits, the run's signal and TLS verification. */
import {
  createDeadline,
  ErrorCodes,
  formatDuration,
  QuiesceError,
  redactText,
  registerSecret,
  serializeError,
} from "@quiesce/core";
import { TailBuffer } from "@quiesce/kube";
import { Agent, type Dispatcher, request } from "undici";
import type { HttpGetAction, HttpPostAction } from "../action-schema.js";
import { remainingMs } from "../errors.js";
import type { ExecutorContext } from "../executor.js";
import type { TargetOutcome } from "../result.js";
import { postBody } from "./http-body.js";

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

// kmodules.xyz/prober probe/http/common.go: the User-Agent the prober sends unless the hook sets one.
const PROBER_USER_AGENT = "kmodules.xyz/client-go/release-11.0";
// Go's http.Client redirect statuses, and the checker's limit ("stopped after 10 redirects").
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REQUESTS = 10;

// kmodules.xyz/prober probe/prober.go: strings.ToLower(scheme).
const schemeOf = (spec: HttpGetAction): string => (spec.scheme ?? "").toLowerCase();

/** One request of a probe: where, how, with what. */
interface Hop {
  url: URL;
  method: "GET" | "POST";
  body: string | undefined;
}

/**
 * Performs an httpGet or httpPost as KubeStash's prober does (kmodules.xyz/prober
 * probe/http): success is 200 ≤ status < 400; redirects to the same host name are followed (at
 * most 10 requests, Go's method and body rules), a redirect to another host is the answer (a
 * success); an httpPost `form` or non-empty `body` sets the Content-Type (see http-body.ts); the
 * prober's User-Agent unless the hook sets one. The status and the tail of the body are recorded
 * either way. TLS is verified unless the run or the hook says `insecureSkipTLSVerify`.
 */
export async function runHttpAction(
  method: "GET" | "POST",
  spec: HttpGetAction | HttpPostAction,
  endpoint: HttpEndpoint,
  ctx: ExecutorContext,
): Promise<TargetOutcome> {
  const what = `${method} ${describeTarget(spec, endpoint)}`;
  // kmodules.xyz/prober probe/prober.go lower-cases the scheme into the URL; Go's client takes only
  // http and https ("unsupported protocol scheme"), so no request is made with another or none.
  const scheme = schemeOf(spec);
  if (scheme !== "http" && scheme !== "https") {
    const why =
      scheme === ""
        ? "scheme is not set; KubeStash's prober sends no request without one (set scheme: HTTP or HTTPS)"
        : `unsupported protocol scheme "${scheme}" (KubeStash's prober takes HTTP or HTTPS, in any case)`;
    return {
      status: "failed",
      error: serializeError(
        new QuiesceError(ErrorCodes.HTTP_FAILED, `${what}: ${why}`, { details: { method, scheme } }),
      ),
    };
  }
  const headers: Array<[string, string]> = [];
  const undo: Array<() => void> = [];
  for (const h of spec.httpHeaders ?? []) {
    headers.push([h.name, h.value]);
    if (SENSITIVE_HEADER.test(h.name)) undo.push(registerSecret(h.value));
  }
  if (!hasHeader(spec, "user-agent")) headers.push(["User-Agent", PROBER_USER_AGENT]);
  let body: string | undefined;
  if (method === "POST") {
    const post = postBody(spec as HttpPostAction);
    body = post.body;
    if (post.contentType !== undefined) {
      // headers.Set(ContentType, …): the prober's value replaces the hook's.
      for (let i = headers.length - 1; i >= 0; i--)
        if (headers[i]?.[0].toLowerCase() === "content-type") headers.splice(i, 1);
      headers.push(["Content-Type", post.contentType]);
    }
  }
  const limit = ctx.settings.outputLimitBytes;
  // The prober's http.Client{Timeout: DefaultProbeTimeout} bounds the whole exchange, redirects and
  // body included; the run's own limit (none by default) may end it sooner.
  const probeMs = ctx.settings.probeTimeoutMs;
  const timeout = Math.min(probeMs, remainingMs(ctx.deadline));
  const probe = createDeadline({ signal: ctx.signal, timeoutMs: probeMs }, what);
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
  const first = new URL(buildUrl(spec, endpoint));
  let hop: Hop = { url: first, method, body };
  try {
    for (let requests = 1; ; requests++) {
      const res = await request(hop.url, {
        method: hop.method,
        headers: headers.flat(),
        ...(hop.body === undefined ? {} : { body: hop.body }),
        dispatcher: agent,
        signal: probe.signal,
      });
      const location = REDIRECTS.has(res.statusCode) ? res.headers.location : undefined;
      const next = typeof location === "string" && location !== "" ? new URL(location, hop.url) : undefined;
      // The prober's redirect checker: another host name ends the chain with this response.
      if (next !== undefined && next.hostname === first.hostname) {
        await res.body.dump().catch(() => {});
        if (requests >= MAX_REQUESTS) {
          throw new QuiesceError(ErrorCodes.HTTP_FAILED, `${what}: stopped after 10 redirects`, {
            details: { url: hop.url.href, method, status: res.statusCode },
          });
        }
        hop = redirect(hop, res.statusCode, next, headers);
        continue;
      }
      return await answer(res, hop, what, limit, ctx, probe);
    }
  } catch (err) {
    const cause = ctx.signal.aborted ? ctx.signal.reason : probe.timedOut ? probeTimeout(what, probeMs) : err;
    const error =
      QuiesceError.is(cause) &&
      (ctx.signal.aborted || probe.timedOut || QuiesceError.is(err, ErrorCodes.HTTP_FAILED))
        ? cause
        : new QuiesceError(ErrorCodes.HTTP_FAILED, `${what} failed: ${describe(err)}`, {
            cause: err,
            details: { url: hop.url.href, method, errorCode: (err as { code?: unknown }).code },
          });
    // Serialized now, while credential headers are still registered as secrets.
    return { status: "failed", error: serializeError(error) };
  } finally {
    probe.dispose();
    for (const u of undo) u();
    agent.destroy().catch(() => {});
  }
}

// Go's redirectBehavior: 301/302/303 turn a POST into a GET without body; 307/308 repeat the
// request with its body. The hook's headers go along (same host name), with a Referer.
function redirect(hop: Hop, status: number, next: URL, headers: Array<[string, string]>): Hop {
  const keep = status === 307 || status === 308;
  const referer = hop.url.protocol === "https:" && next.protocol === "http:" ? undefined : refererOf(hop.url);
  for (let i = headers.length - 1; i >= 0; i--)
    if (headers[i]?.[0].toLowerCase() === "referer") headers.splice(i, 1);
  if (referer !== undefined) headers.push(["Referer", referer]);
  return {
    url: next,
    method: keep ? hop.method : "GET",
    body: keep ? hop.body : undefined,
  };
}

function refererOf(url: URL): string {
  const u = new URL(url.href);
  u.username = "";
  u.password = "";
  u.hash = "";
  return u.href;
}

// A probe that ran out of the prober's time: a failed request (the prober's Failure), not the run's timeout.
function probeTimeout(what: string, ms: number): QuiesceError {
  return new QuiesceError(
    ErrorCodes.HTTP_FAILED,
    `${what}: no complete answer within ${formatDuration(ms)} (the prober's time limit per request)`,
    { details: { probeTimeoutMs: ms } },
  );
}

async function answer(
  res: Dispatcher.ResponseData,
  hop: Hop,
  what: string,
  limit: number,
  ctx: ExecutorContext,
  probe: { readonly timedOut: boolean },
): Promise<TargetOutcome> {
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
  const details = { url: hop.url.href, method: hop.method, status: res.statusCode };
  if (bodyError !== undefined) {
    // A body cut short still leaves the status and what was read; the request did not complete.
    outcome.status = "failed";
    outcome.error = serializeError(
      ctx.signal.aborted
        ? ctx.signal.reason
        : probe.timedOut
          ? probeTimeout(what, ctx.settings.probeTimeoutMs)
          : new QuiesceError(
              ErrorCodes.HTTP_FAILED,
              `${what}: the response body was cut short: ${describe(bodyError)}`,
              { cause: bodyError, details },
            ),
    );
  } else if (outcome.status === "failed") {
    outcome.error = serializeError(
      new QuiesceError(
        ErrorCodes.HTTP_FAILED,
        `${what} answered ${res.statusCode} (success is 200 ≤ status < 400)`,
        { details },
      ),
    );
  }
  return outcome;
}

function hasHeader(spec: HttpGetAction, name: string): boolean {
  return (spec.httpHeaders ?? []).some((h) => h.name.toLowerCase() === name);
}

function describeTarget(spec: HttpGetAction, endpoint: HttpEndpoint): string {
  const scheme = schemeOf(spec);
  return scheme === "http" || scheme === "https"
    ? buildUrl(spec, endpoint)
    : `${scheme === "" ? "" : `${scheme}:`}//${endpoint.host}:${endpoint.port}${spec.path ?? ""}`;
}

function buildUrl(spec: HttpGetAction, endpoint: HttpEndpoint): string {
  const scheme = schemeOf(spec);
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
