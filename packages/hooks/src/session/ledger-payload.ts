/** What a hook session's record holds: enough to run its owed cleanup hooks in another process. */
import type { BackoffOptions, SerializedError } from "@quiesce/core";
import type { HookInvoker, HookSubject } from "../hook-spec.js";
import type { Artifact } from "../journal.js";
import type { HookPhase, HookRecord, HookStatus, SkipReason, StepRecord } from "../result.js";
import type { SessionFormat } from "./session-units.js";
import type { StepTarget } from "./unit.js";

/** The session kind of a hook session's record. */
export const HOOK_SESSION = "hooks";

/** The phases whose hooks a session may owe: those after the step. */
export const CLEANUP_PHASES: ReadonlySet<HookPhase> = new Set(["post", "onSuccess", "onFailure"]);

/** A hook after the step, as the record keeps it. */
export interface StoredSlot {
  phase: HookPhase;
  name: string;
  /** The spec that prepares it again (`PreparedHook.stored`). */
  spec: unknown;
  /**
   * `pending` until it starts; `running` once a holder claimed it (a crash then leaves it running:
   * it is run again, it may have run); `done` when it succeeded or its policy skipped it; `failed`
   * when it ran and failed (still owed).
   */
  state: "pending" | "running" | "done" | "failed";
  /** How many times it was started. */
  runs: number;
  /** Who started it last. */
  by?: string;
  /** How it ended (without output tails). */
  record?: StoredRecord;
}

/** A hook record without its output tails and outputs, small enough for the record. */
export interface StoredRecord {
  status: HookStatus;
  skippedBecause?: SkipReason;
  error?: SerializedError;
  startedAt?: string;
  finishedAt?: string;
  attempts: number;
  targets: Array<{ name: string; status: string; exitCode?: number }>;
}

/** What the hooks before the step did (for the operator: what was frozen). */
export interface StoredPreHook {
  phase: HookPhase;
  name: string;
  status: HookStatus;
  targets: string[];
}

/** A unit whose cleanup is owed: its pre-step hooks started. */
export interface StoredUnit {
  namespace: string;
  subject: HookSubject;
  target?: StepTarget;
  preFailed: boolean;
  onSuccessFailed: boolean;
  firstError?: string;
  /** preHook output artifacts: `.ArtifactsIn` of onSuccess/onFailure. */
  artifacts: Record<string, Artifact>;
  pre: StoredPreHook[];
  cleanup: StoredSlot[];
}

/** The settings of the session that shape its hooks. */
export interface StoredSettings {
  defaultHookTimeout?: string;
  cleanupTimeout?: string;
  k10MaxRetry?: number;
  outputTailBytes?: number;
  backoff?: BackoffOptions;
  insecureSkipTLSVerify?: boolean;
  actionConcurrency?: number;
  /** The session's Profile when it was given as a reference (a value carries credentials: never recorded). */
  profile?: { namespace: string; name: string };
}

/** A hook session's record payload. */
export interface HooksPayload {
  format: SessionFormat;
  operationId: string;
  sessionName: string;
  invoker?: HookInvoker;
  finalAttempt: boolean;
  settings: StoredSettings;
  /** `pending` until the step ended (a crash before that: the step counts as failed). */
  step: { status: StepRecord["status"] | "pending"; skippedBecause?: SkipReason; error?: SerializedError };
  stepBlocked?: SkipReason;
  units: StoredUnit[];
}

/** The compact form of a record. */
export function storedRecord(record: HookRecord): StoredRecord {
  const out: StoredRecord = {
    status: record.status,
    attempts: record.attempts.length,
    targets: record.targets.map((t) => ({
      name: t.name,
      status: t.status,
      ...(t.exitCode !== undefined ? { exitCode: t.exitCode } : {}),
    })),
  };
  if (record.skippedBecause) out.skippedBecause = record.skippedBecause;
  if (record.error) out.error = record.error;
  if (record.startedAt) out.startedAt = record.startedAt;
  if (record.finishedAt) out.finishedAt = record.finishedAt;
  return out;
}
