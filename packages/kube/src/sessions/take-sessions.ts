/**
 * Finding sessions whose holder is gone and taking them over — one taker per session, decided by
 * the API server's optimistic concurrency on the Lease, as client-go's leader election decides.
 */
import {
  ErrorCodes,
  type Logger,
  mapSettledLimit,
  QuiesceError,
  type SerializedError,
  serializeError,
  sleep,
} from "@quiesce/core";
import type { Cluster, KubeObject } from "../cluster.js";
import {
  HeldLease,
  type HeldLeaseOptions,
  LEASES,
  leaseExpired,
  type ObservedLease,
  observeLease,
} from "./lease.js";
import {
  DEFAULT_SESSION_LEASE_SECONDS,
  defaultIdentity,
  readEnvelope,
  SESSION_LABEL,
  type SessionEnvelope,
  SessionRecord,
} from "./session-record.js";

const CONFIGMAPS = { version: "v1", resource: "configmaps" } as const;

/** Options of {@link takeExpiredSessions}. */
export interface TakeSessionsOptions {
  cluster: Cluster;
  /** Namespaces to look in (default: all, which needs cluster-wide list permission). */
  namespaces?: readonly string[] | undefined;
  /** The taker's holderIdentity. Default: `<hostname>_<random UUID>`. */
  identity?: string | undefined;
  /** leaseDurationSeconds while this process holds a taken session. Default 30. */
  leaseDurationSeconds?: number | undefined;
  renewIntervalMs?: number | undefined;
  /** Session kinds this caller can run (others are left alone). Default: every kind. */
  kinds?: readonly string[] | undefined;
  /** Also take sessions a recovery already tried and left `failed`. Default false. */
  retryFailed?: boolean | undefined;
  signal?: AbortSignal | undefined;
  logger?: Logger | undefined;
  /** Called before the wait for held Leases: how many, and for how long at most (ms). */
  onWait?: ((info: { sessions: number; waitMs: number }) => void) | undefined;
  /** Called when a taken session is lost again (another taker, while this one runs it). */
  onLost?: ((record: SessionRecord, error: QuiesceError) => void) | undefined;
}

/** Why a session was not taken. */
export type SkipSessionReason =
  /** Its holder renews its Lease (or renewed it while this caller watched). */
  | "alive"
  /** Another caller took it first. */
  | "taken"
  /** A recovery ran and left it `failed` (see `retryFailed`). */
  | "failed"
  /** Its record cannot be read. */
  | "invalid"
  /** Its kind is not one this caller runs. */
  | "unknown-kind"
  /** It ended (record deleted) while this caller watched. */
  | "finished"
  /** Taking it failed (an API error: `error` says which). */
  | "error";

/** A session {@link takeExpiredSessions} left alone. */
export interface SkippedSession {
  namespace: string;
  name: string;
  kind?: string;
  reason: SkipSessionReason;
  /** The Lease's holder when it was read. */
  holder?: string;
  error?: SerializedError;
}

/** What {@link takeExpiredSessions} found and took. */
export interface TakenSessions {
  /** Sessions this process now holds (their Leases renewed until closed). */
  taken: SessionRecord[];
  skipped: SkippedSession[];
  /** Leases without a record whose holder was gone: deleted. */
  removedLeases: Array<{ namespace: string; name: string }>;
}

interface Candidate {
  configMap: KubeObject | undefined;
  envelope: SessionEnvelope | undefined;
  lease: ObservedLease | undefined;
}

const key = (o: KubeObject) => `${o.metadata?.namespace}/${o.metadata?.name}`;
const isCode = (err: unknown, code: string) => QuiesceError.is(err) && err.code === code;

async function listAll(options: TakeSessionsOptions, ref: typeof LEASES | typeof CONFIGMAPS) {
  const scopes = options.namespaces ? [...new Set(options.namespaces)] : [undefined];
  const items: KubeObject[] = [];
  for (const namespace of scopes) {
    const list = await options.cluster.list(
      { ...ref, ...(namespace ? { namespace } : {}) },
      { labelSelector: SESSION_LABEL, signal: options.signal },
    );
    items.push(...list.items);
  }
  return items;
}

/**
 * Takes every session whose holder is gone: its Lease is released, or has not changed for
 * `leaseDurationSeconds` while this caller watched — so a call that finds held Leases waits the
 * longest of their durations once, then re-reads them (client-go's rule: the holder's `renewTime`
 * is never compared with this host's clock, so clock skew cannot make a live holder look dead). Each Lease is taken with one update carrying
 * the resourceVersion it was read at, so when several callers race, exactly one gets each session.
 * A record whose Lease is missing is taken by creating the Lease; a Lease whose record is missing
 * is deleted. The taken records are renewed until the caller closes them.
 */
export async function takeExpiredSessions(options: TakeSessionsOptions): Promise<TakenSessions> {
  const identity = options.identity ?? defaultIdentity();
  const result: TakenSessions = { taken: [], skipped: [], removedLeases: [] };
  const [leases, configMaps] = [await listAll(options, LEASES), await listAll(options, CONFIGMAPS)];
  const now = Date.now();
  const byKey = new Map<string, Candidate>();
  for (const cm of configMaps) byKey.set(key(cm), { configMap: cm, envelope: undefined, lease: undefined });
  for (const lease of leases) {
    const entry = byKey.get(key(lease)) ?? { configMap: undefined, envelope: undefined, lease: undefined };
    entry.lease = observeLease(lease, now);
    byKey.set(key(lease), entry);
  }
  const candidates: Candidate[] = [];
  for (const [k, entry] of byKey) {
    const [namespace = "", name = ""] = k.split("/");
    const skip = (reason: SkipSessionReason, extra: Partial<SkippedSession> = {}) =>
      result.skipped.push({ namespace, name, reason, ...extra });
    if (entry.configMap) {
      try {
        entry.envelope = readEnvelope(entry.configMap);
      } catch (err) {
        skip("invalid", { error: serializeError(err) });
        continue;
      }
      const kind = entry.envelope.kind;
      if (options.kinds && !options.kinds.includes(kind)) {
        skip("unknown-kind", { kind });
        continue;
      }
      if (entry.envelope.state === "failed" && !options.retryFailed) {
        skip("failed", { kind });
        continue;
      }
    }
    if (!entry.lease && entry.envelope) {
      // No Lease (deleted by hand?): the record's own age stands in for the renewals.
      const updated = Date.parse(entry.envelope.updatedAt);
      if (updated + entry.envelope.leaseDurationSeconds * 1000 > now) {
        skip("alive", { kind: entry.envelope.kind });
        continue;
      }
    }
    candidates.push(entry);
  }
  // client-go: a candidate must see the same record for a whole lease duration before taking it.
  const waitUntil = Math.max(
    now,
    ...candidates.map((c) =>
      c.lease && !leaseExpired(c.lease, now)
        ? c.lease.observedAt + c.lease.state.leaseDurationSeconds * 1000
        : now,
    ),
  );
  if (waitUntil > Date.now()) {
    const held = candidates.filter((c) => c.lease && !leaseExpired(c.lease, now)).length;
    options.onWait?.({ sessions: held, waitMs: waitUntil - Date.now() });
    await sleep(waitUntil - Date.now(), { signal: options.signal });
  }

  const leaseOptions = (namespace: string, name: string): HeldLeaseOptions => ({
    cluster: options.cluster,
    namespace,
    name,
    identity,
    durationSeconds: options.leaseDurationSeconds ?? DEFAULT_SESSION_LEASE_SECONDS,
    renewIntervalMs: options.renewIntervalMs,
    logger: options.logger,
  });
  await mapSettledLimit(candidates, 4, async (c) => {
    const namespace = c.lease?.namespace ?? c.configMap?.metadata?.namespace ?? "";
    const name = c.lease?.name ?? c.configMap?.metadata?.name ?? "";
    const kind = c.envelope?.kind;
    const skip = (reason: SkipSessionReason, extra: Partial<SkippedSession> = {}) =>
      result.skipped.push({ namespace, name, reason, ...(kind ? { kind } : {}), ...extra });
    try {
      let lease: HeldLease | undefined;
      if (c.lease) {
        const fresh = await options.cluster
          .get({ ...LEASES, namespace, name }, { signal: options.signal })
          .catch((err: unknown) =>
            isCode(err, ErrorCodes.KUBE_NOT_FOUND) ? undefined : Promise.reject(err),
          );
        if (!fresh) return skip("finished");
        if (fresh.metadata?.resourceVersion !== c.lease.resourceVersion) {
          const holder = observeLease(fresh).state.holderIdentity;
          return skip(holder === c.lease.state.holderIdentity ? "alive" : "taken", { holder });
        }
        if (!c.configMap) {
          // A Lease without a record: its session never wrote one, or ended between the two deletes.
          // Already gone: its own host deleted it (a session deletes its record, then its Lease).
          const removed = await options.cluster
            .delete({ ...LEASES, namespace, name }, { signal: options.signal })
            .then(
              () => true,
              (err: unknown) => (isCode(err, ErrorCodes.KUBE_NOT_FOUND) ? false : Promise.reject(err)),
            );
          if (!removed) return skip("finished");
          result.removedLeases.push({ namespace, name });
          return;
        }
        lease = await HeldLease.takeOver(leaseOptions(namespace, name), c.lease);
        if (!lease) return skip("taken");
      } else {
        const transitions = (c.envelope?.holder.transitions ?? 0) + 1;
        lease = await HeldLease.create(leaseOptions(namespace, name), transitions).catch((err: unknown) =>
          isCode(err, ErrorCodes.KUBE_CONFLICT) ? undefined : Promise.reject(err),
        );
        if (!lease) return skip("taken");
      }
      const configMap = await options.cluster
        .get({ ...CONFIGMAPS, namespace, name }, { signal: options.signal })
        .catch((err: unknown) => (isCode(err, ErrorCodes.KUBE_NOT_FOUND) ? undefined : Promise.reject(err)));
      if (!configMap) {
        await lease.delete();
        return skip("finished");
      }
      let record: SessionRecord | undefined;
      try {
        record = await SessionRecord.adopt(options.cluster, lease, configMap, {
          logger: options.logger,
          onLost: (error) => record && options.onLost?.(record, error),
        });
      } catch (err) {
        await lease.release().catch(() => {});
        throw err;
      }
      result.taken.push(record);
    } catch (err) {
      skip(QuiesceError.is(err, ErrorCodes.SESSION_RECORD_INVALID) ? "invalid" : "error", {
        error: serializeError(err),
      });
    }
  });
  return result;
}
