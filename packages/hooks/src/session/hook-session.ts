/**
 * One hook session as an object with one method per stage — resolve, pre, step, post (cleanup),
 * finish — while the format policies decide order, skipping and outcome.
 */
import { randomUUID } from "node:crypto";
import {
  ErrorCodes,
  type Logger,
  mapSettledLimit,
  parseDuration,
  QuiesceError,
  type SerializedError,
  serializeError,
  toLogger,
} from "@quiesce/core";
import { isProfileRef, loadProfile, type ProfileInput } from "@quiesce/functions";
import { type Cluster, type LeakedObject, trackLeaks } from "@quiesce/kube";
import { type AttemptSettings, eventInfo, runAttempts } from "../attempts.js";
import type { LifecycleEmitter } from "../events.js";
import type { HookRunContext, PreparedHook, SessionStatusView } from "../hook-spec.js";
import { type KubeStashStatusWriter, statusWriterFor } from "../kubestash-status.js";
import type { RunWithHooksOptions, Step } from "../lifecycle-options.js";
import { k10Policy } from "../policies/k10-policy.js";
import { kubestashPolicy } from "../policies/kubestash-policy.js";
import type { HookPolicy, RunSlotOptions, SessionApi } from "../policies/policy.js";
import { veleroBackupPolicy } from "../policies/velero-backup-policy.js";
import { createVeleroRestorePolicy } from "../policies/velero-restore-policy.js";
import type { PrepareEnv } from "../prepare-settings.js";
import type { HookPhase, SessionRecordInfo, SessionResult, SkipReason, StepRecord } from "../result.js";
import { clusterTemplates, memoizeTemplates } from "../template-source.js";
import { type CleanupScope, cleanupScope } from "./cleanup-scope.js";
import { decide } from "./decide.js";
import { HookLedger } from "./ledger.js";
import { resolveUnits } from "./resolve-units.js";
import { runStep } from "./run-step.js";
import { type SessionFormat, type SessionPlan, sessionPlan } from "./session-units.js";
import { PHASES, recordsOf, type Slot, type StepTarget, type Unit } from "./unit.js";

const K10_PHASES: ReadonlySet<HookPhase> = new Set(["preHook", "onSuccess", "onFailure"]);
const BEFORE_STEP: ReadonlySet<HookPhase> = new Set(["pre", "preHook"]);

/** What a recovery gives a session besides the runner's options. */
export interface SessionInternals {
  /** The units to work on (default: the plan the options describe). */
  plan?: SessionPlan;
  /** The ledger of a recovered session, for its units. */
  ledger?: (units: Unit[]) => HookLedger;
  /** A hook that cannot be prepared fails on its own (recovery) instead of failing the session. */
  tolerateUnresolvable?: boolean;
}

// Before the step the policies run in this order; after it, in reverse.
function policiesFor(format: SessionFormat): HookPolicy[] {
  if (format === "velero-backup") return [veleroBackupPolicy];
  if (format === "velero-restore") return [createVeleroRestorePolicy()];
  return [kubestashPolicy, k10Policy];
}

/**
 * A session: construct it with the runner's options (invalid options throw), then call the stages
 * in order. `runWithHooks` is the usual driver; every stage records what happened, so `finish()`
 * always returns a complete result.
 */
export class HookSession implements SessionApi {
  readonly operationId: string;
  readonly signal: AbortSignal;
  readonly finalAttempt: boolean;
  readonly logger: Logger;
  readonly step: StepRecord = { status: "skipped", outputs: {} };
  stepBlocked: SkipReason | undefined;
  readonly units: Unit[];
  readonly namespaces: string[];
  /** Which rules the session follows (KubeStash and K10, or Velero's backup or restore rules). */
  readonly format: SessionFormat;

  readonly #options: RunWithHooksOptions;
  readonly #events: LifecycleEmitter | undefined;
  readonly #env: PrepareEnv;
  readonly #attempts: AttemptSettings;
  readonly #concurrency: number;
  readonly #cleanupTimeoutMs: number;
  readonly #started = Date.now();
  readonly #startedAt: string;
  readonly #plan: SessionPlan;
  readonly #policies: readonly HookPolicy[];
  readonly #status = new Map<Unit, SessionStatusView>();
  #resolutionFailed = false;
  /** One-off pods and Jobs the session's hooks could not delete. */
  readonly #leaked: LeakedObject[] = [];
  #cleanup: CleanupScope | undefined;
  readonly #statusWriter: KubeStashStatusWriter | undefined;
  /** The owed cleanup, recorded in the cluster (absent without a cluster or with `sessionRecord: false`). */
  readonly #ledger: HookLedger | undefined;
  /** Aborts the session when another host took it over. */
  readonly #lost = new AbortController();
  readonly #tolerant: boolean;
  /** Units whose owed cleanup could not be recorded: their hooks before the step must not run. */
  readonly #armFailed = new Map<Unit, unknown>();
  #recordInfo: SessionRecordInfo | undefined;

  constructor(options: RunWithHooksOptions, internals: SessionInternals = {}) {
    this.#plan = internals.plan ?? sessionPlan(options);
    this.#tolerant = internals.tolerateUnresolvable === true;
    this.#options = options;
    this.units = this.#plan.units;
    this.namespaces = this.#plan.namespaces;
    this.format = this.#plan.format;
    this.#policies = policiesFor(this.format);
    this.signal = AbortSignal.any([...(options.signal ? [options.signal] : []), this.#lost.signal]);
    this.operationId = options.operationId ?? randomUUID();
    this.logger = toLogger(options.logger);
    this.#events = options.events;
    this.#concurrency = Math.max(1, options.concurrency ?? 4);
    this.finalAttempt = options.finalAttempt ?? true;
    this.#cleanupTimeoutMs = parseDuration(options.cleanupTimeout ?? "2m");
    this.#startedAt = new Date(this.#started).toISOString();
    this.#env = {
      // Executors and Blueprint actions run their one-off pods and Jobs through this view.
      cluster: options.cluster
        ? trackLeaks(options.cluster, (leak) => {
            this.#leaked.push(leak);
            this.#events?.emit("resource:leaked", { ...leak, operationId: this.operationId });
          })
        : undefined,
      signal: this.signal,
      // No default wall clock: a hook without `timeout` runs until it ends, unless the host says otherwise.
      defaultTimeoutMs:
        options.defaultHookTimeout === undefined ? undefined : parseDuration(options.defaultHookTimeout),
      k10MaxRetry: options.k10MaxRetry ?? 2,
      templates: options.templates
        ? memoizeTemplates(options.templates)
        : options.cluster
          ? memoizeTemplates(clusterTemplates(options.cluster))
          : undefined,
      executorRegistry: options.executorRegistry,
      functionRegistry: options.functionRegistry,
      profile: sessionProfile(options),
      actionConcurrency: options.actionConcurrency,
      allowLocalExec: options.allowLocalExec,
      tls: options.tls,
      insecureSkipTLSVerify: options.insecureSkipTLSVerify,
      functions: options.functions,
      outputLimitBytes: undefined,
      transformAction: options.transformAction,
      invoker: options.invoker,
      sessionRecord: options.sessionRecord,
      templateLimits: options.templateLimits,
    };
    this.#ledger = internals.ledger
      ? internals.ledger(this.units)
      : options.cluster && options.sessionRecord !== false
        ? HookLedger.live({
            cluster: options.cluster,
            settings: options.sessionRecord ?? {},
            namespace: this.units[0]?.namespace ?? "default",
            logger: this.logger,
            onLost: (error) => this.#lost.abort(error),
            payload: {
              format: this.format,
              operationId: this.operationId,
              sessionName: options.sessionName ?? this.operationId,
              ...(options.invoker ? { invoker: options.invoker } : {}),
              finalAttempt: this.finalAttempt,
              settings: JSON.parse(
                JSON.stringify({
                  defaultHookTimeout: options.defaultHookTimeout,
                  cleanupTimeout: options.cleanupTimeout,
                  k10MaxRetry: options.k10MaxRetry,
                  outputTailBytes: options.outputTailBytes,
                  backoff: options.backoff,
                  insecureSkipTLSVerify: options.insecureSkipTLSVerify,
                  actionConcurrency: options.actionConcurrency,
                  profile: isProfileRef(options.profile)
                    ? { namespace: options.profile.namespace, name: options.profile.name }
                    : undefined,
                }),
              ),
            },
          })
        : undefined;
    this.#attempts = {
      operationId: this.operationId,
      backoff: options.backoff ?? {},
      outputTailBytes: options.outputTailBytes ?? 4096,
      events: this.#events,
      // A stopped attempt gets this long to report its targets' partial results.
      settleGraceMs: 500,
    };
    this.#statusWriter = statusWriterFor({
      session: options.kubestashSession,
      cluster: options.cluster,
      single: this.#plan.format === "kubestash" && this.#plan.units.length === 1,
      namespace: this.#plan.units[0]?.namespace,
      logger: this.logger,
    });
    this.#events?.emit("session:started", {
      operationId: this.operationId,
      namespaces: this.namespaces,
      startedAt: this.#startedAt,
    });
  }

  /** Stage 1: prepares every hook of every unit. False (and every hook skipped) when any could not be. */
  async resolve(): Promise<boolean> {
    const ok = await resolveUnits(
      this.units,
      this.#options.hooks,
      this.#plan.specsFor,
      this.#env,
      this.#concurrency,
      this.#tolerant,
    );
    if (!ok) {
      this.#resolutionFailed = true;
      for (const unit of this.units)
        for (const phase of PHASES)
          for (const slot of unit.slots[phase]) if (slot.hook) this.skip(slot, "resolution-failed");
      this.step.skippedBecause = "resolution-failed";
    }
    await this.#writeStatus(undefined);
    return ok;
  }

  /** Stage 2: the hooks before the step, `concurrency` units at a time. */
  async pre(units: readonly Unit[] = this.units): Promise<void> {
    await this.#arm(units);
    await mapSettledLimit(units, this.#width(units), async (unit) => {
      for (const policy of this.#policies) await policy.before(unit, this);
    });
    await this.#ledger?.preEnded(units);
    await this.#writeStatus("pre");
  }

  /**
   * Stage 3: the host's step, once, unless a pre-step failure or the session's abort stops it.
   * In Velero sessions it learns which pods' pre hooks passed (`ctx.targets`).
   */
  async runStep(step: Step): Promise<void> {
    if (this.signal.aborted) this.step.skippedBecause = "cancelled";
    else if (this.stepBlocked !== undefined) this.step.skippedBecause = this.stepBlocked;
    else {
      const targets = this.units.flatMap((u) => (u.target ? [{ ...u.target }] : []));
      await runStep(step, this.step, {
        ...this.#stepContext(),
        ...(this.format === "velero-backup" ? { targets } : {}),
      });
    }
    await this.#ledger?.stepEnded(this.step, this.stepBlocked);
  }

  /**
   * Stage 3, per target (Velero backups, `stepPer: "target"`): the step for `unit`'s pod, between
   * its pre and its post hooks, told whether Velero would leave the pod itself out.
   */
  async runStepFor(step: Step, unit: Unit): Promise<void> {
    const target = unit.target as StepTarget;
    const record: StepRecord = { status: "skipped", outputs: {} };
    if (this.signal.aborted) record.skippedBecause = "cancelled";
    else await runStep(step, record, { ...this.#stepContext(), target: { ...target } });
    const entry = { namespace: target.namespace, name: target.name, excluded: target.excluded, ...record };
    const calls = [...(this.step.targets ?? []), entry];
    this.step.targets = calls;
    this.step.status = calls.some((c) => c.status === "cancelled" || c.skippedBecause === "cancelled")
      ? "cancelled"
      : calls.some((c) => c.status === "failed")
        ? "failed"
        : "succeeded";
    if (record.startedAt) this.step.startedAt ??= record.startedAt;
    if (record.finishedAt) this.step.finishedAt = record.finishedAt;
    if (record.error) this.step.error ??= record.error;
    if (this.step.status === "cancelled") this.step.skippedBecause = "cancelled";
    await this.#ledger?.stepEnded(this.step, this.stepBlocked);
  }

  /**
   * Stage 4: the hooks after the step — the cleanup stage. Cleanup hooks run under a signal of
   * their own that the session's abort does not reach; once aborted they have cleanupTimeout left.
   */
  async post(units: readonly Unit[] = this.units): Promise<void> {
    this.#cleanupScope();
    await mapSettledLimit(units, this.#width(units), async (unit) => {
      for (const policy of [...this.#policies].reverse()) await policy.after(unit, this);
    });
    await this.#writeStatus("post");
  }

  /**
   * Stage 5a: ends the session's record in the cluster — deleted when no cleanup is owed, kept with
   * its Lease released otherwise — and stops renewing its Lease. Never throws.
   */
  async close(): Promise<void> {
    this.#recordInfo = await this.#ledger?.close();
  }

  /** Stage 5: the outcome and the complete result. */
  finish(): SessionResult {
    this.#cleanup?.dispose();
    for (const unit of this.units)
      for (const phase of PHASES) for (const s of unit.slots[phase]) s.hook?.release?.();
    if (this.step.targets !== undefined && this.step.targets.length === 0) this.step.status = "succeeded";
    const hooks = recordsOf(this.units);
    const finishedAtMs = Date.now();
    const decision = decide(hooks, this.step, this.#resolutionFailed, this.signal, this.#policies);
    const result: SessionResult = {
      operationId: this.operationId,
      outcome: decision.outcome,
      decidedBy: decision.decidedBy,
      namespaces: this.namespaces,
      step: this.step,
      hooks,
      leaked: [...this.#leaked],
      ...(this.#recordInfo ? { sessionRecord: this.#recordInfo } : {}),
      startedAt: this.#startedAt,
      finishedAt: new Date(finishedAtMs).toISOString(),
      durationMs: finishedAtMs - this.#started,
    };
    if (decision.error) result.error = decision.error;
    for (const policy of this.#policies) policy.report?.(result, this.units);
    this.logger.info(`session ${this.operationId} ${result.outcome} (${result.decidedBy})`, {
      operationId: this.operationId,
    });
    this.#events?.emit("session:finished", result);
    return result;
  }

  get cluster(): Cluster | undefined {
    return this.#options.cluster;
  }

  get cleanupSignal(): AbortSignal {
    return this.#cleanupScope().controller.signal;
  }

  skip(slot: Slot, reason: SkipReason): void {
    slot.record.status = "skipped";
    slot.record.skippedBecause = reason;
    this.#events?.emit("hook:skipped", { ...eventInfo(slot.record, this.operationId), hook: slot.record });
  }

  fail(slot: Slot, error: unknown): void {
    slot.record.status = "failed";
    slot.record.error = serializeError(error) as SerializedError;
    delete slot.record.skippedBecause;
    this.#events?.emit("hook:failed", { ...eventInfo(slot.record, this.operationId), hook: slot.record });
  }

  statusOf(unit: Unit): SessionStatusView {
    let status = this.#status.get(unit);
    if (!status) {
      const failed = this.step.status !== "succeeded" || unit.onSuccessFailed;
      status = {
        phase: failed ? "Failed" : "Succeeded",
        durationMs: Date.now() - this.#started,
        error: failed ? (unit.firstError ?? this.step.error?.message ?? "cancelled") : "",
      };
      this.#status.set(unit, status);
    }
    return status;
  }

  /**
   * The one place every hook runs: the journal lookup before (K10 hooks), the attempts, the
   * journal record after. Anything that must be known before a hook runs (or after it ran) belongs here.
   */
  async runSlot(unit: Unit, slot: Slot, signal: AbortSignal, options: RunSlotOptions = {}): Promise<void> {
    const hook = slot.hook as PreparedHook;
    const key = `${hook.phase}/${hook.namespace}/${hook.name}`;
    if (!(await this.#ledgerAllows(unit, slot, hook))) return;
    // K10 hooks that succeeded are journalled; KubeStash pre/post hooks are not (a thaw needs its freeze again).
    const journal = K10_PHASES.has(hook.phase) ? this.#options.journal : undefined;
    try {
      const entry = await journal?.get(this.operationId, key);
      if (entry?.status === "succeeded") {
        slot.record.outputs = entry.outputs;
        slot.record.artifacts = entry.artifacts;
        this.skip(slot, "already-succeeded");
        return;
      }
      await runAttempts(
        hook,
        slot.record,
        this.#context(unit, hook.phase, options.status),
        signal,
        this.#attempts,
      );
      if (slot.record.status === "succeeded" && journal) {
        await journal.record(this.operationId, key, {
          status: "succeeded",
          finishedAt: slot.record.finishedAt ?? new Date().toISOString(),
          outputs: slot.record.outputs,
          artifacts: slot.record.artifacts,
        });
      }
      if (!BEFORE_STEP.has(hook.phase)) await this.#ledger?.discharged(unit, slot);
    } catch (err) {
      // Only the journal can throw here: its failure is the hook's failure.
      slot.record.status = "failed";
      slot.record.error = serializeError(err);
    }
  }

  // Before any hook before the step of `units` runs, their owed cleanup is recorded (one write).
  async #arm(units: readonly Unit[]): Promise<void> {
    const ledger = this.#ledger;
    if (!ledger) return;
    const fresh = units.filter((u) => HookLedger.owesCleanup(u) && !ledger.isArmed(u));
    try {
      await ledger.arm(fresh);
    } catch (err) {
      for (const unit of fresh) this.#armFailed.set(unit, err);
    }
  }

  // The ledger before a hook runs: a hook before the step of a unit whose cleanup could not be
  // recorded does not run (no record, no freeze); a cleanup hook is claimed — not run when an earlier
  // holder ran it, or when another host owns the session now.
  async #ledgerAllows(unit: Unit, slot: Slot, hook: PreparedHook): Promise<boolean> {
    const ledger = this.#ledger;
    if (!ledger) return true;
    if (BEFORE_STEP.has(hook.phase)) {
      if (!this.#armFailed.has(unit)) return true;
      this.fail(slot, this.#armFailed.get(unit));
      return false;
    }
    const claim = await ledger.claim(unit, slot);
    if (claim === "run") return true;
    if (claim === "done") {
      const stored = ledger.storedSlot(unit, slot)?.record;
      if (stored?.startedAt) slot.record.startedAt = stored.startedAt;
      if (stored?.finishedAt) slot.record.finishedAt = stored.finishedAt;
    }
    // Taken over: the hook is the new holder's to run, and this session lost — the hook says why.
    if (claim === "lost") slot.record.error = serializeError(ledger.lost);
    this.skip(slot, claim === "done" ? "already-succeeded" : "taken-over");
    return false;
  }

  // The optional KubeStash status: what ran so far, and the condition of the stage that ended.
  async #writeStatus(stage: "pre" | "post" | undefined): Promise<void> {
    if (!this.#statusWriter) return;
    const records = recordsOf(this.units);
    const ended = stage !== undefined && records.some((r) => r.phase === stage) ? stage : undefined;
    if (stage !== undefined && ended === undefined) return;
    await this.#statusWriter.write(records, ended, this.cleanupSignal);
  }

  #width(units: readonly Unit[]): number {
    return this.#policies.some((p) => p.allUnitsAtOnce) ? Math.max(1, units.length) : this.#concurrency;
  }

  #stepContext() {
    return {
      signal: this.signal,
      operationId: this.operationId,
      namespaces: this.namespaces,
      subject: this.#options.subject,
      artifacts: Object.fromEntries(this.units.map((u) => [u.namespace, { ...u.artifacts }])),
      logger: this.logger,
      events: this.#events,
    };
  }

  #context(
    unit: Unit,
    phase: HookPhase,
    status: SessionStatusView | undefined,
  ): Omit<HookRunContext, "signal" | "attempt"> {
    return {
      operationId: this.operationId,
      sessionName: this.#options.sessionName ?? this.#options.kubestashSession?.name ?? this.operationId,
      phase,
      namespace: unit.namespace,
      subject: unit.subject,
      artifactsIn: { ...unit.artifacts },
      status,
      invoker: this.#options.invoker,
      logger: this.logger,
    };
  }

  #cleanupScope(): CleanupScope {
    this.#cleanup ??= cleanupScope(this.signal, this.#cleanupTimeoutMs);
    return this.#cleanup;
  }
}

/**
 * The session's Profile, read (once) when the first Blueprint hook is resolved, so a bad one fails
 * the session before any hook runs. Blueprint hooks then get the reference itself (each action
 * reads it again, as Kanister reads it per ActionSet, and a recorded deferPhase keeps the reference,
 * not credentials) or the value the host gave.
 */
function sessionProfile(options: RunWithHooksOptions): (() => Promise<ProfileInput>) | undefined {
  const input = options.profile;
  if (input === undefined) return undefined;
  let checked: Promise<ProfileInput> | undefined;
  return () => {
    checked ??= isProfileRef(input)
      ? options.cluster
        ? loadProfile(options.cluster, input, options.signal ? { signal: options.signal } : {}).then(
            () => input,
          )
        : Promise.reject(
            new QuiesceError(ErrorCodes.VALIDATION, "a Profile reference needs a cluster to be read from"),
          )
      : Promise.resolve(input);
    return checked;
  };
}
