/** `connect()`: a Cluster from a kubeconfig (text, file, the default locations, or in-cluster). */
import { KubeConfig } from "@kubernetes/client-node";
import { ErrorCodes, type Logger, QuiesceError, yamlDocumentToValue } from "@quiesce/core";
import { parseDocument } from "yaml";
import type { Cluster } from "./cluster.js";
import type { HeartbeatOptions } from "./heartbeat.js";
import { KubeCluster } from "./kube-cluster.js";
import { loadKubeconfigFiles } from "./kubeconfig-files.js";
import type { RetryPolicy } from "./retry.js";
import { Transport } from "./transport.js";

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** A kubeconfig as YAML text. */
  kubeconfig?: string;
  /** A kubeconfig file. */
  kubeconfigPath?: string;
  /** The context to use (default: the kubeconfig's current context). */
  context?: string;
  /**
   * The environment the default kubeconfig search reads (`KUBECONFIG`, `HOME`, the in-cluster
   * variables); default `process.env`.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Client-side rate limit: requests per second (default 50). */
  qps?: number;
  /** Client-side rate limit: burst (default 100). */
  burst?: number;
  /** Retries of transient failures of idempotent calls (default 5 attempts, jittered exponential backoff). */
  retry?: RetryPolicy;
  /** Receives debug lines about retries and re-watches; quiesce never writes to the console. */
  logger?: Logger;
  /** Time limit of a single API call when the caller gives none (default 30 s). */
  defaultTimeoutMs?: number;
  /**
   * Exec subprotocols offered, best first (default `["v5.channel.k8s.io", "v4.channel.k8s.io"]`).
   * On v4, closing stdin cannot be signalled, so a command reading stdin to its end waits until its timeout.
   */
  execProtocols?: readonly string[];
  /**
   * Liveness of exec sessions: a WebSocket ping every `intervalMs` (default 5 s); a session from
   * which nothing (no pong, no frame) has arrived for `timeoutMs` (default 61 s) — or whose upgrade
   * is not answered within it — fails with QUIESCE_KUBE_CONNECTION_LOST and is reported as possibly
   * still running. The defaults are client-go's (tools/remotecommand/websocket.go). On by default,
   * so a phase without a deadline cannot hang for days on a dead node or a dropped connection;
   * `false` turns it off.
   */
  execHeartbeat?: HeartbeatOptions | false;
  /**
   * Silence after which a watch counts as lost and is re-opened (default 320 s: every watch asks the
   * server to end it after 290 s, so total silence past that means a dead connection). A re-opened
   * watch on a dead server then fails within the call time limit, so no wait hangs on it.
   */
  watchIdleTimeoutMs?: number;
}

/**
 * Loads the KubeConfig `options` describe: text, else a file, else kubectl's search — every file
 * of `$KUBECONFIG` that exists, merged (missing ones skipped), else `~/.kube/config`, else
 * in-cluster. No kubeconfig at all is an error naming where it looked
 * (`QUIESCE_KUBE_NO_CONFIG`).
 */
export function loadKubeConfig(
  options: Pick<ConnectOptions, "kubeconfig" | "kubeconfigPath" | "context" | "env"> = {},
): KubeConfig {
  let kc = new KubeConfig();
  try {
    if (options.kubeconfig !== undefined) {
      // client-node's YAML reader has no alias budget and copies what aliases share: a text that
      // expands past the loaders' limits (an alias bomb) is refused first, as every loader does.
      yamlDocumentToValue(parseDocument(options.kubeconfig), "kubeconfig");
      kc.loadFromString(options.kubeconfig);
    } else kc = loadKubeconfigFiles({ path: options.kubeconfigPath, env: options.env });
    if (options.context !== undefined) {
      if (!kc.getContexts().some((c) => c.name === options.context)) {
        throw new QuiesceError(ErrorCodes.VALIDATION, `kubeconfig has no context "${options.context}"`, {
          details: { contexts: kc.getContexts().map((c) => c.name) },
        });
      }
      kc.setCurrentContext(options.context);
    }
  } catch (err) {
    if (err instanceof QuiesceError) throw err;
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `cannot load kubeconfig: ${err instanceof Error ? err.message : String(err)}`,
      {
        cause: err,
      },
    );
  }
  if (!kc.getCurrentCluster()) {
    const why = kc.getCurrentContext()
      ? `its context "${kc.getCurrentContext()}" names no known cluster`
      : "it sets no current-context (pass a context)";
    throw new QuiesceError(ErrorCodes.VALIDATION, `kubeconfig has no current cluster: ${why}`, {
      details: { context: kc.getCurrentContext() },
    });
  }
  return kc;
}

/**
 * Connects to a cluster and returns the Cluster adapter built on `@kubernetes/client-node`.
 * Nothing is sent until the first call.
 *
 * @example
 * ```ts
 * import { connect } from "@quiesce/kube";
 * const cluster = connect(); // $KUBECONFIG, ~/.kube/config, or in-cluster
 * const pods = await cluster.selectPods("db", { selector: "app=postgres" });
 * ```
 */
export function connect(options: ConnectOptions = {}): Cluster {
  return connectAdapter(options);
}

/** Like {@link connect}, typed as the adapter class (its transport is reachable for diagnostics). */
export function connectAdapter(options: ConnectOptions = {}): KubeCluster {
  const kc = loadKubeConfig(options);
  const transport = new Transport(kc, {
    ...(options.qps !== undefined ? { qps: options.qps } : {}),
    ...(options.burst !== undefined ? { burst: options.burst } : {}),
    retry: options.retry,
    logger: options.logger,
    defaultTimeoutMs: options.defaultTimeoutMs,
    execProtocols: options.execProtocols,
    execHeartbeat: options.execHeartbeat,
    watchIdleTimeoutMs: options.watchIdleTimeoutMs,
  });
  const namespace = kc.getContextObject(kc.getCurrentContext())?.namespace ?? "default";
  return new KubeCluster(transport, namespace);
}
