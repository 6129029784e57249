/**
 * The session's ledger of owed cleanup, kept in the cluster: a unit is armed — recorded with its
 * cleanup hooks' specs — before its hooks before the step run (a freeze creates the obligation to
 * thaw); each cleanup hook is claimed before it runs and discharged after; at the end
 * the record is deleted, or kept (and its Lease released) while cleanup is still owed.
 */
import { ErrorCodes, type Logger, QuiesceError, serializeError } from "@quiesce/core";
import {
  type Cluster,
  recordSessionEvent,
  SessionRecord,
  type SessionRecordSettings,
  sessionRecordOptions,
  UnrecordedWrites,
} from "@quiesce/kube";
import type { HookPhase, SessionRecordInfo, StepRecord } from "../result.js";
import {
  CLEANUP_PHASES,
  HOOK_SESSION,
  type HooksPayload,
  type StoredSlot,
  type StoredUnit,
  storedRecord,
} from "./ledger-payload.js";
import { PHASES, type Slot, type Unit } from "./unit.js";

/** What {@link HookLedger.claim} decided. */
export type Claim = "run" | "done" | "lost";

/** What a live ledger needs to open its record. */
export interface LedgerEnv {
  cluster: Cluster;
  settings: SessionRecordSettings;
  /** The record's namespace unless the settings name one. */
  namespace: string;
  logger: Logger;
  onLost: (error: QuiesceError) => void;
  payload: Omit<HooksPayload, "units" | "step">;
}

const BEFORE_STEP: readonly HookPhase[] = ["pre", "preHook"];
const where = (record: SessionRecord<HooksPayload>) => `${record.namespace}/${record.name}`;
const unitKey = (u: { namespace: string; target?: { name: string } | undefined }) =>
  `${u.namespace}/${u.target?.name ?? ""}`;
const cleanupSlots = (unit: Unit) =>
  PHASES.filter((p) => CLEANUP_PHASES.has(p)).flatMap((p) => unit.slots[p]);
// Still owed: a cleanup hook that ran and did not succeed (failed, cancelled, timed out).
const owes = (slot: Slot) => slot.record.status === "failed" || slot.record.status === "cancelled";

function storeUnit(unit: Unit): StoredUnit {
  return {
    namespace: unit.namespace,
    subject: unit.subject,
    ...(unit.target ? { target: { ...unit.target } } : {}),
    preFailed: unit.preFailed,
    onSuccessFailed: unit.onSuccessFailed,
    artifacts: { ...unit.artifacts },
    pre: [],
    cleanup: cleanupSlots(unit).map((slot) => ({
      phase: slot.record.phase,
      name: slot.record.name,
      spec: slot.hook?.stored,
      state: "pending",
      runs: 0,
    })),
  };
}

/** One session's ledger; every method is safe to call when nothing is recorded. */
export class HookLedger {
  readonly #env: LedgerEnv | undefined;
  readonly #logger: Logger;
  #opening: Promise<SessionRecord<HooksPayload>> | undefined;
  readonly #armed = new Map<Unit, StoredUnit>();
  readonly #recovering: boolean;
  /** Writes after the hooks before the step that failed. */
  readonly #unrecorded = new UnrecordedWrites();
  #lost: QuiesceError | undefined;

  private constructor(
    env: LedgerEnv | undefined,
    record: SessionRecord<HooksPayload> | undefined,
    logger: Logger,
  ) {
    this.#env = env;
    this.#logger = logger;
    this.#recovering = record !== undefined;
    if (record) this.#opening = Promise.resolve(record);
  }

  /** The ledger of a live session: nothing is written until a unit is armed. */
  static live(env: LedgerEnv): HookLedger {
    return new HookLedger(env, undefined, env.logger);
  }

  /** The ledger of a recovered session: its units are those of the record (matched by namespace and pod). */
  static recovering(record: SessionRecord<HooksPayload>, units: readonly Unit[], logger: Logger): HookLedger {
    const ledger = new HookLedger(undefined, record, logger);
    const stored = new Map(record.payload.units.map((u) => [unitKey(u), u]));
    for (const unit of units) {
      const s = stored.get(unitKey(unit));
      if (s) ledger.#armed.set(unit, s);
    }
    return ledger;
  }

  /** True when `unit` has hooks before the step and cleanup hooks after it: a freeze makes cleanup owed. */
  static owesCleanup(unit: Unit): boolean {
    return cleanupSlots(unit).length > 0 && [...BEFORE_STEP].some((p) => unit.slots[p].length > 0);
  }

  /** True once `unit` was armed: its owed cleanup was written to the record. */
  isArmed(unit: Unit): boolean {
    return this.#armed.has(unit);
  }

  /**
   * Before the hooks before the step of `units` run: records the cleanup hooks of those that owe
   * some (creating the session's record and Lease the first time), in one write. Rejects when that
   * cannot be written: their hooks must not run. Returns the units it armed now.
   */
  async arm(units: readonly Unit[]): Promise<Unit[]> {
    const env = this.#env;
    if (!env) return [];
    const fresh = units.filter((u) => !this.#armed.has(u) && HookLedger.owesCleanup(u));
    if (fresh.length === 0) return [];
    const stored = fresh.map((unit) => storeUnit(unit));
    if (!this.#opening) {
      const options = sessionRecordOptions(env.settings, {
        cluster: env.cluster,
        namespace: env.namespace,
        kind: HOOK_SESSION,
        logger: env.logger,
        onLost: env.onLost,
      });
      // A claim rewrites only the part of the units that holds its unit.
      this.#opening = SessionRecord.open<HooksPayload>(
        { ...options, partsOf: "units" },
        {
          ...env.payload,
          step: { status: "pending" },
          units: stored,
        },
      );
      await this.#opening;
    } else {
      const record = await this.#opening;
      try {
        // Units added are written without being named.
        await record.update((p) => {
          p.units.push(...stored);
        }, []);
      } catch (err) {
        // The payload in memory is the record's own: a unit left in it would be written by the
        // next write, listed as armed although its hooks before the step never ran.
        record.payload.units = record.payload.units.filter((u) => !stored.includes(u));
        throw err;
      }
    }
    // Armed only once written: the cleanup it owes is recorded, so its hooks may run.
    for (const [i, unit] of fresh.entries()) this.#armed.set(unit, stored[i] as StoredUnit);
    return fresh;
  }

  /**
   * After the hooks before the step of `units`: what they did, and what the cleanup needs of it. A
   * unit none of whose hooks before the step ran (an abort, another unit's failure) owes nothing and
   * leaves the record.
   */
  async preEnded(units: readonly Unit[]): Promise<void> {
    const armed = units.filter((u) => this.#armed.has(u));
    if (armed.length === 0) return;
    // A Set: a session over N units must not scan the list per unit.
    const idle = new Set(
      armed.filter((u) =>
        [...BEFORE_STEP]
          .flatMap((ph) => u.slots[ph])
          .every((s) => s.record.status === "skipped" && s.record.skippedBecause !== "already-succeeded"),
      ),
    );
    const touched = armed.map((u) => this.#armed.get(u));
    await this.#update((p) => {
      const gone = new Set<StoredUnit>();
      for (const unit of armed) {
        const stored = this.#armed.get(unit) as StoredUnit;
        if (idle.has(unit)) {
          gone.add(stored);
          this.#armed.delete(unit);
          continue;
        }
        stored.preFailed = unit.preFailed;
        stored.artifacts = { ...unit.artifacts };
        if (unit.firstError !== undefined) stored.firstError = unit.firstError;
        if (unit.target) stored.target = { ...unit.target };
        stored.pre = [...BEFORE_STEP]
          .flatMap((ph) => unit.slots[ph])
          .map((s) => ({
            phase: s.record.phase,
            name: s.record.name,
            status: s.record.status,
            targets: s.record.targets.map((t) => t.name),
          }));
      }
      if (gone.size > 0) p.units = p.units.filter((u) => !gone.has(u));
    }, touched);
  }

  /**
   * After the step: whether the cleanup belongs to a success or a failure. Written with the next
   * claim (or at the end): nothing runs in between that a crash could leave half done.
   */
  async stepEnded(step: StepRecord, stepBlocked: HooksPayload["stepBlocked"]): Promise<void> {
    if (this.#armed.size === 0) return;
    await this.#later((p) => {
      p.step = {
        status: step.status,
        ...(step.skippedBecause ? { skippedBecause: step.skippedBecause } : {}),
        ...(step.error ? { error: step.error } : {}),
      };
      if (stepBlocked !== undefined) p.stepBlocked = stepBlocked;
    });
  }

  /**
   * Before a cleanup hook runs: `done` when an earlier holder ran it to success (it is not run
   * again), `lost` when the session now belongs to another holder (this one must not run it), else
   * `run` — also when the claim could not be written: a thaw is never withheld for want of a record.
   */
  async claim(unit: Unit, slot: Slot): Promise<Claim> {
    const stored = this.#armed.get(unit);
    const s = this.#slot(unit, slot);
    if (!s || !this.#opening) return "run";
    if (s.state === "done") return "done";
    const record = await this.#opening.catch(() => undefined);
    if (!record) return "run";
    try {
      await record.update(() => {
        s.state = "running";
        s.runs += 1;
        s.by = record.lease.identity;
      }, [stored]);
      return "run";
    } catch (err) {
      if (QuiesceError.is(err, ErrorCodes.SESSION_LEASE_LOST)) {
        this.#lost ??= err;
        return "lost";
      }
      this.#unrecorded.note(where(record), "a cleanup hook's claim", err, this.#logger);
      return "run";
    }
  }

  /** Why a claim found the session another holder's (`QUIESCE_SESSION_LEASE_LOST`), once one did. */
  get lost(): QuiesceError | undefined {
    return this.#lost;
  }

  /** The stored state of a cleanup hook an earlier holder already ran (for the result). */
  storedSlot(unit: Unit, slot: Slot): StoredSlot | undefined {
    return this.#slot(unit, slot);
  }

  /**
   * After a cleanup hook ran: discharged, or still owed. Written with the next claim, or at the end
   * (where a record with nothing owed is deleted): the next write follows at once.
   */
  async discharged(unit: Unit, slot: Slot): Promise<void> {
    const s = this.#slot(unit, slot);
    if (!s) return;
    await this.#later((_p, record) => {
      s.state = owes(slot) ? "failed" : "done";
      s.record = storedRecord(slot.record);
      record.touch(this.#armed.get(unit));
    });
  }

  /**
   * Ends the record: deleted when no cleanup is owed; kept otherwise (`owed` by a live session,
   * `failed` after a recovery) with its Lease released, and an Event says so. Never throws.
   */
  async close(): Promise<SessionRecordInfo | undefined> {
    const record = await this.#opening?.catch(() => undefined);
    if (!record) return undefined;
    const info: SessionRecordInfo = {
      namespace: record.namespace,
      name: record.name,
      state: "done",
      ...this.#unrecorded.warnings(where(record)),
    };
    if (record.lost) {
      await record.close("done");
      return { ...info, state: "lost" };
    }
    const owed = [...this.#armed].flatMap(([unit]) =>
      cleanupSlots(unit)
        .filter(owes)
        .map(
          (s) =>
            `${s.record.phase} ${s.record.name} (${unit.target ? `${unit.namespace}/${unit.target.name}` : unit.namespace})`,
        ),
    );
    const state = owed.length === 0 ? "done" : this.#recovering ? "failed" : "owed";
    try {
      if (owed.length > 0 || this.#recovering) {
        const event =
          owed.length === 0
            ? {
                type: "Normal" as const,
                reason: "SessionRecovered",
                message: `the owed cleanup ran (session ${record.payload.operationId})`,
              }
            : {
                type: "Warning" as const,
                reason: this.#recovering ? "SessionRecoveryFailed" : "SessionCleanupOwed",
                message: `cleanup still owed by session ${record.payload.operationId}: ${owed.join(", ")}`,
              };
        await recordSessionEvent(
          record.cluster,
          { namespace: record.namespace, name: record.name, uid: record.uid },
          event,
          { identity: record.lease.identity, logger: this.#logger },
        );
      }
      await record.close(state);
    } catch (err) {
      return { ...info, state, error: serializeError(err) };
    }
    return { ...info, state };
  }

  #slot(unit: Unit, slot: Slot): StoredSlot | undefined {
    return this.#armed
      .get(unit)
      ?.cleanup.find((c) => c.phase === slot.record.phase && c.name === slot.record.name);
  }

  // A change that the next write carries (the payload is the record's own, in memory).
  // A change to a unit is named to the record (`touch`), so that the next write carries its part.
  async #later(mutate: (p: HooksPayload, record: SessionRecord<HooksPayload>) => void): Promise<void> {
    const record = await this.#opening?.catch(() => undefined);
    if (record && !record.lost) mutate(record.payload, record);
  }

  async #update(mutate: (p: HooksPayload) => void, touched: readonly unknown[]): Promise<void> {
    const record = await this.#opening?.catch(() => undefined);
    if (!record || record.lost) return;
    // The freeze already ran: stopping now would not undo it, so the hooks go on — and the result
    // says that the record no longer follows the session.
    await record.update(mutate, touched).catch((err: unknown) => {
      this.#unrecorded.note(where(record), "what the hooks before the step did", err, this.#logger);
    });
  }
}
