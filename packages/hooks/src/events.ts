/** Typed lifecycle events: one for every transition of a session, its step and its hooks. */
import type { LeakedObject } from "@quiesce/kube";
import { EventEmitter } from "eventemitter3";
import type { AttemptRecord, HookKind, HookPhase, HookRecord, SessionResult, StepRecord } from "./result.js";

/** Identifies a hook in events. */
export interface HookEventInfo {
  operationId: string;
  name: string;
  kind: HookKind;
  phase: HookPhase;
  namespace: string;
}

/**
 * The event map of a session. Payloads carry the same redacted records as the result, so a
 * listener can log or forward them as they are.
 */
export interface LifecycleEvents {
  "session:started": [{ operationId: string; namespaces: string[]; startedAt: string }];
  "session:finished": [SessionResult];
  "step:started": [{ operationId: string; startedAt: string }];
  "step:finished": [{ operationId: string; step: StepRecord }];
  "hook:started": [HookEventInfo & { attempt: number }];
  "hook:attempt-failed": [HookEventInfo & { attempt: AttemptRecord }];
  "hook:retrying": [HookEventInfo & { nextAttempt: number; delayMs: number }];
  "hook:succeeded": [HookEventInfo & { hook: HookRecord }];
  "hook:failed": [HookEventInfo & { hook: HookRecord }];
  "hook:cancelled": [HookEventInfo & { hook: HookRecord }];
  "hook:skipped": [HookEventInfo & { hook: HookRecord }];
  /** A one-off pod or Job could not be deleted: it is left in the cluster (also in `SessionResult.leaked`). */
  "resource:leaked": [LeakedObject & { operationId: string }];
}

/** An emitter of {@link LifecycleEvents}. */
export type LifecycleEmitter = EventEmitter<LifecycleEvents>;

/**
 * Creates an emitter to pass as `events` to {@link runWithHooks}.
 *
 * @example
 * ```ts
 * const events = createLifecycleEvents();
 * events.on("hook:failed", ({ name, hook }) => log(`${name} failed: ${hook.error?.message}`));
 * ```
 */
export function createLifecycleEvents(): LifecycleEmitter {
  return new EventEmitter<LifecycleEvents>();
}
