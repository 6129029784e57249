/** runWithHooks: the host's step wrapped in KubeStash and K10 hooks, with a result that loses nothing. */
import { randomUUID } from "node:crypto";
import {
  ErrorCodes,
  mapSettledLimit,
  noopLogger,
  parseDuration,
  QuiesceError,
  raceAbort,
  serializeError,
  timeoutError,
} from "@quiesce/core";
import { eventInfo, newHookRecord, runAttempts } from "./attempts.js";
import type { HookRunContext, HookSpec, HookSubject, PreparedHook, SessionStatusView } from "./hook-spec.js";
import type { Artifact } from "./journal.js";
import type { LifecycleHooks, RunWithHooksOptions, Step, StepContext } from "./lifecycle-options.js";
import { decideOutcome } from "./outcome.js";
import { prepareHook, specName, specResultKind } from "./prepare.js";
import type { PrepareEnv } from "./prepare-settings.js";
import type { HookPhase, HookRecord, SessionResult, SkipReason, StepRecord } from "./result.js";
import { clusterTemplates, memoizeTemplates } from "./template-source.js";

interface Slot {
  record: HookRecord;
  hook: PreparedHook | undefined;
}

interface NamespacePlan {
  namespace: string;
  subject: HookSubject;
  slots: Record<HookPhase, Slot[]>;
  artifacts: Record<string, Artifact>;
  preFailed: boolean;
  onSuccessFailed: boolean;
  firstError: string | undefined;
}

const PHASES: readonly HookPhase[] = ["pre", "preHook", "onSuccess", "onFailure", "post"];
const K10: ReadonlySet<HookPhase> = new Set(["preHook", "onSuccess", "onFailure"]);

function asList(value: HookSpec | readonly HookSpec[] | undefined): readonly HookSpec[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly HookSpec[]) : [value as HookSpec];
}

function specsOf(hooks: LifecycleHooks, phase: HookPhase): readonly HookSpec[] {
  return phase === "pre" || phase === "post" ? (hooks[phase] ?? []) : asList(hooks[phase]);
}

function namespacesOf(options: RunWithHooksOptions): {
  namespaces: string[];
  subjectFor(ns: string): HookSubject;
} {
  if (options.namespaces !== undefined) {
    const namespaces = [...new Set(options.namespaces)];
    if (namespaces.length === 0 || namespaces.some((n) => typeof n !== "string" || n === "")) {
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        "namespaces: expected a non-empty list of namespace names",
      );
    }
    return { namespaces, subjectFor: (ns) => ({ kind: "Namespace", name: ns, namespace: ns }) };
  }
  const subject = options.subject;
  if (!subject || typeof subject.kind !== "string" || typeof subject.name !== "string") {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      "runWithHooks needs a subject {kind, name, namespace} or namespaces[]",
    );
  }
  const ns = subject.namespace ?? (subject.kind === "Namespace" ? subject.name : undefined);
  if (!ns)
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `subject ${subject.kind}/${subject.name}: namespace is required`,
    );
  return { namespaces: [ns], subjectFor: () => subject };
}

/**
 * Runs the host's `step` wrapped in hooks, with KubeStash and K10 semantics:
 *
 * - every hook is resolved first (template, usage policy, params, durations); any refusal fails
 *   the session before anything runs (`decidedBy: "hook-resolution-failed"`);
 * - `pre` hooks in order, then `preHook`; the first failure skips the rest and the step;
 * - the step; then `onSuccess` (after success) or `onFailure` (after any failure, when
 *   `finalAttempt`, never retried); then `post` hooks per `executionPolicy`;
 * - a failed post or onSuccess hook fails the session; `maxRetry` with backoff and a per-attempt
 *   `timeout` everywhere except onFailure (one attempt);
 * - K10 hooks that succeeded are journalled under `operationId` and not run again on a retry;
 *   preHook output artifacts become onSuccess/onFailure input artifacts;
 * - with `namespaces`, hooks run once per namespace, `concurrency` namespaces at a time;
 * - on abort, the step and running hooks are cancelled; cleanup hooks (post `Always` and
 *   `OnFailure`, onFailure) still run under their own signal, bounded by `cleanupTimeout`.
 *
 * Resolves with a complete {@link SessionResult} whatever happened (outcome `cancelled` on
 * abort); rejects only for invalid options.
 *
 * @example
 * ```ts
 * const result = await runWithHooks(
 *   {
 *     cluster,
 *     subject: { kind: "StatefulSet", namespace: "db", name: "mysql" },
 *     hooks: {
 *       pre: [{ name: "freeze", hookTemplate: { name: "readonly-hook", namespace: "db" }, timeout: "30s" }],
 *       post: [{ name: "thaw", hookTemplate: { name: "readonly-off-hook", namespace: "db" }, maxRetry: 3 }],
 *     },
 *   },
 *   async ({ signal }) => ({ snapshot: await takeSnapshot({ signal }) }),
 * );
 * if (result.outcome !== "succeeded") console.error(result.decidedBy, result.error?.message);
 * ```
 */
export async function runWithHooks(options: RunWithHooksOptions, step: Step): Promise<SessionResult> {
  if (typeof step !== "function")
    throw new QuiesceError(ErrorCodes.VALIDATION, "runWithHooks needs a step function");
  if (!options?.hooks || typeof options.hooks !== "object") {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      "runWithHooks needs hooks: { pre?, post?, preHook?, onSuccess?, onFailure? }",
    );
  }
  const { namespaces, subjectFor } = namespacesOf(options);
  const signal = options.signal ?? new AbortController().signal;
  const operationId = options.operationId ?? randomUUID();
  const logger = options.logger ?? noopLogger;
  const events = options.events;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const finalAttempt = options.finalAttempt ?? true;
  const cleanupTimeoutMs = parseDuration(options.cleanupTimeout ?? "2m");
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  events?.emit("session:started", { operationId, namespaces, startedAt });

  const env: PrepareEnv = {
    cluster: options.cluster,
    signal,
    defaultTimeoutMs: parseDuration(options.defaultHookTimeout ?? "5m"),
    k10MaxRetry: options.k10MaxRetry ?? 2,
    templates: options.templates
      ? memoizeTemplates(options.templates)
      : options.cluster
        ? memoizeTemplates(clusterTemplates(options.cluster))
        : undefined,
    executorRegistry: options.executorRegistry,
    functionRegistry: options.functionRegistry,
    actionConcurrency: options.actionConcurrency,
    allowLocalExec: options.allowLocalExec,
    tls: options.tls,
    functions: options.functions,
    outputLimitBytes: undefined,
    transformAction: options.transformAction,
  };
  const settings = {
    operationId,
    backoff: options.backoff ?? {},
    outputTailBytes: options.outputTailBytes ?? 4096,
    events,
    // A stopped attempt gets this long to report its targets' partial results.
    settleGraceMs: 500,
  };

  // 1. Resolve everything before anything runs.
  let resolutionFailed = false;
  const plans: NamespacePlan[] = namespaces.map((namespace) => ({
    namespace,
    subject: subjectFor(namespace),
    slots: { pre: [], preHook: [], onSuccess: [], onFailure: [], post: [] },
    artifacts: {},
    preFailed: false,
    onSuccessFailed: false,
    firstError: undefined,
  }));
  await mapSettledLimit(plans, concurrency, async (plan) => {
    for (const phase of PHASES) {
      for (const [i, spec] of specsOf(options.hooks, phase).entries()) {
        const path = `hooks.${phase}${phase === "pre" || phase === "post" || Array.isArray(options.hooks[phase]) ? `[${i}]` : ""}`;
        try {
          const hook = await prepareHook(spec, phase, plan.namespace, path, env);
          if (plan.slots[phase].some((s) => s.record.name === hook.name)) {
            // Names identify hooks in results, events and journal keys: two of one name in a phase are ambiguous.
            throw new QuiesceError(
              ErrorCodes.VALIDATION,
              `${path}.name: duplicate hook name "${hook.name}" in ${phase}`,
            );
          }
          plan.slots[phase].push({ record: newHookRecord(hook), hook });
        } catch (err) {
          resolutionFailed = true;
          const record: HookRecord = {
            name: specName(spec),
            kind: specResultKind(spec),
            phase,
            namespace: plan.namespace,
            status: "failed",
            attempts: [],
            targets: [],
            outputs: {},
            artifacts: {},
            error: serializeError(err),
          };
          plan.slots[phase].push({ record, hook: undefined });
        }
      }
    }
  });

  const skip = (slot: Slot, reason: SkipReason) => {
    slot.record.status = "skipped";
    slot.record.skippedBecause = reason;
    events?.emit("hook:skipped", { ...eventInfo(slot.record, operationId), hook: slot.record });
  };
  const stepRecord: StepRecord = { status: "skipped", outputs: {} };
  const finish = (): SessionResult => {
    const hooks = plans.flatMap((p) => PHASES.flatMap((phase) => p.slots[phase].map((s) => s.record)));
    const finishedAtMs = Date.now();
    const decision = decideOutcome(hooks, stepRecord, resolutionFailed, signal);
    const result: SessionResult = {
      operationId,
      outcome: decision.outcome,
      decidedBy: decision.decidedBy,
      namespaces,
      step: stepRecord,
      hooks,
      startedAt,
      finishedAt: new Date(finishedAtMs).toISOString(),
      durationMs: finishedAtMs - started,
    };
    if (decision.error) result.error = decision.error;
    logger.info(`session ${operationId} ${result.outcome} (${result.decidedBy})`, { operationId });
    events?.emit("session:finished", result);
    return result;
  };

  if (resolutionFailed) {
    for (const plan of plans) {
      for (const phase of PHASES)
        for (const slot of plan.slots[phase]) if (slot.hook) skip(slot, "resolution-failed");
    }
    stepRecord.skippedBecause = "resolution-failed";
    return finish();
  }

  const baseContext = (plan: NamespacePlan, phase: HookPhase, status: SessionStatusView | undefined) =>
    ({
      operationId,
      sessionName: options.sessionName ?? operationId,
      phase,
      namespace: plan.namespace,
      subject: plan.subject,
      artifactsIn: { ...plan.artifacts },
      status,
      logger,
    }) satisfies Omit<HookRunContext, "signal" | "attempt">;

  const runSlot = async (
    plan: NamespacePlan,
    slot: Slot,
    runSignal: AbortSignal,
    status?: SessionStatusView,
  ) => {
    const hook = slot.hook as PreparedHook;
    const key = `${hook.phase}/${hook.namespace}/${hook.name}`;
    const journal = K10.has(hook.phase) ? options.journal : undefined;
    try {
      const entry = await journal?.get(operationId, key);
      if (entry?.status === "succeeded") {
        slot.record.outputs = entry.outputs;
        slot.record.artifacts = entry.artifacts;
        skip(slot, "already-succeeded");
        return;
      }
      await runAttempts(hook, slot.record, baseContext(plan, hook.phase, status), runSignal, settings);
      if (slot.record.status === "succeeded" && journal) {
        await journal.record(operationId, key, {
          status: "succeeded",
          finishedAt: slot.record.finishedAt ?? new Date().toISOString(),
          outputs: slot.record.outputs,
          artifacts: slot.record.artifacts,
        });
      }
    } catch (err) {
      // Only the journal can throw here: its failure is the hook's failure.
      slot.record.status = "failed";
      slot.record.error = serializeError(err);
    }
  };
  const succeeded = (slot: Slot) =>
    slot.record.status === "succeeded" || slot.record.skippedBecause === "already-succeeded";
  // A continueOnError hook that failed (not one that was cancelled) lets the lifecycle go on.
  const tolerated = (slot: Slot) => slot.hook?.continueOnError === true && slot.record.status === "failed";

  // 2. pre hooks, then preHook, per namespace.
  let anyPreFailed = false;
  await mapSettledLimit(plans, concurrency, async (plan) => {
    for (const slot of [...plan.slots.pre, ...plan.slots.preHook]) {
      if (signal.aborted) skip(slot, "cancelled");
      else if (plan.preFailed) skip(slot, "earlier-hook-failed");
      else if (anyPreFailed) skip(slot, "pre-hook-failed");
      else {
        await runSlot(plan, slot, signal);
        if (succeeded(slot)) {
          if (slot.hook?.phase === "preHook") Object.assign(plan.artifacts, slot.record.artifacts);
        } else if (!tolerated(slot)) {
          plan.preFailed = true;
          anyPreFailed = true;
          plan.firstError ??= slot.record.error?.message;
        }
      }
    }
  });

  // 3. The host's step.
  if (signal.aborted) stepRecord.skippedBecause = "cancelled";
  else if (anyPreFailed) stepRecord.skippedBecause = "pre-hook-failed";
  else {
    stepRecord.startedAt = new Date().toISOString();
    events?.emit("step:started", { operationId, startedAt: stepRecord.startedAt });
    const ctx: StepContext = {
      signal,
      operationId,
      namespaces,
      subject: options.subject,
      artifacts: Object.fromEntries(plans.map((p) => [p.namespace, { ...p.artifacts }])),
      logger,
    };
    try {
      const outputs = await raceAbort(
        Promise.resolve().then(() => step(ctx)),
        signal,
      );
      stepRecord.status = "succeeded";
      stepRecord.outputs = outputs && typeof outputs === "object" ? { ...outputs } : {};
    } catch (err) {
      stepRecord.status = signal.aborted ? "cancelled" : "failed";
      stepRecord.error = serializeError(err);
    }
    stepRecord.finishedAt = new Date().toISOString();
    events?.emit("step:finished", { operationId, step: stepRecord });
  }
  if (stepRecord.status !== "skipped") delete stepRecord.skippedBecause;

  // 4. onSuccess / onFailure / post, per namespace. Cleanup hooks get a signal of their own that
  // the session's abort does not reach; once the session is aborted they have cleanupTimeout left.
  const cleanup = new AbortController();
  let cleanupTimer: NodeJS.Timeout | undefined;
  const startCleanupClock = () => {
    cleanupTimer = setTimeout(
      () => cleanup.abort(timeoutError("cleanup hooks after cancellation", cleanupTimeoutMs)),
      cleanupTimeoutMs,
    );
    cleanupTimer.unref?.();
  };
  if (signal.aborted) startCleanupClock();
  else signal.addEventListener("abort", startCleanupClock, { once: true });
  try {
    const stepOk = stepRecord.status === "succeeded";
    await mapSettledLimit(plans, concurrency, async (plan) => {
      for (const slot of plan.slots.onSuccess) {
        if (!stepOk)
          skip(slot, signal.aborted ? "cancelled" : anyPreFailed ? "pre-hook-failed" : "step-failed");
        else if (signal.aborted) skip(slot, "cancelled");
        else {
          await runSlot(plan, slot, signal);
          if (!succeeded(slot) && !tolerated(slot)) {
            plan.onSuccessFailed = true;
            plan.firstError ??= slot.record.error?.message;
          }
        }
      }
      const failed = !stepOk || plan.onSuccessFailed;
      const status: SessionStatusView = {
        phase: failed ? "Failed" : "Succeeded",
        durationMs: Date.now() - started,
        error: failed ? (plan.firstError ?? stepRecord.error?.message ?? "cancelled") : "",
      };
      for (const slot of plan.slots.onFailure) {
        if (!failed) skip(slot, "step-succeeded");
        else if (!finalAttempt) skip(slot, "retries-remaining");
        else await runSlot(plan, slot, cleanup.signal, status);
      }
      for (const slot of plan.slots.post) {
        const policy = slot.hook?.executionPolicy ?? "Always";
        const runs = policy === "Always" || (policy === "OnSuccess" ? !failed : failed);
        if (!runs) skip(slot, "execution-policy");
        else if (policy === "OnSuccess" && signal.aborted) skip(slot, "cancelled");
        else await runSlot(plan, slot, policy === "OnSuccess" ? signal : cleanup.signal, status);
      }
    });
  } finally {
    signal.removeEventListener("abort", startCleanupClock);
    if (cleanupTimer) clearTimeout(cleanupTimer);
  }
  return finish();
}
