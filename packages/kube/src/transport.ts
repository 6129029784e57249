/**
 * The request layer under the adapter: authentication from client-node's KubeConfig, HTTP through
 * undici (the client client-node itself uses), client-side rate limiting, retries of transient
 * failures for idempotent calls, and Status bodies mapped to typed errors.
 *
 * Why not client-node's generated API classes: the port addresses any group/version/resource
 * (custom resources included) by path, needs the Status body of every failure, and needs one
 * place for retries and rate limiting. client-node still does all the authentication
 * (`applySecurityAuthentication`: tokens, exec plugins, client certificates, CA, proxies).
 */

import type { SecureContext } from "node:tls";
import { ApiException, type KubeConfig, RequestContext } from "@kubernetes/client-node";
import {
  createDeadline,
  ErrorCodes,
  type Logger,
  QuiesceError,
  raceAbort,
  redactHead,
  sleep,
  toLogger,
} from "@quiesce/core";
import { type Dispatcher, request } from "undici";
import type WebSocket from "ws";
import { KubeApiError, type RequestFacts } from "./errors.js";
import type { ExecConnection } from "./exec-channel.js";
import type { DirectTarget } from "./exec-socket.js";
import { type HeartbeatOptions, type ResolvedHeartbeat, resolveHeartbeat } from "./heartbeat.js";
import { type RateLimit, TokenBucket } from "./rate-limiter.js";
import { type AttemptFailure, isRetryable, type RetryPolicy, retryDelay } from "./retry.js";
import { parseStatus } from "./status.js";
import { SharedSecureContext } from "./tls-context.js";

/** One API call. */
export interface ApiRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Absolute API path, e.g. `/api/v1/namespaces/db/pods`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined> | undefined;
  /** A JSON body (serialised here). */
  body?: unknown;
  /** Content type of the body (default `application/json`). */
  contentType?: string | undefined;
  /**
   * Whether repeating the call is harmless (GET, LIST, WATCH setup, DELETE of a named object, PUT of
   * a fixed value). Only idempotent calls are retried after a 5xx or a dropped connection.
   */
  idempotent: boolean;
  /** What the call does, for errors. */
  facts: RequestFacts;
  signal?: AbortSignal | undefined;
  /** Time limit of the whole call including retries and reading the answer (default: the transport's). */
  timeoutMs?: number | undefined;
  /**
   * Streaming calls only: the stream fails (undici's body timeout) once nothing has arrived for
   * this long. Default: none (a followed log may stay quiet for hours).
   */
  idleTimeoutMs?: number | undefined;
}

/** Settings of a {@link Transport}. */
export interface TransportOptions extends RateLimit {
  retry?: RetryPolicy | undefined;
  logger?: Logger | undefined;
  /** Time limit of one call (with its retries) when the caller gives none; default 30 s. */
  defaultTimeoutMs?: number | undefined;
  /** Exec subprotocols offered, best first (default v5, then v4). */
  execProtocols?: readonly string[] | undefined;
  /** Ping/pong liveness of exec sessions (default: on, 5 s pings, lost after 61 s); `false` turns it off. */
  execHeartbeat?: HeartbeatOptions | false | undefined;
  /** Silence after which a watch stream counts as lost and is re-opened (default 320 s). */
  watchIdleTimeoutMs?: number | undefined;
}

interface Auth {
  headers: Record<string, string>;
  dispatcher: Dispatcher | undefined;
  at: number;
}

/**
 * Default silence after which a watch counts as lost: the server ends every watch quiesce opens
 * after 290 s (`timeoutSeconds`), so nothing at all — no event, no bookmark, no end — for 30 s
 * longer means the connection is dead (HTTP/1.1 has no ping; client-go relies on HTTP/2 pings).
 */
export const DEFAULT_WATCH_IDLE_MS = 320_000;

// Headers are re-derived periodically so rotating tokens (exec plugins, projected tokens) are picked up.
const AUTH_TTL_MS = 10_000;
const MAX_ERROR_BODY = 64 * 1024;

/** The WebSocket options of the current credentials, and what direct exec connections derive from them. */
interface WsSettings {
  opts: WebSocket.ClientOptions;
  at: number;
  /** A `proxy-url` in the kubeconfig: exec connections go through `ws` and client-node's agent. */
  proxied: boolean;
  direct?: DirectSettings;
}

/** The parts of a direct exec connection that are the same for every exec (never modified). */
interface DirectSettings {
  headers: Record<string, string>;
  tls?: Omit<NonNullable<DirectTarget["tls"]>, "session" | "onSession">;
}

/** An open streaming response (watch, log follow). */
export interface OpenStream {
  body: AsyncIterable<Buffer> & { destroy(error?: Error): void };
  statusCode: number;
}

/** The HTTP layer of one cluster connection. */
export class Transport {
  readonly server: string;
  readonly limiter: TokenBucket;
  readonly retry: RetryPolicy;
  readonly logger: Logger;
  readonly defaultTimeoutMs: number;
  readonly execProtocols: readonly string[] | undefined;
  /** Exec liveness settings in force (undefined: off). */
  readonly execHeartbeat: ResolvedHeartbeat | undefined;
  /** Silence after which a watch stream counts as lost (ms). */
  readonly watchIdleTimeoutMs: number;
  private auth: Auth | undefined;
  private wsAuth: WsSettings | undefined;
  /** The server's URL with `ws:`/`wss:` for `http:`/`https:`. */
  private readonly wsServer: string;
  private dispatcher: Dispatcher | undefined;
  private readonly execTls = new SharedSecureContext();
  /** The last TLS session an exec connection got, resumed by the next one. */
  private execSession: Buffer | undefined;

  constructor(
    readonly kubeConfig: KubeConfig,
    options: TransportOptions = {},
  ) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster)
      throw new KubeApiError(
        { verb: "connect" },
        {},
        { details: { why: "no current cluster in the kubeconfig" } },
      );
    this.server = cluster.server.replace(/\/+$/, "");
    this.wsServer = this.server.replace(/^http/, "ws");
    this.limiter = new TokenBucket(options);
    this.retry = options.retry ?? {};
    this.logger = toLogger(options.logger);
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
    this.execProtocols = options.execProtocols;
    this.execHeartbeat = resolveHeartbeat(options.execHeartbeat);
    this.watchIdleTimeoutMs = options.watchIdleTimeoutMs ?? DEFAULT_WATCH_IDLE_MS;
  }

  private async authenticate(): Promise<Auth> {
    const now = Date.now();
    if (this.auth && now - this.auth.at < AUTH_TTL_MS) return this.auth;
    const ctx = new RequestContext(`${this.server}/`, "GET");
    try {
      await this.kubeConfig.applySecurityAuthentication(ctx);
    } catch (err) {
      throw this.authFailure(err);
    }
    // client-node builds a new connection pool on every call; keep the first so connections are reused.
    this.dispatcher ??= ctx.getDispatcher() as Dispatcher | undefined;
    this.auth = { headers: { ...ctx.getHeaders() }, dispatcher: this.dispatcher, at: now };
    return this.auth;
  }

  /** The URL of an API path with its query. */
  url(path: string, query?: ApiRequest["query"]): string {
    if (query === undefined) return `${this.server}${path}`;
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return `${this.server}${path}${qs ? `?${qs}` : ""}`;
  }

  /**
   * Options for a WebSocket to the API server (exec), authenticated like client-node's
   * WebSocketHandler. Derived at most every few seconds, like the request headers. Every exec is a
   * new connection, so the TLS cost is per exec: client-node's agent (one per cluster and user)
   * caches the TLS session, so each handshake after the first is resumed, and one SecureContext
   * serves every connection instead of a new one per `tls.connect`.
   */
  async webSocketOptions(): Promise<WebSocket.ClientOptions> {
    const { opts } = await this.wsSettings();
    // A copy per session: ws adds to the headers it is given.
    return { ...opts, ...(opts.headers ? { headers: { ...opts.headers } } : {}) };
  }

  private async wsSettings(): Promise<WsSettings> {
    const now = Date.now();
    if (!this.wsAuth || now - this.wsAuth.at >= AUTH_TTL_MS) {
      const opts: WebSocket.ClientOptions = {};
      try {
        await this.kubeConfig.applyToHTTPSOptions(opts);
      } catch (err) {
        throw this.authFailure(err);
      }
      const proxied = Boolean(this.kubeConfig.getCurrentCluster()?.proxyUrl);
      // Behind a proxy the agent builds the tunnel and its own TLS settings: left as they are.
      if (this.server.startsWith("https:") && !proxied) {
        (opts as { secureContext?: SecureContext }).secureContext = this.execTls.for(
          opts as Record<string, unknown>,
        );
      }
      this.wsAuth = { opts, at: now, proxied };
    }
    return this.wsAuth;
  }

  /**
   * How an exec session reaches `path` (an API path with its query): directly on a socket of its
   * own — TLS with the shared context and the last session the server issued, so the handshake is
   * resumed — or, behind a proxy, through `ws` with client-node's agent, which builds the tunnel.
   * The headers and TLS settings are derived once per credentials refresh, not per exec.
   */
  async execConnection(path: string): Promise<ExecConnection> {
    const settings = await this.wsSettings();
    const url = `${this.wsServer}${path}`;
    if (settings.proxied) return { kind: "ws", url, wsOptions: await this.webSocketOptions() };
    settings.direct ??= this.directSettings(settings.opts);
    const { headers, tls } = settings.direct;
    const target: DirectTarget = { url: new URL(url), headers };
    if (tls) target.tls = { ...tls, session: this.execSession, onSession: this.keepExecSession };
    return { kind: "direct", target };
  }

  private readonly keepExecSession = (session: Buffer) => {
    this.execSession = session;
  };

  private directSettings(opts: WebSocket.ClientOptions): DirectSettings {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(opts.headers ?? {})) headers[name] = String(value);
    // Basic credentials (a kubeconfig username/password), unless a token is already there — as node:http does.
    const auth = (opts as { auth?: string }).auth;
    if (auth && !Object.keys(headers).some((h) => h.toLowerCase() === "authorization")) {
      headers.Authorization = `Basic ${Buffer.from(auth).toString("base64")}`;
    }
    if (!this.wsServer.startsWith("wss:")) return { headers };
    // Never plain TCP to an https server: the context is the shared one wsSettings set.
    const secureContext =
      (opts as { secureContext?: SecureContext }).secureContext ??
      this.execTls.for(opts as Record<string, unknown>);
    return {
      headers,
      tls: {
        secureContext,
        rejectUnauthorized: opts.rejectUnauthorized,
        servername: (opts as { servername?: string }).servername,
      },
    };
  }

  // Credentials that cannot be applied (exec plugin failing, unreadable certificate, plain http
  // without insecure-skip-tls-verify) are reported as a coded error naming the server.
  private authFailure(err: unknown): QuiesceError {
    const why = err instanceof Error ? err.message : String(err);
    return new QuiesceError(ErrorCodes.KUBE_API, `cannot authenticate to ${this.server}: ${why}`, {
      cause: err,
      details: { server: this.server },
    });
  }

  /**
   * Sends a call and parses the JSON answer. The answer's body is read under the call's time limit
   * too: a server that sends its headers and then stalls cannot hold the call past it.
   */
  async json<T>(req: ApiRequest): Promise<T> {
    const text = await this.send(req, false, (res) => res.body.text());
    return (text === "" ? {} : JSON.parse(text)) as T;
  }

  /** Opens a streaming answer (watch, log follow); only opening is retried. */
  async stream(req: ApiRequest): Promise<OpenStream> {
    const res = await this.send(req, true, async (r) => r);
    return { body: res.body as unknown as OpenStream["body"], statusCode: res.statusCode };
  }

  private async send<T>(
    req: ApiRequest,
    streaming: boolean,
    read: (res: Dispatcher.ResponseData) => Promise<T>,
  ): Promise<T> {
    const maxAttempts = Math.max(1, this.retry.maxAttempts ?? 5);
    const timeoutMs = req.timeoutMs ?? this.defaultTimeoutMs;
    const what = `${req.facts.verb} ${req.facts.resource ?? req.path}`;
    // A streaming call's deadline covers opening only (its timer is cleared once the answer's headers
    // arrive); after that, the caller's signal governs the body.
    const deadline = createDeadline({ signal: req.signal, timeoutMs }, what);
    const signal = streaming && req.signal ? AbortSignal.any([req.signal, deadline.signal]) : deadline.signal;
    const url = this.url(req.path, req.query);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    try {
      for (let attempt = 1; ; attempt++) {
        await this.limiter.take({ signal: deadline.signal });
        const auth = await this.authenticate();
        const headers: Record<string, string> = { ...auth.headers, accept: "application/json" };
        if (body !== undefined) headers["content-type"] = req.contentType ?? "application/json";
        let failure: AttemptFailure;
        let answered: { statusCode: number; text: string; headers: Record<string, unknown> } | undefined;
        try {
          const res = await raceAbort(
            request(url, {
              method: req.method,
              headers,
              ...(body !== undefined ? { body } : {}),
              signal,
              // A followed log may stay quiet for long: the caller's signal bounds it instead; a watch
              // passes the silence after which its connection counts as lost.
              ...(streaming ? { bodyTimeout: req.idleTimeoutMs ?? 0 } : {}),
              ...(auth.dispatcher ? { dispatcher: auth.dispatcher } : {}),
            }),
            deadline.signal,
          );
          if (res.statusCode < 400) return await raceAbort(read(res), deadline.signal);
          const text = await readLimited(res.body);
          const retryAfter = res.headers["retry-after"];
          answered = { statusCode: res.statusCode, text, headers: res.headers };
          failure = {
            statusCode: res.statusCode,
            retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
          };
        } catch (error) {
          if (deadline.signal.aborted) throw deadline.signal.reason;
          failure = { error };
        }
        if (attempt < maxAttempts && isRetryable(failure, req.idempotent)) {
          const delay = retryDelay(attempt, failure, this.retry);
          this.logger.debug("retrying Kubernetes API call", {
            verb: req.facts.verb,
            resource: req.facts.resource,
            attempt,
            delayMs: delay,
            statusCode: failure.statusCode,
          });
          await sleep(delay, { signal: deadline.signal });
          continue;
        }
        if (answered) {
          const status = parseStatus(answered.text);
          const cause = new ApiException(
            answered.statusCode,
            `HTTP-Code: ${answered.statusCode}\nMessage: ${req.facts.verb} failed\nBody: ${redactHead(answered.text, 2000)}`,
            answered.text,
            stringHeaders(answered.headers),
          );
          throw new KubeApiError(
            req.facts,
            { statusCode: answered.statusCode, status, text: answered.text },
            {
              cause,
              attempts: attempt,
            },
          );
        }
        throw new KubeApiError(req.facts, {}, { cause: failure.error, attempts: attempt });
      }
    } finally {
      deadline.dispose();
    }
  }
}

function stringHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = String(v);
  return out;
}

async function readLimited(body: Dispatcher.ResponseData["body"]): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (size < MAX_ERROR_BODY) chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_ERROR_BODY) break;
    }
  } catch {
    // a truncated error body still says what it can
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).toString("utf8");
}
