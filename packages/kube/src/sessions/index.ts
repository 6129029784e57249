/** Sessions on Kubernetes' own primitives: a record (ConfigMap) guarded by a Lease, and taking over the ones whose holder is gone. */
export {
  HeldLease,
  type HeldLeaseOptions,
  LEASES,
  type LeaseState,
  leaseExpired,
  leaseStateOf,
  microTime,
  type ObservedLease,
  observeLease,
} from "./lease.js";
export {
  COMPRESS_ABOVE_BYTES,
  type EncodedRecord,
  encodeRecord,
  MAX_RECORD_BYTES,
  SESSION_DATA_KEY,
  SESSION_GZIP_KEY,
} from "./record-codec.js";
export {
  PART_ITEMS,
  type PartsMarker,
  type PartsWrite,
  RecordParts,
  sessionPartKey,
} from "./record-parts.js";
export { recordSessionEvent, type SessionEvent } from "./session-events.js";
export {
  DEFAULT_SESSION_LEASE_SECONDS,
  defaultIdentity,
  readEnvelope,
  SESSION_LABEL,
  SESSION_STATE_LABEL,
  type SessionEnvelope,
  SessionRecord,
  type SessionRecordOptions,
  type SessionRecordSettings,
  type SessionState,
  sessionRecordOptions,
} from "./session-record.js";
export {
  type SkippedSession,
  type SkipSessionReason,
  type TakenSessions,
  type TakeSessionsOptions,
  takeExpiredSessions,
} from "./take-sessions.js";
export { UnrecordedWrites } from "./unrecorded-writes.js";
