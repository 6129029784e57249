/**
 * A `coordination.k8s.io/v1` Lease held the way client-go's leader election holds one
 * (tools/leaderelection/leaderelection.go, resourcelock/leaselock.go): the holder renews
 * `renewTime`; a candidate may take the Lease only once it has seen the same record, unchanged, for
 * `leaseDurationSeconds` of its own clock (or when nobody holds it), and takes it with an update
 * that carries the resourceVersion it read — the API server lets exactly one such update through.
 */
import { ErrorCodes, type Logger, QuiesceError, serializeError, toLogger } from "@quiesce/core";
import type { Cluster, KubeObject } from "../cluster.js";

/** The Lease resource. */
export const LEASES = { group: "coordination.k8s.io", version: "v1", resource: "leases" } as const;

/** A Lease's spec as leader election reads it (client-go LeaderElectionRecord). */
export interface LeaseState {
  /** Empty when nobody holds it (a released Lease). */
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions: number;
}

/** A Lease as a candidate saw it: client-go's observedRecord and observedTime. */
export interface ObservedLease {
  namespace: string;
  name: string;
  resourceVersion: string;
  state: LeaseState;
  labels: Record<string, string>;
  /** When this record was first seen unchanged, on the observer's clock (ms since the epoch). */
  observedAt: number;
}

/**
 * A metav1.MicroTime as the API server writes it: RFC 3339 in UTC with six fractional digits.
 *
 * @example
 * ```ts
 * microTime(new Date("2026-01-02T03:04:05.123Z")); // "2026-01-02T03:04:05.123000Z"
 * ```
 */
export function microTime(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000Z`;
}

/** The leader-election view of a Lease object (absent fields read as client-go reads nil pointers). */
export function leaseStateOf(lease: KubeObject): LeaseState {
  const spec = (lease as { spec?: Record<string, unknown> }).spec ?? {};
  const state: LeaseState = {
    holderIdentity: typeof spec.holderIdentity === "string" ? spec.holderIdentity : "",
    leaseDurationSeconds: typeof spec.leaseDurationSeconds === "number" ? spec.leaseDurationSeconds : 0,
    leaseTransitions: typeof spec.leaseTransitions === "number" ? spec.leaseTransitions : 0,
  };
  if (typeof spec.acquireTime === "string") state.acquireTime = spec.acquireTime;
  if (typeof spec.renewTime === "string") state.renewTime = spec.renewTime;
  return state;
}

/** What a candidate records when it reads a Lease. */
export function observeLease(lease: KubeObject, now = Date.now()): ObservedLease {
  return {
    namespace: lease.metadata?.namespace ?? "",
    name: lease.metadata?.name ?? "",
    resourceVersion: lease.metadata?.resourceVersion ?? "",
    state: leaseStateOf(lease),
    labels: { ...(lease.metadata?.labels ?? {}) },
    observedAt: now,
  };
}

/**
 * client-go's test before taking a Lease: nobody holds it, or the record has stayed the same for
 * `leaseDurationSeconds` since the candidate first saw it (`isLeaseValid` is false). The holder's
 * `renewTime` is not compared with the candidate's clock, so clock skew between hosts cannot make
 * a live holder look dead.
 */
export function leaseExpired(observed: ObservedLease, now = Date.now()): boolean {
  if (observed.state.holderIdentity === "") return true;
  return observed.observedAt + observed.state.leaseDurationSeconds * 1000 <= now;
}

/** How a held Lease is named, renewed and given up. */
export interface HeldLeaseOptions {
  cluster: Cluster;
  namespace: string;
  name: string;
  /** The holderIdentity. */
  identity: string;
  /** leaseDurationSeconds: how long others wait, after the last change they saw, before taking it. */
  durationSeconds: number;
  /** How often the holder renews. Default: a third of the duration. */
  renewIntervalMs?: number | undefined;
  labels?: Record<string, string> | undefined;
  logger?: Logger | undefined;
  /**
   * Called when the Lease is lost: another identity holds it or it was deleted (`details.confirmed`
   * true; renewing stops) — or, once, when it could not be renewed for two thirds of its duration
   * (client-go's RenewDeadline: the holder stops acting before others may take over; `confirmed`
   * false, and renewing goes on, since nobody may have taken it).
   */
  onLost?: ((error: QuiesceError) => void) | undefined;
}

const isCode = (err: unknown, code: string) => QuiesceError.is(err) && err.code === code;

/** A Lease this process holds: renewed in the background until stopped, released or deleted. */
export class HeldLease {
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly durationSeconds: number;
  readonly #options: HeldLeaseOptions;
  readonly #logger: Logger;
  #resourceVersion: string;
  #transitions: number;
  #acquireTime: string;
  #lastRenewed = Date.now();
  #timer: NodeJS.Timeout | undefined;
  #renewing: Promise<void> | undefined;
  #lost: QuiesceError | undefined;
  #overdue = false;
  readonly #listeners: Array<(error: QuiesceError) => void> = [];
  #stopped = false;

  private constructor(options: HeldLeaseOptions, lease: KubeObject) {
    this.#options = options;
    this.namespace = options.namespace;
    this.name = options.name;
    this.identity = options.identity;
    this.durationSeconds = options.durationSeconds;
    this.#logger = toLogger(options.logger);
    const state = leaseStateOf(lease);
    this.#resourceVersion = lease.metadata?.resourceVersion ?? "";
    this.#transitions = state.leaseTransitions;
    this.#acquireTime = state.acquireTime ?? microTime(new Date());
    if (options.onLost) this.#listeners.push(options.onLost);
  }

  /**
   * Creates the Lease, held by `identity` (client-go's first acquisition). Rejects with a
   * `QUIESCE_KUBE_CONFLICT` error when it exists already.
   */
  static async create(options: HeldLeaseOptions, transitions = 0): Promise<HeldLease> {
    checkDuration(options.durationSeconds);
    const now = microTime(new Date());
    const created = await options.cluster.create({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: {
        name: options.name,
        namespace: options.namespace,
        ...(options.labels ? { labels: options.labels } : {}),
      },
      spec: {
        holderIdentity: options.identity,
        leaseDurationSeconds: options.durationSeconds,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: transitions,
      },
    });
    return new HeldLease(options, created);
  }

  /**
   * Takes a Lease a candidate observed as expired (see {@link leaseExpired}): one update carrying
   * the observed resourceVersion, `leaseTransitions` + 1, as client-go's tryAcquireOrRenew. Resolves
   * `undefined` when another candidate (or the holder, renewing) changed it first.
   */
  static async takeOver(options: HeldLeaseOptions, observed: ObservedLease): Promise<HeldLease | undefined> {
    checkDuration(options.durationSeconds);
    const now = microTime(new Date());
    try {
      const taken = await options.cluster.patch(
        { ...LEASES, namespace: observed.namespace, name: observed.name },
        {
          metadata: { resourceVersion: observed.resourceVersion },
          spec: {
            holderIdentity: options.identity,
            leaseDurationSeconds: options.durationSeconds,
            acquireTime: now,
            renewTime: now,
            leaseTransitions: observed.state.leaseTransitions + 1,
          },
        },
        "merge",
      );
      return new HeldLease(options, taken);
    } catch (err) {
      // A retried update whose first try went through also answers 409: read who holds it now.
      if (isCode(err, ErrorCodes.KUBE_CONFLICT)) {
        // Deleted since (its session ended): not taken, as when the update itself finds no Lease.
        const now = await options.cluster
          .get({ ...LEASES, namespace: observed.namespace, name: observed.name })
          .catch((readErr: unknown) =>
            isCode(readErr, ErrorCodes.KUBE_NOT_FOUND) ? undefined : Promise.reject(readErr),
          );
        if (!now) return undefined;
        const state = leaseStateOf(now);
        if (
          state.holderIdentity === options.identity &&
          state.leaseTransitions === observed.state.leaseTransitions + 1
        )
          return new HeldLease(options, now);
        return undefined;
      }
      if (isCode(err, ErrorCodes.KUBE_NOT_FOUND)) return undefined;
      throw err;
    }
  }

  /** The error the Lease was lost with, when another identity holds it or it was deleted. */
  get lost(): QuiesceError | undefined {
    return this.#lost;
  }

  /** Also calls `listener` when the Lease is lost (see {@link HeldLeaseOptions.onLost}). */
  onLost(listener: (error: QuiesceError) => void): void {
    this.#listeners.push(listener);
  }

  /** leaseTransitions when this process took the Lease: a fencing token for the records it guards. */
  get transitions(): number {
    return this.#transitions;
  }

  /** Renews every `renewIntervalMs` until stopped (the timer does not keep the process alive). */
  startRenewing(): void {
    if (this.#timer || this.#stopped) return;
    const every = this.#options.renewIntervalMs ?? Math.max(200, (this.durationSeconds * 1000) / 3);
    const tick = () => {
      this.#renewing = this.renew().finally(() => {
        this.#renewing = undefined;
        if (!this.#stopped && !this.#lost) {
          this.#timer = setTimeout(tick, every);
          this.#timer.unref?.();
        }
      });
    };
    this.#timer = setTimeout(tick, every);
    this.#timer.unref?.();
  }

  /**
   * One renewal: an update of `renewTime` carrying the last resourceVersion (client-go's fast
   * path); on a conflict the Lease is read again — still ours (a retried renewal that went through)
   * and the renewal is repeated, else it is lost. Never throws.
   */
  async renew(): Promise<void> {
    if (this.#lost || this.#stopped) return;
    for (let tries = 0; tries < 2; tries++) {
      try {
        const renewed = await this.#options.cluster.patch(
          { ...LEASES, namespace: this.namespace, name: this.name },
          {
            metadata: { resourceVersion: this.#resourceVersion },
            spec: this.#spec(microTime(new Date())),
          },
          "merge",
          { timeoutMs: Math.max(1000, (this.durationSeconds * 1000) / 3) },
        );
        this.#resourceVersion = renewed.metadata?.resourceVersion ?? this.#resourceVersion;
        this.#lastRenewed = Date.now();
        this.#overdue = false;
        return;
      } catch (err) {
        if (isCode(err, ErrorCodes.KUBE_NOT_FOUND)) return this.#lose(`Lease ${this.#where()} was deleted`);
        if (!isCode(err, ErrorCodes.KUBE_CONFLICT)) {
          this.#logger.warn(`renewing Lease ${this.#where()} failed`, { error: serializeError(err).message });
          break;
        }
        try {
          const current = await this.#options.cluster.get({
            ...LEASES,
            namespace: this.namespace,
            name: this.name,
          });
          const state = leaseStateOf(current);
          if (state.holderIdentity !== this.identity || state.leaseTransitions !== this.#transitions) {
            return this.#lose(`Lease ${this.#where()} is now held by ${state.holderIdentity || "nobody"}`);
          }
          this.#resourceVersion = current.metadata?.resourceVersion ?? this.#resourceVersion;
        } catch (readErr) {
          if (isCode(readErr, ErrorCodes.KUBE_NOT_FOUND))
            return this.#lose(`Lease ${this.#where()} was deleted`);
          this.#logger.warn(`reading Lease ${this.#where()} failed`, {
            error: serializeError(readErr).message,
          });
          break;
        }
      }
    }
    // client-go's RenewDeadline: stop acting before others may see the Lease as expired.
    if (!this.#overdue && Date.now() - this.#lastRenewed >= (this.durationSeconds * 1000 * 2) / 3) {
      this.#overdue = true;
      this.#emit(
        new QuiesceError(
          ErrorCodes.SESSION_LEASE_LOST,
          `Lease ${this.#where()} could not be renewed for ${Math.round((Date.now() - this.#lastRenewed) / 1000)}s`,
          {
            details: {
              namespace: this.namespace,
              name: this.name,
              identity: this.identity,
              confirmed: false,
            },
          },
        ),
      );
    }
  }

  /** Stops renewing (waits for a renewal in flight). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#renewing;
  }

  /**
   * Gives the Lease up as client-go's release does (no holder, duration 1 s), so a candidate may
   * take it at once. Does nothing when it was lost.
   */
  async release(): Promise<void> {
    await this.stop();
    if (this.#lost) return;
    const now = microTime(new Date());
    try {
      await this.#options.cluster.patch(
        { ...LEASES, namespace: this.namespace, name: this.name },
        {
          metadata: { resourceVersion: this.#resourceVersion },
          spec: {
            holderIdentity: "",
            leaseDurationSeconds: 1,
            acquireTime: now,
            renewTime: now,
            leaseTransitions: this.#transitions,
          },
        },
        "merge",
      );
    } catch (err) {
      // Changed meanwhile (taken, deleted): it is not ours to release any more.
      if (!isCode(err, ErrorCodes.KUBE_CONFLICT) && !isCode(err, ErrorCodes.KUBE_NOT_FOUND)) throw err;
    }
  }

  /** Stops renewing and deletes the Lease (a Lease already gone is fine). */
  async delete(): Promise<void> {
    await this.stop();
    try {
      await this.#options.cluster.delete({ ...LEASES, namespace: this.namespace, name: this.name });
    } catch (err) {
      if (!isCode(err, ErrorCodes.KUBE_NOT_FOUND)) throw err;
    }
  }

  #spec(now: string) {
    return {
      holderIdentity: this.identity,
      leaseDurationSeconds: this.durationSeconds,
      acquireTime: this.#acquireTime,
      renewTime: now,
      leaseTransitions: this.#transitions,
    };
  }

  #where(): string {
    return `${this.namespace}/${this.name}`;
  }

  #lose(message: string): void {
    if (this.#lost) return;
    this.#lost = new QuiesceError(ErrorCodes.SESSION_LEASE_LOST, message, {
      details: { namespace: this.namespace, name: this.name, identity: this.identity, confirmed: true },
    });
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#emit(this.#lost);
  }

  #emit(error: QuiesceError): void {
    this.#logger.warn(error.message, { lease: this.#where() });
    for (const listener of this.#listeners) listener(error);
  }
}

function checkDuration(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `leaseDurationSeconds must be a whole number of seconds ≥ 1, got ${String(seconds)}`,
    );
  }
}
