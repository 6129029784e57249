/**
 * Velero's post-restore exec hook rules (internal/hook/wait_exec_hook_handler.go HandleHooks,
 * pkg/restore/restore.go hooksWaitExecutor): every restored pod is handled at once, on its own;
 * within a pod, hooks are grouped by container and a container's hooks run in order, one at a
 * time, as soon as it is up (running — or Ready when one of its hooks has `waitForReady`).
 *
 * - The pod is watched for the longest waitTimeout of its hooks, or without end when one has
 *   none (quiesce: at most the hook's `waitBound`, 10m by default).
 * - A hook whose own waitTimeout has passed when its container comes up fails ("expired before
 *   executing"); with `onError: Fail` the pod's handling stops there, otherwise it still runs.
 * - A failed `onError: Fail` hook, the end of the wait, the pod ending (Succeeded/Failed) or
 *   going away stop the pod's handling: its hooks not run yet fail as "not executed".
 * - When any hook of a pod failed, Velero cancels the hook context of the whole restore: the
 *   hooks of other pods that have not run yet fail as "not executed" too.
 * - Any failed hook makes the restore PartiallyFailed.
 */
import { ErrorCodes, parseDuration, QuiesceError } from "@quiesce/core";
import type { KubeObject } from "@quiesce/kube";
import type { SessionResult } from "../result.js";
import type { Slot, Unit } from "../session/unit.js";
import { VELERO_DEFAULTS } from "../velero/schema.js";
import { VeleroErrorCodes } from "../velero/velero-hook.js";
import type { HookPolicy, SessionApi } from "./policy.js";
import { trackHookStatus, veleroFailures } from "./velero-backup-policy.js";

const POD = { version: "v1", resource: "pods" } as const;

interface ContainerStatus {
  name: string;
  ready?: boolean;
  state?: { running?: unknown };
}

// isContainerUp: Ready when any hook of the container waits for readiness, else running.
function isUp(pod: KubeObject, container: string, hooks: readonly Slot[]): boolean {
  const ready = hooks.some((s) => s.hook?.velero?.waitForReady === true);
  const statuses = (pod.status as { containerStatuses?: ContainerStatus[] } | undefined)?.containerStatuses;
  const cs = statuses?.find((s) => s.name === container);
  if (!cs) return false;
  return ready ? cs.ready === true : cs.state?.running !== undefined && cs.state.running !== null;
}

const phaseOf = (pod: KubeObject) => (pod.status as { phase?: string } | undefined)?.phase;
const ended = (pod: KubeObject) => phaseOf(pod) === "Succeeded" || phaseOf(pod) === "Failed";
const ms = (d: string | undefined) => (d === undefined ? 0 : parseDuration(d));

// maxHookWait: the longest waitTimeout, or (any hook without one) Velero's "wait forever", bounded.
function maxWait(slots: readonly Slot[]): number {
  let max = 0;
  for (const s of slots) {
    const v = s.hook?.velero;
    const wait = ms(v?.waitTimeout);
    if (wait <= 0) return ms(v?.waitBound ?? VELERO_DEFAULTS.restoreWaitTimeout);
    max = Math.max(max, wait);
  }
  return max;
}

/** Velero restore exec hooks, one unit per restored pod; a fresh policy per session (it holds the restore's hook context). */
export function createVeleroRestorePolicy(): HookPolicy {
  // hooksWaitExecutor.hooksCancelFunc: one pod's failure cancels the rest of the restore's waits.
  const restore = new AbortController();
  return {
    name: "velero-restore",
    allUnitsAtOnce: true,
    async before() {},
    async after(unit, session) {
      await handlePod(unit, session, restore);
    },
    failures: veleroFailures,
    report(result: SessionResult, units: readonly Unit[]) {
      // GroupRestoreExecHooks adds every hook of a pod to the tracker before any runs.
      trackHookStatus(result, units, (h) => h.skippedBecause !== "resolution-failed");
    },
  };
}

async function handlePod(unit: Unit, session: SessionApi, restore: AbortController): Promise<void> {
  const slots = unit.slots.post;
  const pod = unit.target;
  if (slots.length === 0 || !pod) return;
  if (session.signal.aborted) {
    for (const slot of slots) session.skip(slot, "cancelled");
    return;
  }
  const where = `${pod.namespace}/${pod.name}`;
  const pending = new Map<string, Slot[]>();
  for (const slot of slots) {
    const container = slot.hook?.velero?.container ?? "";
    pending.set(container, [...(pending.get(container) ?? []), slot]);
  }
  const executed = new Set<Slot>();
  const waitStart = Date.now();
  const deadline = waitStart + maxWait(slots);
  const signal = AbortSignal.any([session.signal, restore.signal]);
  // Why the pod's handling stopped: the context error Velero reports ("not executed: <ctx.Err()>"),
  // the code quiesce gives it, and what happened (which Velero logs, and quiesce keeps in details).
  let stopped: { reason: string; code: string; why?: string } | undefined;
  const cluster = session.cluster;
  if (!cluster) throw new QuiesceError(ErrorCodes.VALIDATION, "Velero restore hooks need a cluster");
  watch: while (pending.size > 0) {
    let current: KubeObject | undefined;
    try {
      current = await cluster.waitFor(
        { ...POD, namespace: pod.namespace, name: pod.name },
        (o) => o === undefined || ended(o) || [...pending].some(([c, hooks]) => isUp(o, c, hooks)),
        { signal, timeoutMs: Math.max(1, deadline - Date.now()) },
      );
    } catch (err) {
      if (session.signal.aborted) break;
      stopped = restore.signal.aborted
        ? { reason: "context canceled", code: VeleroErrorCodes.NOT_EXECUTED }
        : QuiesceError.is(err, ErrorCodes.TIMEOUT)
          ? { reason: "context deadline exceeded", code: VeleroErrorCodes.WAIT_TIMEOUT }
          : { reason: (err as Error).message, code: VeleroErrorCodes.NOT_EXECUTED };
      break;
    }
    // Both cancel the pod's context: its hooks not run yet report "context canceled".
    if (current === undefined) {
      const why = `pod ${where} deleted before all hooks were executed`;
      session.logger.error(why, { pod: where });
      stopped = { reason: "context canceled", code: VeleroErrorCodes.POD_GONE, why };
      break;
    }
    if (ended(current)) {
      const why = `pod entered phase ${phaseOf(current)} before some post-restore exec hooks ran`;
      session.logger.warn(why, { pod: where });
      stopped = { reason: "context canceled", code: VeleroErrorCodes.NOT_EXECUTED, why };
      break;
    }
    for (const [container, hooks] of pending) {
      if (!isUp(current, container, hooks)) continue;
      for (const slot of hooks) {
        executed.add(slot);
        const v = slot.hook?.velero;
        const limit = ms(v?.waitTimeout);
        // `WaitTimeout.Duration != 0 && time.Since(waitStart) > WaitTimeout`: a negative one has
        // always expired (wait_exec_hook_handler.go).
        const expired =
          limit !== 0 && Date.now() - waitStart > limit
            ? new QuiesceError(
                VeleroErrorCodes.WAIT_TIMEOUT,
                `hook ${v?.rule} in container ${container} expired before executing`,
                {
                  details: {
                    pod: pod.name,
                    namespace: pod.namespace,
                    container,
                    waitTimeout: v?.waitTimeout,
                  },
                },
              )
            : undefined;
        if (expired && v?.onError === "Fail") {
          session.fail(slot, expired);
          stopped = { reason: "context canceled", code: VeleroErrorCodes.NOT_EXECUTED };
          break watch;
        }
        // An expired hook without Fail still runs (Velero does not skip it); its first recorded
        // result — the expiry — is the one that counts.
        await session.runSlot(unit, slot, session.signal);
        if (expired) session.fail(slot, expired);
        if (session.signal.aborted) break watch;
        if (slot.record.status === "failed" && v?.onError === "Fail") {
          stopped = { reason: "context canceled", code: VeleroErrorCodes.NOT_EXECUTED };
          break watch;
        }
      }
      pending.delete(container);
    }
  }
  for (const slot of slots) {
    if (executed.has(slot)) continue;
    if (session.signal.aborted) session.skip(slot, "cancelled");
    else {
      const v = slot.hook?.velero;
      session.fail(
        slot,
        new QuiesceError(
          (stopped?.code ?? VeleroErrorCodes.NOT_EXECUTED) as `QUIESCE_${string}`,
          `hook ${v?.rule} in container ${v?.container} in pod ${where} not executed: ${stopped?.reason ?? "context canceled"}`,
          {
            details: {
              pod: pod.name,
              namespace: pod.namespace,
              container: v?.container,
              ...(stopped?.why !== undefined ? { why: stopped.why } : {}),
            },
          },
        ),
      );
    }
  }
  const failed = slots.filter((s) => s.record.status === "failed");
  if (failed.length > 0) {
    session.logger.error(
      `unable to successfully execute post-restore hooks of pod ${where}: ${failed.map((s) => s.record.error?.message).join("; ")}`,
    );
    restore.abort();
  }
}
