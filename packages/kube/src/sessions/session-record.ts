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
import { readEnvelope, readRecord, type SessionEnvelope, type SessionState } from "./envelope.js";
import { HeldLease, type HeldLeaseOptions } from "./lease.js";
import { createdFields, encodeRecord } from "./record-codec.js";
import { type PartsWrite, RecordParts } from "./record-parts.js";

export { readEnvelope, type SessionEnvelope, type SessionState } from "./envelope.js";

/** Label on a session's ConfigMap and Lease; its value is the session kind (`hooks`, `blueprint-action`). */
export const SESSION_LABEL = "quiesce.dev/session";
/** Label on a session's ConfigMap: `active`, `owed` or `failed` (see {@link SessionState}). */
export const SESSION_STATE_LABEL = "quiesce.dev/session-state";
/** Default `leaseDurationSeconds` of a session's Lease. */
export const DEFAULT_SESSION_LEASE_SECONDS = 30;

const CONFIGMAPS = { version: "v1", resource: "configmaps" } as const;

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
  /**
   * A payload field holding a list that grows with the session (a hook session's units): once it
   * is longer than `PART_ITEMS` it is stored in parts, and a write re-encodes only the parts whose
   * items changed — those an update names in `touched`, those added and those that lost items.
   */
  partsOf?: string | undefined;
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
  #pending: {
    mutate: (payload: P) => void;
    touched: readonly unknown[] | undefined;
    resolve: () => void;
    reject: (err: unknown) => void;
  }[] = [];
  /** How the `partsOf` list is stored (absent: the record is always written whole). */
  readonly #parts: RecordParts | undefined;
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
    parts: RecordParts | undefined,
  ) {
    this.#cluster = cluster;
    this.#parts = parts;
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
    const parts = options.partsOf === undefined ? undefined : new RecordParts(options.partsOf);
    try {
      const write = encodeWrite(parts, envelope, true);
      const configMap = await options.cluster.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
          name,
          namespace: options.namespace,
          labels: { ...labels, [SESSION_STATE_LABEL]: "active" },
        },
        ...createdFields(write.encoded),
      });
      write.commit();
      record = new SessionRecord(
        options.cluster,
        lease,
        configMap,
        envelope,
        options.logger,
        options.onLost,
        parts,
      );
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
      const { envelope, parts } = readRecord<P>(current);
      envelope.previousHolder = envelope.holder.identity;
      envelope.holder = { identity: lease.identity, transitions: lease.transitions };
      envelope.recoveries += 1;
      const record = new SessionRecord<P>(
        cluster,
        lease,
        current,
        envelope,
        options.logger,
        options.onLost,
        parts,
      );
      try {
        await record.#write("active", false);
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
   * would cost a session of N units N writes of a record that grows with N. With `partsOf`, name
   * in `touched` the list's items `mutate` changes: only their parts (and those of items added or
   * removed) are written; without `touched` every part is.
   * Rejects with `QUIESCE_SESSION_LEASE_LOST` when the record now belongs to another holder, with
   * `QUIESCE_SESSION_RECORD_FAILED` when it could not be written (too large, API errors).
   */
  update(mutate: (payload: P) => void, touched?: readonly unknown[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ mutate, touched, resolve, reject });
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
    let full = false;
    for (const u of batch) {
      try {
        u.mutate(this.#envelope.payload);
        applied.push(u);
        if (u.touched === undefined) full = true;
        else this.#parts?.touch(u.touched);
      } catch (err) {
        u.reject(err);
      }
    }
    if (applied.length === 0) return;
    try {
      await this.#writeFenced(this.#envelope.state, full);
    } catch (err) {
      for (const u of applied) u.reject(err);
      return;
    }
    for (const u of applied) u.resolve();
  }

  /**
   * Marks items of the `partsOf` list that were changed outside {@link update} (a change the next
   * write carries): their parts are written with it.
   */
  touch(...items: unknown[]): void {
    this.#parts?.touch(items);
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
    // Every part: what is kept for a recoverer is written in full once more.
    await this.#writeFenced(state, true);
    await this.lease.release();
    this.writes++;
  }

  async #writeFenced(state: SessionState, full: boolean): Promise<void> {
    for (let tries = 0; ; tries++) {
      try {
        await this.#write(state, full);
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

  async #write(state: SessionState, full: boolean): Promise<void> {
    this.#envelope.state = state;
    this.#envelope.updatedAt = new Date().toISOString();
    const write = encodeWrite(this.#parts, this.#envelope, full);
    const { data, binaryData } = write.encoded;
    const written = await this.#cluster.patch(
      { ...CONFIGMAPS, namespace: this.namespace, name: this.name },
      {
        metadata: { resourceVersion: this.#resourceVersion, labels: { [SESSION_STATE_LABEL]: state } },
        data,
        binaryData,
      },
      "merge",
    );
    write.commit();
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

function encodeWrite(
  parts: RecordParts | undefined,
  envelope: SessionEnvelope<unknown>,
  full: boolean,
): PartsWrite {
  return parts ? parts.encode(envelope, full) : { encoded: encodeRecord(envelope), commit: () => {} };
}
