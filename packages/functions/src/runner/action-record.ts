/**
 * The session record of a Blueprint action with a deferPhase: written before its first phase runs,
 * so that if this process dies the deferPhase can still be run elsewhere (`recoverSessions`) with the
 * same Blueprint, subject, options, artifacts, references and phase outputs.
 */
import { ErrorCodes, type Logger, QuiesceError, type SerializedError, serializeError } from "@quiesce/core";
import {
  type Cluster,
  SessionRecord,
  type SessionRecordSettings,
  sessionRecordOptions,
  UnrecordedWrites,
} from "@quiesce/kube";
import type { Blueprint } from "../blueprint/schema.js";
import type { Artifact, NamedObjectRef, Subject, TemplateParams } from "../template-params.js";
import type { RunActionOptions } from "./options.js";
import type { PhaseResult } from "./result.js";

/** The session kind of a Blueprint action's record. */
export const BLUEPRINT_ACTION_SESSION = "blueprint-action";

/** The action's options the record keeps as they were given (the recovery passes them on as is). */
export const RECORDED_OPTIONS = [
  "options",
  "artifacts",
  "secrets",
  "configMaps",
  "podOverride",
  "podLabels",
  "podAnnotations",
  "podReadyTimeout",
  "phaseTimeout",
  "phaseTimeouts",
  "deferTimeout",
  "preferredVersion",
] as const;

/** A phase that ended, as the record keeps it. */
export interface RecordedPhase {
  name: string;
  func: string;
  status: PhaseResult["status"];
  /** `.Phases.<name>.Output` (registered secrets redacted). */
  output: Record<string, unknown>;
}

/** Where the deferPhase stands. */
export interface RecordedDefer {
  /** `pending` until it starts; `running` once claimed; `done` when it succeeded; `failed` when it ran and failed. */
  state: "pending" | "running" | "done" | "failed";
  /** How many times it was started (by the host, then by recoveries). */
  runs: number;
  /** Who started it last. */
  by?: string;
  result?: PhaseResult;
}

/** What a Blueprint action's record holds. */
export interface ActionRecordPayload {
  blueprint: Blueprint;
  actionName: string;
  subject?: Subject;
  /** Prebuilt TemplateParams, without the Secret and ConfigMap data read into them. */
  params?: Partial<TemplateParams>;
  options?: Record<string, string>;
  artifacts?: Record<string, Artifact>;
  /** References only: the data is read again when the deferPhase runs elsewhere. */
  secrets?: Record<string, NamedObjectRef>;
  configMaps?: Record<string, NamedObjectRef>;
  /** The Profile without its credentials. */
  profile?: unknown;
  /** True when the Profile carried credentials that were left out. */
  profileCredentialsOmitted?: boolean;
  podOverride?: Record<string, unknown>;
  podLabels?: Record<string, string>;
  podAnnotations?: Record<string, string>;
  podReadyTimeout?: number | string;
  phaseTimeout?: number | string;
  phaseTimeouts?: Record<string, number | string>;
  deferTimeout?: number | string;
  preferredVersion?: string;
  /** `.Time` of the action, as its templates saw it (RFC 3339 with nanoseconds). */
  time: string;
  phases: RecordedPhase[];
  defer: RecordedDefer;
}

/** Strips the credentials from a Profile (Kanister's Credential.KeyPair.Secret, Credential.Secret.Data). */
export function profileWithoutCredentials(profile: unknown): { profile: unknown; omitted: boolean } {
  if (profile === null || typeof profile !== "object") return { profile, omitted: false };
  const copy = structuredClone(profile) as { Credential?: Record<string, unknown> };
  const credential = copy.Credential;
  let omitted = false;
  if (credential && typeof credential === "object") {
    const keyPair = credential.KeyPair as { Secret?: unknown } | null | undefined;
    if (keyPair && typeof keyPair === "object" && keyPair.Secret) {
      keyPair.Secret = "";
      omitted = true;
    }
    const secret = credential.Secret as { Data?: Record<string, unknown> } | null | undefined;
    if (secret && typeof secret === "object" && secret.Data && Object.keys(secret.Data).length > 0) {
      secret.Data = {};
      omitted = true;
    }
    if (credential.KopiaServerSecret) {
      credential.KopiaServerSecret = null;
      omitted = true;
    }
  }
  return { profile: copy, omitted };
}

// TemplateParams without what was read from Secrets and ConfigMaps (or will be again).
function storableParams(params: TemplateParams): Partial<TemplateParams> {
  const {
    Secrets: _s,
    ConfigMaps: _c,
    Phases: _p,
    CurrentPhase: _cp,
    DeferPhase: _d,
    Profile,
    ...rest
  } = params;
  return { ...rest, Profile: profileWithoutCredentials(Profile).profile };
}

/** What opening a record needs besides the runner's options. */
export interface OpenActionRecord {
  blueprint: Blueprint;
  actionName: string;
  opts: RunActionOptions;
  /** `.Time` as the templates see it (RFC 3339 with Go's nanoseconds). */
  time: string;
  namespace: string;
  logger: Logger;
  /** Called when another host takes the session over while it runs. */
  onLost: (error: QuiesceError) => void;
}

/** The recording side of one action run: every method is a no-op when there is no record. */
export class ActionRecorder {
  readonly record: SessionRecord<ActionRecordPayload> | undefined;
  readonly #logger: Logger | undefined;
  /** Writes after the first phase started that failed. */
  readonly #unrecorded = new UnrecordedWrites();

  constructor(record: SessionRecord<ActionRecordPayload> | undefined, logger?: Logger) {
    this.record = record;
    this.#logger = logger;
  }

  /**
   * Creates the record when the action has a deferPhase and recording is on. Rejects with
   * `QUIESCE_SESSION_RECORD_FAILED` when it cannot be written.
   */
  static async open(input: OpenActionRecord): Promise<ActionRecorder> {
    const { opts } = input;
    const settings: SessionRecordSettings | false = opts.sessionRecord ?? {};
    if (settings === false || !input.blueprint.actions[input.actionName]?.deferPhase)
      return new ActionRecorder(undefined);
    const payload: ActionRecordPayload = {
      blueprint: input.blueprint,
      actionName: input.actionName,
      time: input.time,
      phases: [],
      defer: { state: "pending", runs: 0 },
    };
    if (opts.params) payload.params = storableParams(opts.params);
    else if (opts.subject) payload.subject = opts.subject;
    const copy = <K extends keyof ActionRecordPayload & keyof RunActionOptions>(k: K) => {
      if (opts[k] !== undefined)
        (payload as unknown as Record<string, unknown>)[k] = structuredClone(opts[k]);
    };
    for (const k of RECORDED_OPTIONS) copy(k);
    if (opts.profile !== undefined) {
      const { profile, omitted } = profileWithoutCredentials(opts.profile);
      payload.profile = profile;
      if (omitted) payload.profileCredentialsOmitted = true;
    }
    const record = await SessionRecord.open(
      sessionRecordOptions(settings, {
        cluster: opts.cluster as Cluster,
        namespace: input.namespace,
        kind: BLUEPRINT_ACTION_SESSION,
        logger: input.logger,
        onLost: input.onLost,
      }),
      payload,
    );
    return new ActionRecorder(record, input.logger);
  }

  /** A phase ended: its output is what the deferPhase may read. */
  async phaseEnded(result: PhaseResult): Promise<void> {
    await this.#write((p) => {
      p.phases.push({ name: result.name, func: result.func, status: result.status, output: result.output });
    });
  }

  /**
   * Claims the deferPhase before it runs. False when another host took the session over (the
   * deferPhase is theirs); a write that fails otherwise does not stop the deferPhase.
   */
  async claimDefer(): Promise<boolean> {
    if (!this.record) return true;
    try {
      await this.record.update((p) => {
        p.defer = {
          ...p.defer,
          state: "running",
          runs: p.defer.runs + 1,
          by: this.record?.lease.identity ?? "",
        };
      });
      return true;
    } catch (err) {
      if (QuiesceError.is(err, ErrorCodes.SESSION_LEASE_LOST)) return false;
      this.#unrecorded.note(this.#where(), "the deferPhase's claim", err, this.#logger);
      return true;
    }
  }

  /**
   * Writes after the first phase started that failed (`QUIESCE_SESSION_RECORD_FAILED`, one per
   * kind), and a close that failed: the action went on, the record fell behind or stayed.
   */
  warnings(closeError: SerializedError | undefined): SerializedError[] {
    const failed = this.#unrecorded.warnings(this.#where()).warnings ?? [];
    return closeError ? [...failed, closeError] : failed;
  }

  #where(): string {
    return this.record ? `${this.record.namespace}/${this.record.name}` : "";
  }

  /** The deferPhase ended: done, or still owed — written by {@link close}, which follows at once. */
  deferEnded(result: PhaseResult): void {
    const record = this.record;
    if (!record || record.lost) return;
    record.payload.defer = {
      ...record.payload.defer,
      state: result.status === "succeeded" ? "done" : "failed",
      result,
    };
  }

  /**
   * Ends the record: deleted when nothing is owed (no deferPhase to run, or it succeeded), kept and
   * released when the deferPhase failed, so a recovery runs it again. Never throws.
   */
  async close(): Promise<SerializedError | undefined> {
    const record = this.record;
    if (!record) return undefined;
    try {
      await record.close(record.payload.defer.state === "done" ? "done" : "owed");
      return undefined;
    } catch (err) {
      return serializeError(err);
    }
  }

  async #write(mutate: (p: ActionRecordPayload) => void): Promise<void> {
    const record = this.record;
    if (!record || record.lost) return;
    // The first phase already ran: stopping now would not undo it, so the action goes on — and its
    // result says that the record fell behind (a recovery would not see this phase's output).
    await record.update(mutate).catch((err: unknown) => {
      this.#unrecorded.note(this.#where(), "a phase's output", err, this.#logger);
    });
  }
}
