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
  /**
   * Never answers: the connection stays open and silent, as behind a hung API server or proxy. An
   * exec upgrade is never completed.
   */
  stall?: boolean;
  /**
   * Serves the request, then goes silent: the status line and headers go out, the body never
   * does (a watch or a followed log gets no event, no bookmark, no line). An exec is upgraded and
   * then neither frames nor pongs come back, while the command runs on.
   */
  silent?: boolean;
  /**
   * Carries the request out (the object is created, changed or deleted), then resets the
   * connection before the answer: a response lost after the server acted.
   */
  loseResponse?: boolean;
  /** Watches only: every event is sent twice. */
  duplicateEvents?: boolean;
  /**
   * Watches only: events are sent out of order — each is held back until the next one has gone
   * out (or for 50 ms), so consecutive events arrive swapped.
   */
  reorderEvents?: boolean;
}

/** Which pods {@link Faults.stickTerminating} holds. */
export interface TerminationMatch {
  namespace?: string;
  pod?: string;
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

/** A fault inside an exec session, triggered by the bytes that went through one of its streams. */
export interface ExecFault extends ExecDropMatch {
  /** The stream whose bytes count: `stdout` (default), `stderr`, or `stdin` (bytes from the client). */
  stream?: "stdout" | "stderr" | "stdin";
  /** Bytes of that stream that get through before the fault (default 0). */
  afterBytes?: number;
  /**
   * `cut` (default): the connection is destroyed without a status, as when a node or proxy drops
   * it. `stall`: the connection stays open but nothing more is sent or read and no ping is
   * answered (a blackholed connection), while the command runs on.
   */
  action?: "cut" | "stall";
}

interface RuleState {
  rule: FaultRule;
  remaining: number;
  hits: number;
}

/** An armed exec fault and what it has seen so far. */
export interface ExecFaultState {
  fault: Required<Pick<ExecFault, "stream" | "afterBytes" | "action">>;
  match: ExecDropMatch;
  remaining: number;
  hits: number;
}

/** A change of the simulated node's health or of held terminations, for the kubelet and the API server. */
export type NodeFaultListener = () => void;

/** The default name of the local cluster's one node. */
export const LOCAL_NODE = "quiesce-local";

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
  private readonly execFaults = new Set<ExecFaultState>();
  private readonly watches = new Set<() => void>();
  private readonly stores = new Set<HistoryExpirer>();
  private readonly log: RequestRecord[] = [];
  private readonly lostNodes = new Map<string, number>();
  private readonly heldTerminations = new Set<TerminationMatch>();
  private readonly nodeListeners = new Set<NodeFaultListener>();

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
    return this.execFault({ ...match, stream: "stdout", afterBytes: bytes, action: "cut" });
  }

  /**
   * Breaks the next matching exec session(s) once `afterBytes` bytes of `stream` went through:
   * cut (the connection destroyed, no status) or stalled (open but silent, pings unanswered).
   *
   * @example
   * ```ts
   * faults.execFault({ stream: "stderr", afterBytes: 100 }); // cut after 100 bytes of stderr
   * faults.execFault({ stream: "stdin", afterBytes: 0, action: "stall" }); // blackholed as stdin starts
   * ```
   */
  execFault(fault: ExecFault): FaultHandle {
    const { stream = "stdout", afterBytes = 0, action = "cut", times, ...match } = fault;
    const state: ExecFaultState = {
      fault: { stream, afterBytes, action },
      match,
      remaining: times ?? 1,
      hits: 0,
    };
    this.execFaults.add(state);
    return {
      get hits() {
        return state.hits;
      },
      remove: () => {
        this.execFaults.delete(state);
      },
    };
  }

  /**
   * Makes deleted pods stick in Terminating: their kubelet never confirms the deletion, so they keep
   * their `deletionTimestamp`, their phase and their running containers. `remove()` lets the
   * deletions finish.
   *
   * @example
   * ```ts
   * const stuck = faults.stickTerminating({ namespace: "db", pod: "db-0" });
   * // … scale down: db-0 stays Terminating …
   * stuck.remove();
   * ```
   */
  stickTerminating(match: TerminationMatch = {}): FaultHandle {
    const state = { ...match };
    this.heldTerminations.add(state);
    this.notifyNodes();
    let hits = 0;
    return {
      get hits() {
        return hits;
      },
      remove: () => {
        hits++;
        if (this.heldTerminations.delete(state)) this.notifyNodes();
      },
    };
  }

  /**
   * Loses a node (default: the local cluster's only one), as when it crashes or is cut off: its
   * kubelet stops — its pods turn phase `Unknown` with Ready `False` (what the node controller
   * reports), deletions of its pods stick in Terminating, new pods are not scheduled — and the API
   * server cannot reach it: a new exec or log request for one of its pods fails (`error dialing
   * backend`), and exec sessions already open go quiet (no output, no status) while the API server
   * itself keeps answering pings. `remove()` brings the node back.
   */
  loseNode(node: string = LOCAL_NODE): FaultHandle {
    this.lostNodes.set(node, (this.lostNodes.get(node) ?? 0) + 1);
    this.notifyNodes();
    let removed = false;
    return {
      get hits() {
        return removed ? 1 : 0;
      },
      remove: () => {
        if (removed) return;
        removed = true;
        const n = (this.lostNodes.get(node) ?? 1) - 1;
        if (n <= 0) this.lostNodes.delete(node);
        else this.lostNodes.set(node, n);
        this.notifyNodes();
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

  /** Removes every fault (lost nodes and held terminations included), and forgets the request log. */
  clear(): void {
    this.rules.clear();
    this.execFaults.clear();
    this.log.length = 0;
    if (this.lostNodes.size > 0 || this.heldTerminations.size > 0) {
      this.lostNodes.clear();
      this.heldTerminations.clear();
      this.notifyNodes();
    }
  }

  /** The requests answered so far (the last 10,000), oldest first. */
  get requests(): readonly RequestRecord[] {
    return this.log.length > MAX_RECORDS ? this.log.slice(-MAX_RECORDS) : this.log;
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

  /** @internal The fault scripted for an exec session, if any (consumes one of its `times`). */
  takeExecFault(request: {
    namespace: string;
    pod: string;
    container: string;
  }): ExecFaultState["fault"] | undefined {
    for (const state of this.execFaults) {
      const m = state.match;
      if (m.namespace !== undefined && m.namespace !== request.namespace) continue;
      if (m.pod !== undefined && m.pod !== request.pod) continue;
      if (m.container !== undefined && m.container !== request.container) continue;
      state.hits++;
      state.remaining--;
      if (state.remaining <= 0) this.execFaults.delete(state);
      return state.fault;
    }
    return undefined;
  }

  /** @internal True while `node` is lost. */
  isNodeLost(node: string | undefined): boolean {
    return this.lostNodes.has(node ?? LOCAL_NODE);
  }

  /** @internal True when the deletion of this pod must not finish (held, or its node is lost). */
  holdsTermination(pod: {
    namespace?: string | undefined;
    name: string;
    node?: string | undefined;
  }): boolean {
    if (this.isNodeLost(pod.node)) return true;
    for (const m of this.heldTerminations) {
      if (m.namespace !== undefined && m.namespace !== pod.namespace) continue;
      if (m.pod !== undefined && m.pod !== pod.name) continue;
      return true;
    }
    return false;
  }

  /** @internal Calls `listener` whenever nodes are lost or restored or held terminations change. */
  onNodeChange(listener: NodeFaultListener): () => void {
    this.nodeListeners.add(listener);
    return () => {
      this.nodeListeners.delete(listener);
    };
  }

  private notifyNodes(): void {
    for (const listener of [...this.nodeListeners]) listener();
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
    // Trimmed in batches: dropping the oldest record on every request moved 10,000 entries each time.
    if (this.log.length >= 2 * MAX_RECORDS) this.log.splice(0, this.log.length - MAX_RECORDS);
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
