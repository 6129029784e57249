/**
 * Liveness of long-lived connections to the API server: an exec WebSocket is pinged, and a
 * connection from which nothing (no pong, no frame) has arrived for a while is declared dead, so a
 * command on a lost node or behind a dropped load-balancer connection fails instead of hanging.
 */
/** Ping/pong settings of exec sessions; `false` turns the heartbeat off. */
export interface HeartbeatOptions {
  /** How often a WebSocket ping is sent (default 5 s). */
  intervalMs?: number;
  /**
   * How long the connection may stay silent (no pong, no frame) before it is declared lost
   * (default 61 s: twelve missed pings plus a second). It also bounds the wait for the exec
   * upgrade's answer.
   */
  timeoutMs?: number;
  /**
   * How often a running exec checks that its pod still runs (default 30 s; 0 turns it off): a pod
   * whose node is lost (phase `Unknown`), that ended, was deleted or whose container stopped or
   * restarted fails the exec with QUIESCE_KUBE_POD_NOT_RUNNING. The API server keeps answering
   * pings when a node is lost, so pings alone cannot tell.
   */
  podCheckIntervalMs?: number;
}

// client-go tools/remotecommand/websocket.go: pingPeriod = 5s, pingReadDeadline = pingPeriod*12 + 1s.
/** Default ping period of an exec session: 5 s, as client-go's WebSocket executor. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000;
/** Default silence after which an exec connection is lost: 61 s, as client-go's pingReadDeadline. */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = DEFAULT_HEARTBEAT_INTERVAL_MS * 12 + 1_000;

/** Default interval of a running exec's pod check: 30 s. */
export const DEFAULT_POD_CHECK_INTERVAL_MS = 30_000;

/** Settings with their defaults applied, or undefined when the heartbeat is off. */
export type ResolvedHeartbeat = Required<HeartbeatOptions>;

/** Applies the defaults; `false` (or a non-positive timeout) turns the heartbeat off. */
export function resolveHeartbeat(
  options: HeartbeatOptions | false | undefined,
): ResolvedHeartbeat | undefined {
  if (options === false) return undefined;
  const intervalMs = options?.intervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  const timeoutMs = options?.timeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) return undefined;
  const podCheckIntervalMs = Math.max(0, options?.podCheckIntervalMs ?? DEFAULT_POD_CHECK_INTERVAL_MS);
  return { intervalMs: Math.max(1, Math.min(intervalMs, timeoutMs)), timeoutMs, podCheckIntervalMs };
}

/** A running heartbeat on one WebSocket. */
export interface Heartbeat {
  /** Call on every sign of life: a frame, a pong, a ping. */
  heard(): void;
  /** Stops the timers. */
  stop(): void;
}

/**
 * Calls `ping` every `intervalMs` and `onLost(silentMs)` once nothing has been heard for
 * `timeoutMs`; the caller reports every sign of life (a frame, a pong) with `heard()`. A timer is
 * re-armed at the deadline rather than on every frame, so a busy stream costs nothing.
 */
export function startHeartbeat(
  ping: () => void,
  settings: ResolvedHeartbeat,
  onLost: (silentMs: number) => void,
): Heartbeat {
  let lastHeard = performance.now();
  let stopped = false;
  const heard = () => {
    lastHeard = performance.now();
  };
  const pinger = setInterval(() => {
    try {
      ping();
    } catch {
      // Not open any more: the close handler settles the session.
    }
  }, settings.intervalMs);
  let check: NodeJS.Timeout;
  const arm = (ms: number) => {
    check = setTimeout(() => {
      if (stopped) return;
      const silent = performance.now() - lastHeard;
      if (silent >= settings.timeoutMs) {
        stop();
        onLost(Math.round(silent));
      } else arm(settings.timeoutMs - silent);
    }, ms);
  };
  arm(settings.timeoutMs);
  const stop = () => {
    stopped = true;
    clearInterval(pinger);
    clearTimeout(check);
  };
  return { heard, stop };
}
