/**
 * A session record as stored: the envelope around a session's payload, and how it is read back from
 * its ConfigMap (in one piece, gzipped, or with its list in parts).
 */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { KubeObject } from "../cluster.js";
import { recordText, SESSION_DATA_KEY } from "./record-codec.js";
import { type PartsMarker, type RecordParts, readParts } from "./record-parts.js";

/**
 * Where a session stands: `active` — its holder is running it (or crashed: its Lease tells);
 * `owed` — its holder ended with cleanup still owed (a cleanup hook failed) and released the Lease,
 * so a recoverer runs it at once; `failed` — a recovery ran and some cleanup still failed (it is
 * not retried unless asked).
 */
export type SessionState = "active" | "owed" | "failed";

/** The record as stored: an envelope the kube layer understands around the session's own payload. */
export interface SessionEnvelope<P = unknown> {
  /** 1: the record in one piece; 2: a list of the payload stored in parts (`SessionRecordOptions.partsOf`). */
  version: 1 | 2;
  /** Version 2: which payload field is stored in parts, and how many (readers put it back together). */
  parts?: PartsMarker;
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

/** Parses a session ConfigMap's record; throws `QUIESCE_SESSION_RECORD_INVALID` when it cannot be read. */
export function readEnvelope<P = unknown>(configMap: KubeObject): SessionEnvelope<P> {
  return readRecord<P>(configMap).envelope;
}

/** The record and, when its list is stored in parts, the layout to write it again. */
export function readRecord<P>(configMap: KubeObject): {
  envelope: SessionEnvelope<P>;
  parts: RecordParts | undefined;
} {
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
    (env?.version !== 1 && env?.version !== 2) ||
    typeof env.kind !== "string" ||
    typeof env.sessionId !== "string" ||
    !env.holder ||
    typeof env.holder.identity !== "string" ||
    typeof env.leaseDurationSeconds !== "number"
  ) {
    throw new QuiesceError(
      ErrorCodes.SESSION_RECORD_INVALID,
      `session record ${where}: not a version 1 or 2 session record this quiesce can read`,
    );
  }
  if (env.version === 1) return { envelope: env as SessionEnvelope<P>, parts: undefined };
  if (typeof env.payload !== "object" || env.payload === null) {
    throw new QuiesceError(
      ErrorCodes.SESSION_RECORD_INVALID,
      `session record ${where}: its payload is not an object`,
    );
  }
  const parts = readParts(configMap, env.parts, env.payload as Record<string, unknown>, where);
  return { envelope: env as SessionEnvelope<P>, parts };
}
