/**
 * Hook results where KubeStash users look for them: a BackupSession's or RestoreSession's
 * `status.hooks.preHooks/postHooks` (HookExecutionStatus: name, phase Pending | Succeeded | Failed)
 * and its `PreBackupHooksExecutionSucceeded` / `PostBackupHooksExecutionSucceeded` (or …Restore…)
 * conditions, with KubeStash's reasons (kubestash/apimachinery apis/core/v1alpha1/types.go,
 * backupsession_types.go, restoresession_types.go; kmodules.xyz/client-go api/v1 Condition).
 */
import { ErrorCodes, type Logger, QuiesceError } from "@quiesce/core";
import type { Cluster, KubeObject } from "@quiesce/kube";
import type { HookRecord } from "./result.js";

/** The BackupSession or RestoreSession to write hook results into. */
export interface KubeStashSessionRef {
  kind: "BackupSession" | "RestoreSession";
  name: string;
  /** Default: the session's namespace (its subject's). */
  namespace?: string;
}

interface HookExecutionStatus {
  name: string;
  phase: "Succeeded" | "Failed" | "Pending";
}

interface Condition {
  type: string;
  status: "True" | "False";
  reason?: string;
  message?: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

const RESOURCES = {
  BackupSession: { group: "core.kubestash.com", version: "v1alpha1", resource: "backupsessions" },
  RestoreSession: { group: "core.kubestash.com", version: "v1alpha1", resource: "restoresessions" },
} as const;

// The condition types and reasons KubeStash defines for each session kind and phase.
function conditionOf(kind: KubeStashSessionRef["kind"], phase: "pre" | "post", ok: boolean) {
  const op = kind === "BackupSession" ? "Backup" : "Restore";
  const when = phase === "pre" ? "Pre" : "Post";
  return {
    type: `${when}${op}HooksExecutionSucceeded`,
    reason: ok ? `SuccessfullyExecuted${when}${op}Hooks` : `FailedToExecute${when}${op}Hooks`,
  };
}

function phaseOf(record: HookRecord): HookExecutionStatus["phase"] {
  if (record.status === "succeeded" || record.skippedBecause === "already-succeeded") return "Succeeded";
  return record.status === "failed" ? "Failed" : "Pending";
}

const rfc3339 = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

/**
 * Writes hook results into one KubeStash session object through its status subresource. Write
 * failures are logged, never the hooks' failures.
 */
export class KubeStashStatusWriter {
  readonly #ref: { group: string; version: string; resource: string; namespace: string; name: string };

  constructor(
    readonly cluster: Cluster,
    readonly session: KubeStashSessionRef & { namespace: string },
    readonly logger: Logger,
  ) {
    this.#ref = { ...RESOURCES[session.kind], namespace: session.namespace, name: session.name };
  }

  /**
   * Records the pre and post hooks' phases and, when `stage` is given, that stage's condition:
   * True when none of its hooks failed, else False with the first failure's message.
   */
  async write(records: readonly HookRecord[], stage: "pre" | "post" | undefined, signal: AbortSignal) {
    const list = (phase: "pre" | "post") =>
      records.filter((r) => r.phase === phase).map((r) => ({ name: r.name, phase: phaseOf(r) }));
    const status: Record<string, unknown> = { hooks: { preHooks: list("pre"), postHooks: list("post") } };
    try {
      if (stage !== undefined) {
        const current = await this.cluster.get(this.#ref, { signal });
        const failed = records.find((r) => r.phase === stage && r.status === "failed");
        status.conditions = setCondition(current, conditionOf(this.session.kind, stage, !failed), failed);
      }
      await this.cluster.patch(this.#ref, { status }, "merge", { signal, subresource: "status" });
    } catch (err) {
      this.logger.warn(
        `could not record hook status in ${this.session.kind} ${this.session.namespace}/${this.session.name}: ${
          QuiesceError.is(err) || err instanceof Error ? err.message : String(err)
        }`,
      );
    }
  }
}

// kmodules conditions.SetCondition: replace the condition of that type; keep its transition
// time when its status did not change.
function setCondition(
  object: KubeObject,
  cond: { type: string; reason: string },
  failed: HookRecord | undefined,
): Condition[] {
  const existing = ((object.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).filter(
    (c) => c && typeof c === "object",
  );
  const status = failed ? "False" : "True";
  const previous = existing.find((c) => c.type === cond.type);
  const next: Condition = {
    type: cond.type,
    status,
    reason: cond.reason,
    lastTransitionTime: previous?.status === status ? previous.lastTransitionTime : rfc3339(new Date()),
  };
  if (failed?.error?.message) next.message = failed.error.message;
  const generation = object.metadata?.generation;
  if (typeof generation === "number") next.observedGeneration = generation;
  return [...existing.filter((c) => c.type !== cond.type), next];
}

/** What the status writer needs to know about the run that asks for it. */
export interface StatusWriterRun {
  session: KubeStashSessionRef | undefined;
  cluster: Cluster | undefined;
  /** True when the run's hooks are KubeStash/K10 hooks of one namespace. */
  single: boolean;
  namespace: string | undefined;
  logger: Logger;
}

/** The status writer a run asks for (`kubestashSession`), or a validation error saying why it cannot have one. */
export function statusWriterFor(run: StatusWriterRun): KubeStashStatusWriter | undefined {
  const session = run.session;
  if (session === undefined) return undefined;
  const invalid = (why: string) =>
    new QuiesceError(ErrorCodes.VALIDATION, `kubestashSession: ${why}`, {
      details: { path: "kubestashSession" },
    });
  if (!run.cluster) throw invalid("writing hook status needs a cluster");
  if (!run.single) {
    throw invalid(
      "a KubeStash session records the hooks of one KubeStash operation (one namespace, no Velero hooks)",
    );
  }
  if (session.kind !== "BackupSession" && session.kind !== "RestoreSession") {
    throw invalid(`kind must be BackupSession or RestoreSession, got ${JSON.stringify(session.kind)}`);
  }
  return new KubeStashStatusWriter(
    run.cluster,
    { ...session, namespace: session.namespace ?? run.namespace ?? "" },
    run.logger,
  );
}
