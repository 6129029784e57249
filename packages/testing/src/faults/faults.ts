/** Fault injection for the local API server: scripted errors, latency, resets, cut streams and expired history. */

/** The request verbs faults can target (Kubernetes' verbs plus the pod `exec` and `log` subresources). */
export type FaultVerb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "exec" | "log";

/** Which requests a fault applies to; every given field must match. */
export interface FaultMatch {
  verb?: FaultVerb;
  /** Plural resource (`pods`, `deployments`, `hooktemplates`); subresources as `pods/exec`, `deployments/scale`. */
  resource?: string;
  namespace?: string;
  name?: string;
}

/** A scripted failure. */
export interface FaultRule extends FaultMatch {
  /** How many matching requests it hits before it is spent (default 1; `Infinity` for always). */
  times?: number;
  /** Answer with this HTTP status and a matching Status body (429, 500, 503, 409, …). */
  status?: number;
  /** Overrides the Status reason (defaults follow the code: TooManyRequests, InternalError, …). */
  reason?: string;
  /** Overrides the Status message. */
  message?: string;
  /** Adds a `Retry-After` header and `details.retryAfterSeconds` (typical with 429 / 503). */
  retryAfterSeconds?: number;
  /** Destroys the connection without an answer (a connection reset as the client sees it). */
  reset?: boolean;
  /** Delays the request by this many milliseconds (alone: the request then proceeds normally). */
  latencyMs?: number;
}

/** A fault that was added: how often it fired, and a way to take it back. */
export interface FaultHandle {
  /** How many requests this fault has hit so far. */
  readonly hits: number;
  /** Removes the fault (spent or not). */
  remove(): void;
}

/** One request the server answered, as recorded for assertions about retries. */
export interface RequestRecord {
  method: string;
  verb: FaultVerb | "discovery" | "other";
  path: string;
  resource?: string;
  namespace?: string;
  name?: string;
  /** HTTP status sent (101 for an upgraded exec, 0 when the connection was reset by a fault). */
  status: number;
  /** True when a fault produced this answer. */
  injected: boolean;
  /** `Date.now()` when the request arrived. */
  at: number;
}

/** Options of {@link Faults.dropExecAfter}. */
export interface ExecDropMatch {
  namespace?: string;
  pod?: string;
  container?: string;
  /** How many exec sessions to cut (default 1). */
  times?: number;
}

interface RuleState {
  rule: FaultRule;
  remaining: number;
  hits: number;
}

interface ExecDropState {
  bytes: number;
  match: ExecDropMatch;
  remaining: number;
  hits: number;
}

/** What the API server attaches so that `expireHistory` can reach its store. */
export interface HistoryExpirer {
  expireHistory?(): void;
}

const MAX_RECORDS = 10_000;

/**
 * The fault-injection controller consulted by the local API server on every request.
 * `startLocalCluster()` exposes it as `faults`.
 *
 * @example
 * ```ts
 * const faults = createFaults();
 * const server = await createApiServer({ store, podIO, faults });
 * faults.add({ verb: "list", resource: "pods", status: 429, retryAfterSeconds: 1, times: 2 });
 * // … the client retries; then:
 * faults.requests.filter((r) => r.verb === "list").map((r) => r.status); // [429, 429, 200]
 * ```
 */
export class Faults {
  private readonly rules = new Set<RuleState>();
  private readonly execDrops = new Set<ExecDropState>();
  private readonly watches = new Set<() => void>();
  private readonly stores = new Set<HistoryExpirer>();
  private readonly log: RequestRecord[] = [];

  /**
   * Adds a scripted fault for matching requests: an error status (with `Retry-After`), a
   * connection reset, or added latency. Rules are tried in the order they were added; each
   * matching request consumes one of its `times`.
   *
   * @example
   * ```ts
   * faults.add({ verb: "get", resource: "pods", status: 429, retryAfterSeconds: 1, times: 2 });
   * faults.add({ verb: "patch", resource: "deployments/scale", reset: true });
   * faults.add({ verb: "watch", status: 410 }); // a watch refused with HTTP 410 before it starts
   * faults.add({ verb: "exec", latencyMs: 200 });
   * ```
   */
  add(rule: FaultRule): FaultHandle {
    const state: RuleState = { rule, remaining: rule.times ?? 1, hits: 0 };
    this.rules.add(state);
    return {
      get hits() {
        return state.hits;
      },
      remove: () => {
        this.rules.delete(state);
      },
    };
  }

  /**
   * Cuts the next matching exec session abruptly after `bytes` bytes of stdout: the WebSocket is
   * destroyed mid-stream and no status is sent, as when a node or proxy drops the connection.
   */
  dropExecAfter(bytes: number, match: ExecDropMatch = {}): FaultHandle {
    const state: ExecDropState = { bytes, match, remaining: match.times ?? 1, hits: 0 };
    this.execDrops.add(state);
    return {
      get hits() {
        return state.hits;
      },
      remove: () => {
        this.execDrops.delete(state);
      },
    };
  }

  /** Ends every open watch stream now (clean end of the chunked response); returns how many were cut. */
  cutWatches(): number {
    const cuts = [...this.watches];
    this.watches.clear();
    for (const cut of cuts) cut();
    return cuts.length;
  }

  /** Makes every resourceVersion issued so far too old: the next watch from one of them gets 410 Gone. */
  expireHistory(): void {
    for (const store of this.stores) store.expireHistory?.();
  }

  /** Removes every fault and exec drop, and forgets the request log. */
  clear(): void {
    this.rules.clear();
    this.execDrops.clear();
    this.log.length = 0;
  }

  /** The requests answered so far (the last 10,000), oldest first. */
  get requests(): readonly RequestRecord[] {
    return this.log;
  }

  // ── used by the API server ────────────────────────────────────────────────

  /** @internal Finds the first live rule matching the request and consumes one of its hits. */
  take(request: FaultMatch): FaultRule | undefined {
    for (const state of this.rules) {
      const r = state.rule;
      if (r.verb !== undefined && r.verb !== request.verb) continue;
      // "pods" matches pods and its subresources; "pods/exec" only the subresource.
      if (
        r.resource !== undefined &&
        r.resource !== request.resource &&
        r.resource !== request.resource?.split("/")[0]
      )
        continue;
      if (r.namespace !== undefined && r.namespace !== request.namespace) continue;
      if (r.name !== undefined && r.name !== request.name) continue;
      state.hits++;
      state.remaining--;
      if (state.remaining <= 0) this.rules.delete(state);
      return r;
    }
    return undefined;
  }

  /** @internal The stdout byte budget for an exec session, when a drop is scripted for it. */
  takeExecDrop(request: { namespace: string; pod: string; container: string }): number | undefined {
    for (const state of this.execDrops) {
      const m = state.match;
      if (m.namespace !== undefined && m.namespace !== request.namespace) continue;
      if (m.pod !== undefined && m.pod !== request.pod) continue;
      if (m.container !== undefined && m.container !== request.container) continue;
      state.hits++;
      state.remaining--;
      if (state.remaining <= 0) this.execDrops.delete(state);
      return state.bytes;
    }
    return undefined;
  }

  /** @internal Registers an open watch; returns the unregister function. */
  trackWatch(cut: () => void): () => void {
    this.watches.add(cut);
    return () => {
      this.watches.delete(cut);
    };
  }

  /** @internal Lets `expireHistory` reach a store; returns the detach function. */
  attachStore(store: HistoryExpirer): () => void {
    this.stores.add(store);
    return () => {
      this.stores.delete(store);
    };
  }

  /** @internal Appends to the request log. */
  record(entry: RequestRecord): void {
    this.log.push(entry);
    if (this.log.length > MAX_RECORDS) this.log.splice(0, this.log.length - MAX_RECORDS);
  }
}

/**
 * Creates a fault-injection controller to pass to `createApiServer`.
 *
 * @example
 * ```ts
 * const faults = createFaults();
 * faults.add({ verb: "get", resource: "pods", status: 503, times: 1 });
 * ```
 */
export function createFaults(): Faults {
  return new Faults();
}
