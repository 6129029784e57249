/**
 * A session record: one ConfigMap holding what a session owes (the cleanup it must still run and
 * everything needed to run it), guarded by a Lease of the same name that the holder renews. Every
 * write carries the record's resourceVersion; a write that conflicts is checked against the record's
 * holder, so a host whose session another host took over finds out on its next write (fencing by
 * the Lease's `leaseTransitions`).
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { ErrorCodes, type Logger, QuiesceError, serializeError, toMilliseconds } from "@quiesce/core";
import type { Cluster, KubeObject } from "../cluster.js";
import { MANAGED_BY } from "../run.js";
import { HeldLease, type HeldLeaseOptions } from "./lease.js";
import { createdFields, encodeRecord, recordText, SESSION_DATA_KEY } from "./record-codec.js";

/** Label on a session's ConfigMap and Lease; its value is the session kind (`hooks`, `blueprint-action`). */
export const SESSION_LABEL = "quiesce.dev/session";
/** Label on a session's ConfigMap: `active`, `owed` or `failed` (see {@link SessionState}). */
export const SESSION_STATE_LABEL = "quiesce.dev/session-state";
/** Default `leaseDurationSeconds` of a session's Lease. */
export const DEFAULT_SESSION_LEASE_SECONDS = 30;

const CONFIGMAPS = { version: "v1", resource: "configmaps" } as const;

/**
 * Where a session stands: `active` — its holder is running it (or crashed: its Lease tells);
 * `owed` — its holder ended with cleanup still owed (a cleanup hook failed) and released the Lease,
 * so a recoverer runs it at once; `failed` — a recovery ran and some cleanup still failed (it is
 * not retried unless asked).
 */
export type SessionState = "active" | "owed" | "failed";

/** The record as stored: an envelope the kube layer understands around the session's own payload. */
export interface SessionEnvelope<P = unknown> {
  version: 1;
  /** What kind of session wrote it (`hooks`, `blueprint-action`): who can recover it. */
  kind: string;
  sessionId: string;
  state: SessionState;
  /** Who may write it: the Lease holder and the Lease's transitions when it took it. */
  holder: { identity: string; transitions: number };
  leaseDurationSeconds: number;
  createdAt: string;
  updatedAt: string;
  /** How many times a recoverer took it over. */
  recoveries: number;
  /** The holder before the last takeover. */
  previousHolder?: string;
  payload: P;
}

/**
 * What a host may set about the sessions its runners record (`sessionRecord` of `runWithHooks`
 * and `runBlueprintAction`).
 */
export interface SessionRecordSettings {
  /** Namespace of the record and its Lease. Default: the session's (its subject's, or its first). */
  namespace?: string | undefined;
  /** `leaseDurationSeconds` of the session's Lease. Default {@link DEFAULT_SESSION_LEASE_SECONDS}. */
  leaseDurationSeconds?: number | undefined;
  /** How often the Lease is renewed, ms or a Go duration. Default: a third of the lease duration. */
  renewInterval?: number | string | undefined;
  /** The Lease's holderIdentity. Default: `<hostname>_<random UUID>`. */
  identity?: string | undefined;
}

/** How a session record is created and held. */
export interface SessionRecordOptions {
  cluster: Cluster;
  /** Namespace of the ConfigMap and the Lease. */
  namespace: string;
  /** The session kind (label value and envelope `kind`). */
  kind: string;
  /** The Lease's holderIdentity. Default: `<hostname>_<random UUID>`. */
  identity?: string | undefined;
  /** Default {@link DEFAULT_SESSION_LEASE_SECONDS}. */
  leaseDurationSeconds?: number | undefined;
  /** Default: a third of the lease duration. */
  renewIntervalMs?: number | undefined;
  logger?: Logger | undefined;
  /** Called once when the Lease (and so the session) is lost to another holder. */
  onLost?: ((error: QuiesceError) => void) | undefined;
}

/** The options of {@link SessionRecord.open} for a runner's `settings` (its renewInterval parsed). */
export function sessionRecordOptions(
  settings: SessionRecordSettings,
  base: Pick<SessionRecordOptions, "cluster" | "namespace" | "kind" | "logger" | "onLost">,
): SessionRecordOptions {
  return {
    ...base,
    namespace: settings.namespace ?? base.namespace,
    identity: settings.identity,
    leaseDurationSeconds: settings.leaseDurationSeconds,
    renewIntervalMs:
      settings.renewInterval === undefined ? undefined : toMilliseconds(settings.renewInterval),
  };
}

/** A holder identity as client-go programs usually make one: the host name and a unique suffix. */
export function defaultIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

const isCode = (err: unknown, code: string) => QuiesceError.is(err) && err.code === code;

function recordFailed(message: string, cause?: unknown): QuiesceError {
  return new QuiesceError(ErrorCodes.SESSION_RECORD_FAILED, message, cause === undefined ? {} : { cause });
}

/** Parses a session ConfigMap's record; throws `QUIESCE_SESSION_RECORD_INVALID` when it cannot be read. */
export function readEnvelope<P = unknown>(configMap: KubeObject): SessionEnvelope<P> {
  const where = `${configMap.metadata?.namespace}/${configMap.metadata?.name}`;
  const text = recordText(configMap, where);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new QuiesceError(
      ErrorCodes.SESSION_RECORD_INVALID,
      `session record ${where}: its ${SESSION_DATA_KEY} is not JSON`,
      {
        cause,
      },
    );
  }
  const env = value as Partial<SessionEnvelope<P>> | null;
  if (
    env?.version !== 1 ||
    typeof env.kind !== "string" ||
    typeof env.sessionId !== "string" ||
    !env.holder ||
    typeof env.holder.identity !== "string" ||
    typeof env.leaseDurationSeconds !== "number"
  ) {
    throw new QuiesceError(
      ErrorCodes.SESSION_RECORD_INVALID,
      `session record ${where}: not a version 1 session record this quiesce can read`,
    );
  }
  return env as SessionEnvelope<P>;
}

/**
 * One session's record and Lease, held by this process. Writes are serialised in the order they
 * are asked for; each carries the resourceVersion of the last.
 */
export class SessionRecord<P = unknown> {
  readonly namespace: string;
  readonly name: string;
  readonly lease: HeldLease;
  readonly #cluster: Cluster;
  readonly #logger: Logger | undefined;
  #envelope: SessionEnvelope<P>;
  #resourceVersion: string;
  #uid: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  /** Updates waiting for the next write. */
  #pending: { mutate: (payload: P) => void; resolve: () => void; reject: (err: unknown) => void }[] = [];
  #lost: QuiesceError | undefined;
  readonly #onLost: ((error: QuiesceError) => void) | undefined;
  /** API calls this record made (creates, writes, deletes; renewals are the Lease's). */
  writes = 0;

  private constructor(
    cluster: Cluster,
    lease: HeldLease,
    configMap: KubeObject,
    envelope: SessionEnvelope<P>,
    logger: Logger | undefined,
    onLost: ((error: QuiesceError) => void) | undefined,
  ) {
    this.#cluster = cluster;
    this.lease = lease;
    this.namespace = lease.namespace;
    this.name = lease.name;
    this.#envelope = envelope;
    this.#resourceVersion = configMap.metadata?.resourceVersion ?? "";
    this.#uid = configMap.metadata?.uid;
    this.#logger = logger;
    this.#onLost = onLost;
    lease.onLost((error) => {
      // Taken or deleted: the record is someone else's. Only overdue: the session stops its work,
      // and its next write finds out whether the record is still its own.
      if (error.details.confirmed === true) this.#lose(error);
      else this.#onLost?.(error);
    });
  }

  /**
   * Creates a session: first its Lease (held by this process, renewed from now on), then the
   * ConfigMap with `payload`. Rejects with `QUIESCE_SESSION_RECORD_FAILED` when either cannot be
   * written (the Lease is removed again when the ConfigMap cannot be).
   *
   * @example
   * ```ts
   * const record = await SessionRecord.open({ cluster, namespace: "db", kind: "hooks" }, { owed: ["thaw"] });
   * await record.update((p) => { p.owed = []; });
   * await record.close("done");
   * ```
   */
  static async open<P>(options: SessionRecordOptions, payload: P): Promise<SessionRecord<P>> {
    const sessionId = randomUUID();
    const name = `quiesce-session-${sessionId}`;
    const identity = options.identity ?? defaultIdentity();
    const duration = options.leaseDurationSeconds ?? DEFAULT_SESSION_LEASE_SECONDS;
    const labels = { ...MANAGED_BY, [SESSION_LABEL]: options.kind };
    const leaseOptions: HeldLeaseOptions = {
      cluster: options.cluster,
      namespace: options.namespace,
      name,
      identity,
      durationSeconds: duration,
      renewIntervalMs: options.renewIntervalMs,
      labels,
      logger: options.logger,
    };
    let lease: HeldLease;
    let record: SessionRecord<P>;
    try {
      lease = await HeldLease.create(leaseOptions);
    } catch (cause) {
      throw recordFailed(
        `the session's Lease ${options.namespace}/${name} could not be created: ${serializeError(cause).message}`,
        cause,
      );
    }
    const now = new Date().toISOString();
    const envelope: SessionEnvelope<P> = {
      version: 1,
      kind: options.kind,
      sessionId,
      state: "active",
      holder: { identity, transitions: lease.transitions },
      leaseDurationSeconds: duration,
      createdAt: now,
      updatedAt: now,
      recoveries: 0,
      payload,
    };
    try {
      const configMap = await options.cluster.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
          name,
          namespace: options.namespace,
          labels: { ...labels, [SESSION_STATE_LABEL]: "active" },
        },
        ...createdFields(encodeRecord(envelope)),
      });
      record = new SessionRecord(options.cluster, lease, configMap, envelope, options.logger, options.onLost);
      record.writes = 2;
    } catch (cause) {
      await lease.delete().catch(() => {});
      throw QuiesceError.is(cause, ErrorCodes.SESSION_RECORD_FAILED)
        ? cause
        : recordFailed(
            `the session record ${options.namespace}/${name} could not be created: ${serializeError(cause).message}`,
            cause,
          );
    }
    lease.startRenewing();
    return record;
  }

  /**
   * Makes a record this process just took the Lease of its own: writes the new holder into it
   * (after a conflict it re-reads and writes again — the Lease is ours). Used by recovery.
   */
  static async adopt<P>(
    cluster: Cluster,
    lease: HeldLease,
    configMap: KubeObject,
    options: Pick<SessionRecordOptions, "logger" | "onLost"> = {},
  ): Promise<SessionRecord<P>> {
    let current = configMap;
    for (let tries = 0; ; tries++) {
      const envelope = readEnvelope<P>(current);
      envelope.previousHolder = envelope.holder.identity;
      envelope.holder = { identity: lease.identity, transitions: lease.transitions };
      envelope.recoveries += 1;
      const record = new SessionRecord<P>(cluster, lease, current, envelope, options.logger, options.onLost);
      try {
        await record.#write("active");
        lease.startRenewing();
        return record;
      } catch (err) {
        if (!isCode(err, ErrorCodes.KUBE_CONFLICT) || tries >= 3) throw err;
        current = await cluster.get({ ...CONFIGMAPS, namespace: lease.namespace, name: lease.name });
      }
    }
  }

  /** The record as last written (or about to be). */
  get envelope(): Readonly<SessionEnvelope<P>> {
    return this.#envelope;
  }

  /** The cluster the record is on. */
  get cluster(): Cluster {
    return this.#cluster;
  }

  /** The session's own part of the record. */
  get payload(): P {
    return this.#envelope.payload;
  }

  /** The ConfigMap's uid (for Events about it). */
  get uid(): string | undefined {
    return this.#uid;
  }

  /** Set when another holder took the session over. */
  get lost(): QuiesceError | undefined {
    return this.#lost;
  }

  /**
   * Changes the payload with `mutate` and writes the record, after every write asked before.
   * Updates asked while a write is under way share the next write (each resolves once a write
   * holding its change went through): a record is rewritten whole, so writing it once per update
   * would cost a session of N units N writes of a record that grows with N.
   * Rejects with `QUIESCE_SESSION_LEASE_LOST` when the record now belongs to another holder, with
   * `QUIESCE_SESSION_RECORD_FAILED` when it could not be written (too large, API errors).
   */
  update(mutate: (payload: P) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ mutate, resolve, reject });
      if (this.#pending.length > 1) return;
      this.#queue = this.#queue.catch(() => {}).then(() => this.#flush());
    });
  }

  // One write for every update waiting: their changes in the order asked, then the write.
  async #flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    // Failures go to the updates' callers only: the queue itself never rejects.
    const lost = this.#lost;
    if (lost) {
      for (const u of batch) u.reject(lost);
      return;
    }
    const applied: typeof batch = [];
    for (const u of batch) {
      try {
        u.mutate(this.#envelope.payload);
        applied.push(u);
      } catch (err) {
        u.reject(err);
      }
    }
    if (applied.length === 0) return;
    try {
      await this.#writeFenced(this.#envelope.state);
    } catch (err) {
      for (const u of applied) u.reject(err);
      return;
    }
    for (const u of applied) u.resolve();
  }

  /**
   * Ends this process' hold: `done` deletes the record and then the Lease; `owed` and `failed` write
   * that state and release the Lease, so recovery can take the record without waiting.
   */
  async close(state: "done" | "owed" | "failed"): Promise<void> {
    await this.#queue.catch(() => {});
    if (this.#lost) {
      await this.lease.stop();
      return;
    }
    if (state === "done") {
      await this.lease.stop();
      try {
        await this.#cluster.delete({ ...CONFIGMAPS, namespace: this.namespace, name: this.name });
        this.writes++;
      } catch (err) {
        if (!isCode(err, ErrorCodes.KUBE_NOT_FOUND)) throw err;
      }
      await this.lease.delete();
      this.writes++;
      return;
    }
    await this.#writeFenced(state);
    await this.lease.release();
    this.writes++;
  }

  async #writeFenced(state: SessionState): Promise<void> {
    for (let tries = 0; ; tries++) {
      try {
        await this.#write(state);
        return;
      } catch (err) {
        if (isCode(err, ErrorCodes.KUBE_NOT_FOUND)) {
          // Only a holder deletes a record, once nothing is owed: the session ended elsewhere.
          const lost = new QuiesceError(
            ErrorCodes.SESSION_LEASE_LOST,
            `session ${this.namespace}/${this.name} was ended by another holder (its record is gone)`,
            { details: { namespace: this.namespace, name: this.name } },
          );
          this.#lose(lost);
          throw lost;
        }
        if (!isCode(err, ErrorCodes.KUBE_CONFLICT) || tries >= 3) {
          throw QuiesceError.is(err, ErrorCodes.SESSION_RECORD_FAILED)
            ? err
            : recordFailed(
                `the session record ${this.namespace}/${this.name} could not be written: ${serializeError(err).message}`,
                err,
              );
        }
        // Someone wrote it since: ours still (a retried write that went through) or taken over.
        const current = await this.#cluster.get({
          ...CONFIGMAPS,
          namespace: this.namespace,
          name: this.name,
        });
        const holder = readEnvelope(current).holder;
        if (holder.identity !== this.lease.identity || holder.transitions !== this.lease.transitions) {
          const lost = new QuiesceError(
            ErrorCodes.SESSION_LEASE_LOST,
            `session ${this.namespace}/${this.name} was taken over by ${holder.identity}`,
            { details: { namespace: this.namespace, name: this.name, holder: holder.identity } },
          );
          this.#lose(lost);
          throw lost;
        }
        this.#resourceVersion = current.metadata?.resourceVersion ?? this.#resourceVersion;
      }
    }
  }

  async #write(state: SessionState): Promise<void> {
    this.#envelope.state = state;
    this.#envelope.updatedAt = new Date().toISOString();
    const { data, binaryData } = encodeRecord(this.#envelope);
    const written = await this.#cluster.patch(
      { ...CONFIGMAPS, namespace: this.namespace, name: this.name },
      {
        metadata: { resourceVersion: this.#resourceVersion, labels: { [SESSION_STATE_LABEL]: state } },
        data,
        binaryData,
      },
      "merge",
    );
    this.writes++;
    this.#resourceVersion = written.metadata?.resourceVersion ?? this.#resourceVersion;
    this.#uid = written.metadata?.uid ?? this.#uid;
  }

  #lose(error: QuiesceError): void {
    if (this.#lost) return;
    this.#lost = error;
    this.#logger?.warn(error.message, { session: `${this.namespace}/${this.name}` });
    this.#onLost?.(error);
  }
}
