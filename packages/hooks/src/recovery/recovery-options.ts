/** Options, results and events of {@link recoverSessions}. */
import type { Logger, SerializedError } from "@quiesce/core";
import type { Action, ExecutorRegistry, FunctionDefinition, TlsOptions } from "@quiesce/executors";
import type { ActionResult, BlueprintEvents, FunctionRegistry } from "@quiesce/functions";
import type { Cluster, SkippedSession } from "@quiesce/kube";
import { EventEmitter } from "eventemitter3";
import type { LifecycleEmitter } from "../events.js";
import type { FunctionHookSpec } from "../hook-spec.js";
import type { ActionTransformInfo } from "../prepare-settings.js";
import type { SessionResult } from "../result.js";

/** Options of {@link recoverSessions}. */
export interface RecoverSessionsOptions {
  cluster: Cluster;
  /** Namespaces to look in (default: all, which needs cluster-wide list permission on Leases and ConfigMaps). */
  namespaces?: readonly string[] | undefined;
  /** This recoverer's holderIdentity on the Leases it takes. Default: `<hostname>_<random UUID>`. */
  identity?: string | undefined;
  /** leaseDurationSeconds of the Leases while this process recovers their sessions. Default 30. */
  leaseDurationSeconds?: number | undefined;
  /** How often those Leases are renewed, ms or a Go duration. Default: a third of the duration. */
  renewInterval?: number | string | undefined;
  /** Also take sessions an earlier recovery left `failed`. Default false. */
  retryFailed?: boolean | undefined;
  /** Sessions recovered at once. Default 4. */
  concurrency?: number | undefined;
  /** Stops waiting and taking; cleanup already running gets each session's `cleanupTimeout`. */
  signal?: AbortSignal | undefined;
  logger?: Logger | undefined;
  /** Events of the recovery: sessions skipped, started, recovered. */
  events?: RecoveryEmitter | undefined;
  /** Events of the recovered hooks (as `runWithHooks` emits them). */
  hookEvents?: LifecycleEmitter | undefined;
  /** Events of the recovered Blueprint actions' deferPhases. */
  blueprintEvents?: BlueprintEvents | undefined;
  /**
   * Host function hooks by name: code cannot be recorded, so a recovered session whose cleanup is a
   * host function runs the one given here (none given: it fails with `QUIESCE_SESSION_HOOK_UNAVAILABLE`).
   */
  functionHooks?: Readonly<Record<string, FunctionHookSpec["run"]>> | undefined;
  /** As in `runWithHooks`: the registries, KubeStash Function definitions, TLS and action transform. */
  executorRegistry?: ExecutorRegistry | undefined;
  functionRegistry?: FunctionRegistry | undefined;
  functions?: Readonly<Record<string, FunctionDefinition>> | undefined;
  tls?: TlsOptions | undefined;
  /**
   * Let Operator-executor exec hooks run as local processes of *this* host. Not taken from the
   * record: the recovering host is not the one that recorded them. Default false.
   */
  allowLocalExec?: boolean | undefined;
  transformAction?: ((action: Action, info: ActionTransformInfo) => Action) | undefined;
  /**
   * `.Profile` for Blueprint actions whose Profile was recorded without its credentials, and for
   * hook sessions given a Profile value (a reference is recorded and read again).
   */
  profile?: unknown;
}

/** One session this call recovered. */
export interface RecoveredSession {
  namespace: string;
  /** The ConfigMap and Lease name. */
  name: string;
  /** `hooks` (a runWithHooks session) or `blueprint-action`. */
  kind: string;
  /** The host that held the session before (its Lease's holderIdentity). */
  previousHolder: string;
  /** The operation id of a hook session, the action name of a Blueprint action. */
  operation: string;
  /**
   * `completed`: every owed cleanup hook (or the deferPhase) ran to success — now or earlier — and
   * the record is deleted; `failed`: some did not, and the record is kept as `failed`.
   */
  cleanup: "completed" | "failed";
  /** The recovered hook session's result. */
  session?: SessionResult;
  /** The recovered Blueprint action's result. */
  action?: ActionResult;
  /** What kept the recovery from running (an unreadable record, an API failure). */
  error?: SerializedError;
  startedAt: string;
  finishedAt: string;
}

/** What {@link recoverSessions} resolves with. */
export interface RecoveryReport {
  identity: string;
  recovered: RecoveredSession[];
  /** Sessions left alone: alive, taken by another recoverer, failed before, unreadable. */
  skipped: SkippedSession[];
  /** Leases whose session record was gone: deleted. */
  removedLeases: Array<{ namespace: string; name: string }>;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

/** Events of a recovery. */
export interface RecoveryEvents {
  /** Held Leases are watched this long (their holders may still renew them) before any is taken. */
  "sessions:watching": [{ sessions: number; waitMs: number }];
  "session:skipped": [SkippedSession];
  "session:recovering": [{ namespace: string; name: string; kind: string; previousHolder: string }];
  "session:recovered": [RecoveredSession];
}

/** An emitter of {@link RecoveryEvents}. */
export type RecoveryEmitter = EventEmitter<RecoveryEvents>;

/**
 * Creates an emitter to pass as `events` to {@link recoverSessions}.
 *
 * @example
 * ```ts
 * const events = createRecoveryEvents();
 * events.on("session:recovered", (s) => log(`${s.namespace}/${s.name}: cleanup ${s.cleanup}`));
 * ```
 */
export function createRecoveryEvents(): RecoveryEmitter {
  return new EventEmitter<RecoveryEvents>();
}
