/** The local Kubernetes API server: node:http + ws on 127.0.0.1, serving an ObjectStore and a PodIO. */
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type ServerResponse,
  STATUS_CODES,
} from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { sleep } from "@quiesce/core";
import { ApiStatusError } from "../api/errors.js";
import type { ObjectStore, PodIO, StoredObject } from "../api/seams.js";
import type { FaultRule, Faults } from "../faults/faults.js";
import { classify, type RequestInfo } from "./classify.js";
import {
  handleCreate,
  handleDelete,
  handleGet,
  handleList,
  handlePatch,
  handleUpdate,
  type ResourceRequest,
} from "./crud.js";
import { coreVersions, groupDocument, groupList, resourceList, SERVER_VERSION } from "./discovery.js";
import { ExecEndpoint, prepareExec } from "./exec.js";
import { handleLog } from "./log.js";
import { crdSchemaOf, openApiGroupVersion, openApiRoot } from "./openapi.js";
import { sendOpenApiV2 } from "./openapi-v2.js";
import { PortForwardEndpoint, servePortForward } from "./portforward.js";
import { queryBool } from "./query.js";
import { readObjectBody, sendJson, sendStatus, toStatusError } from "./respond.js";
import { answerReview, reviewFor } from "./reviews.js";
import { parseRoute, type Route } from "./route.js";
import { type SelfSignedCertificate, selfSignedCertificate } from "./self-signed.js";
import { SPDY_EXEC_PROTOCOLS, spdyExec } from "./spdy/exec.js";
import { negotiateStreamProtocol, pump, switchToSpdy, wantsSpdy } from "./spdy/upgrade.js";
import { handleWatch } from "./watch.js";

/** Options of {@link createApiServer}. */
export interface ApiServerOptions {
  store: ObjectStore;
  /** Serves exec and log; without it those subresources answer 503. */
  podIO?: PodIO;
  /** Fault injection consulted on every request. */
  faults?: Faults;
  /** When set, every request must carry `Authorization: Bearer <token>` (401 otherwise). */
  token?: string;
  /** Interval of BOOKMARK events on watches that allow them (default 1000 ms). */
  bookmarkIntervalMs?: number;
  /**
   * Serve HTTPS: `true` makes a throwaway self-signed certificate for 127.0.0.1, or pass your own.
   * Plain HTTP is the default; TLS is what kubectl needs to send the bearer token at all (it never
   * sends credentials over http), and `certificateAuthority` then goes into the kubeconfig.
   */
  tls?: boolean | SelfSignedCertificate;
}

/** A running API server. */
export interface ApiServer {
  /** `http://127.0.0.1:<port>` (or `https://` with `tls`). */
  url: string;
  /** With `tls`: the certificate (PEM) clients must trust — pass it to `kubeconfigFor`. */
  certificateAuthority?: string;
  /** Stops listening and drops every connection (watches, exec sessions). */
  close(): Promise<void>;
}

const DEFAULT_REASONS: Record<number, [string, string]> = {
  400: ["BadRequest", "the server rejected our request for an unknown reason"],
  401: ["Unauthorized", "Unauthorized"],
  403: ["Forbidden", "forbidden: injected fault"],
  404: ["NotFound", "the server could not find the requested resource"],
  409: [
    "Conflict",
    "the object has been modified; please apply your changes to the latest version and try again",
  ],
  410: ["Expired", "too old resource version"],
  429: ["TooManyRequests", "Too many requests, please try again later."],
  500: ["InternalError", "Internal error occurred: injected fault"],
  503: ["ServiceUnavailable", "the server is currently unable to handle the request"],
  504: ["Timeout", "the server was unable to return a response in the time allotted"],
};

function faultError(rule: FaultRule, info: RequestInfo): ApiStatusError {
  const code = rule.status ?? 500;
  const [reason, message] = DEFAULT_REASONS[code] ?? ["InternalError", "injected fault"];
  const details = {
    ...(info.name ? { name: info.name } : {}),
    ...(info.resource ? { kind: info.resource } : {}),
    ...(rule.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: rule.retryAfterSeconds }),
  };
  return new ApiStatusError(
    code,
    rule.reason ?? reason,
    rule.message ?? message,
    Object.keys(details).length ? details : undefined,
  );
}

/** Writes an HTTP error on a socket that asked for an upgrade, then closes it. */
function rejectUpgrade(socket: Duplex, err: unknown): number {
  const e = toStatusError(err);
  const body = JSON.stringify(e.status);
  const retry = e.status.details?.retryAfterSeconds;
  socket.end(
    `HTTP/1.1 ${e.statusCode} ${STATUS_CODES[e.statusCode] ?? "Error"}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      (retry === undefined ? "" : `Retry-After: ${retry}\r\n`) +
      `Connection: close\r\n\r\n${body}`,
  );
  return e.statusCode;
}

/** How a watch's events are disordered by a fault rule, if at all. */
function disorder(rule: FaultRule | undefined): { duplicate: boolean; reorder: boolean } | undefined {
  if (!rule?.duplicateEvents && !rule?.reorderEvents) return undefined;
  return { duplicate: rule.duplicateEvents === true, reorder: rule.reorderEvents === true };
}

/** The API server cannot reach the kubelet of a lost node: exec and log fail as they do then. */
function refuseLostNode(faults: Faults | undefined, pod: StoredObject): void {
  const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  if (!faults?.isNodeLost(node)) return;
  const host = (pod.status as { hostIP?: string } | undefined)?.hostIP ?? "127.0.0.1";
  throw ApiStatusError.internal(`error dialing backend: dial tcp ${host}:10250: i/o timeout`);
}

/** Lets the handler do its work, then resets the connection instead of sending the answer. */
function loseResponse(req: IncomingMessage, res: ServerResponse, record: () => void): void {
  const lose = () => {
    record();
    req.socket.destroy();
    return res;
  };
  res.writeHead = (() => res) as unknown as ServerResponse["writeHead"];
  res.flushHeaders = () => {};
  res.write = (() => {
    lose();
    return false;
  }) as unknown as ServerResponse["write"];
  res.end = lose as unknown as ServerResponse["end"];
}

/** Sends the status line and headers, then nothing: the body (events, log lines, JSON) never comes. */
function silence(res: ServerResponse): void {
  const headersOnly = () => {
    if (!res.headersSent) res.flushHeaders();
  };
  res.write = (() => {
    headersOnly();
    return true;
  }) as unknown as ServerResponse["write"];
  res.end = (() => {
    headersOnly();
    return res;
  }) as unknown as ServerResponse["end"];
}

function routeOf(req: IncomingMessage, store: ObjectStore): { url: URL; route: Route } {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  return { url, route: parseRoute(url.pathname, store) };
}

/**
 * Starts the API server on 127.0.0.1 (a free port).
 *
 * @example
 * ```ts
 * const store = createObjectStore();
 * const server = await createApiServer({ store, podIO, faults: createFaults(), token: "t0k3n" });
 * const kubeconfig = kubeconfigFor(server.url, "t0k3n");
 * // … point @kubernetes/client-node at it …
 * await server.close();
 * ```
 */
export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { store, podIO, faults, token } = options;
  const bookmarkIntervalMs = options.bookmarkIntervalMs ?? 1000;
  const exec = podIO ? new ExecEndpoint(podIO, faults) : undefined;
  const portForward = new PortForwardEndpoint();
  const sockets = new Set<Socket>();
  const detach = faults?.attachStore(store) ?? (() => {});
  let address = "127.0.0.1:0";

  const authorized = (req: IncomingMessage) =>
    token === undefined || req.headers.authorization === `Bearer ${token}`;

  /**
   * Applies a matching fault: `answered` when the fault took the request over (an error status, a
   * reset, a stall), else the rule (if any) whose effect shapes how the request is served.
   */
  const injectFault = async (
    info: RequestInfo,
    answer: (err: ApiStatusError) => number,
    reset: () => void,
    record: (status: number, injected: boolean) => void,
  ): Promise<{ answered: boolean; rule?: FaultRule }> => {
    if (!faults || info.verb === "discovery" || info.verb === "other") return { answered: false };
    const rule = faults.take(info as Parameters<Faults["take"]>[0]);
    if (!rule) return { answered: false };
    if (rule.latencyMs) await sleep(rule.latencyMs);
    if (rule.stall) {
      // Never answered: the socket stays open until the client gives up or the server stops.
      record(0, true);
      return { answered: true };
    }
    if (rule.reset) {
      record(0, true);
      reset();
      return { answered: true };
    }
    if (rule.status !== undefined) {
      record(answer(faultError(rule, info)), true);
      return { answered: true };
    }
    return { answered: false, rule };
  };

  const dispatch = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    route: Route,
    onStart: (s: number) => void,
    rule?: FaultRule,
  ) => {
    switch (route.kind) {
      case "version":
        return sendJson(res, 200, SERVER_VERSION);
      case "api":
        return sendJson(res, 200, coreVersions(address));
      case "apis":
        return sendJson(res, 200, groupList(store.types()));
      case "group": {
        const doc = groupDocument(route.group, store.types());
        if (!doc)
          throw new ApiStatusError(404, "NotFound", "the server could not find the requested resource");
        return sendJson(res, 200, doc);
      }
      case "resources": {
        const doc = resourceList(route.group, route.version, store.types());
        if (!doc)
          throw new ApiStatusError(404, "NotFound", "the server could not find the requested resource");
        return sendJson(res, 200, doc);
      }
      case "unknown":
        throw new ApiStatusError(404, "NotFound", route.message);
    }
    const r: ResourceRequest = {
      req,
      res,
      url,
      store,
      type: route.type,
      namespace: route.type.namespaced ? route.namespace : undefined,
      name: route.name,
      subresource: route.subresource,
    };
    if (
      route.type.namespaced &&
      route.namespace === undefined &&
      (route.name !== undefined || req.method !== "GET")
    ) {
      throw new ApiStatusError(404, "NotFound", "the server could not find the requested resource");
    }
    if (route.subresource === "exec" || route.subresource === "portforward") {
      throw ApiStatusError.badRequest("Upgrade request required");
    }
    if (route.subresource === "log") {
      if (req.method !== "GET")
        throw ApiStatusError.methodNotAllowed(
          "the server does not allow this method on the requested resource",
        );
      if (!podIO)
        throw new ApiStatusError(
          503,
          "ServiceUnavailable",
          "no container runtime is attached to this API server",
        );
      const pod = route.name === undefined ? undefined : store.get(route.type, route.namespace, route.name);
      if (pod) refuseLostNode(faults, pod);
      return handleLog(r, podIO);
    }
    switch (req.method) {
      case "GET": {
        const w = queryBool(url.searchParams, "watch");
        if (route.watch || (w && route.name !== undefined)) {
          // `/watch/<resource>/<name>` (deprecated) and `<resource>/<name>?watch=true` watch one object.
          if (route.name !== undefined) url.searchParams.set("fieldSelector", `metadata.name=${route.name}`);
          return handleWatch(
            { ...r, name: undefined },
            { faults, bookmarkIntervalMs, onStart, disorder: disorder(rule) },
          );
        }
        if (route.name !== undefined) return handleGet(r);
        if (w) return handleWatch(r, { faults, bookmarkIntervalMs, onStart, disorder: disorder(rule) });
        return handleList(r);
      }
      case "POST":
        return handleCreate(r);
      case "PUT":
        return handleUpdate(r);
      case "PATCH":
        return handlePatch(r);
      case "DELETE":
        return handleDelete(r);
      default:
        throw ApiStatusError.methodNotAllowed(
          `the server does not allow this method on the requested resource`,
        );
    }
  };

  const tls = options.tls === true ? selfSignedCertificate() : options.tls || undefined;
  const onRequest: RequestListener = (req, res) => {
    const at = Date.now();
    const { url, route } = routeOf(req, store);
    const info = classify(req.method ?? "GET", route, url);
    let recorded = false;
    const record = (status: number, injected: boolean) => {
      if (recorded || !faults) return;
      recorded = true;
      faults.record({ method: req.method ?? "GET", path: req.url ?? "/", ...info, status, injected, at });
    };
    res.on("close", () => record(res.headersSent ? res.statusCode : 0, false));
    void (async () => {
      try {
        if (!authorized(req)) throw new ApiStatusError(401, "Unauthorized", "Unauthorized");
        if (url.pathname === "/healthz" || url.pathname === "/readyz" || url.pathname === "/livez") {
          res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
          return;
        }
        const review = reviewFor(url.pathname);
        if (review) return answerReview(review, req.method ?? "GET", await readObjectBody(req), res);
        if (url.pathname === "/openapi/v2") return sendOpenApiV2(req, res, store.types());
        if (url.pathname === "/openapi/v3") return sendJson(res, 200, openApiRoot(store.types()));
        if (url.pathname.startsWith("/openapi/v3/")) {
          const doc = openApiGroupVersion(url.pathname.slice("/openapi/v3/".length), store.types(), (gvk) =>
            crdSchemaOf(store, gvk),
          );
          if (doc) return sendJson(res, 200, doc);
        }
        const { answered, rule } = await injectFault(
          info,
          (e) => sendStatus(res, e),
          () => req.socket.destroy(),
          record,
        );
        if (answered) return;
        if (rule?.loseResponse) loseResponse(req, res, () => record(0, true));
        else if (rule?.silent) {
          record(200, true);
          silence(res);
        }
        await dispatch(req, res, url, route, (s) => record(s, false), rule);
      } catch (err) {
        sendStatus(res, err);
      }
    })();
  };
  const server = tls
    ? createTlsServer({ keepAlive: true, cert: tls.cert, key: tls.key }, onRequest)
    : createServer({ keepAlive: true }, onRequest);
  // Long idle keep-alive, like the API server: avoids clients reusing a socket the server is closing.
  server.keepAliveTimeout = 120_000;

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const at = Date.now();
    const { url, route } = routeOf(req, store);
    const info = classify(req.method ?? "GET", route, url);
    const record = (status: number, injected: boolean) =>
      faults?.record({ method: req.method ?? "GET", path: req.url ?? "/", ...info, status, injected, at });
    socket.on("error", () => {});
    void (async () => {
      try {
        if (!authorized(req)) throw new ApiStatusError(401, "Unauthorized", "Unauthorized");
        if (
          route.kind !== "resource" ||
          (route.subresource !== "exec" && route.subresource !== "portforward") ||
          route.type.resource !== "pods" ||
          route.type.group !== ""
        ) {
          throw ApiStatusError.badRequest("only pods/exec and pods/portforward accept a connection upgrade");
        }
        if (route.subresource === "portforward") {
          const { answered } = await injectFault(
            info,
            (e) => rejectUpgrade(socket, e),
            () => socket.destroy(),
            record,
          );
          if (answered) return;
          servePortForward(portForward, store, req, socket, head, {
            namespace: route.namespace ?? "",
            name: route.name ?? "",
            query: url.searchParams,
          });
          record(101, false);
          return;
        }
        if (!exec)
          throw new ApiStatusError(
            503,
            "ServiceUnavailable",
            "no container runtime is attached to this API server",
          );
        const { answered, rule } = await injectFault(
          info,
          (e) => rejectUpgrade(socket, e),
          () => socket.destroy(),
          record,
        );
        if (answered) return;
        const target = prepareExec(store, route.namespace ?? "", route.name ?? "", url.searchParams);
        refuseLostNode(faults, target.pod);
        if (wantsSpdy(req) && podIO) {
          const protocol = negotiateStreamProtocol(req, SPDY_EXEC_PROTOCOLS);
          pump(socket, head, spdyExec(switchToSpdy(socket, protocol), target, protocol, podIO));
          record(101, false);
          return;
        }
        exec.upgrade(req, socket, head, target, rule?.silent === true);
        record(101, rule?.silent === true);
      } catch (err) {
        record(rejectUpgrade(socket, err), false);
      }
    })();
  });

  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  address = `127.0.0.1:${port}`;

  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    ...(tls ? { certificateAuthority: tls.cert } : {}),
    close: async () => {
      detach();
      exec?.closeAll();
      portForward.closeAll();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
