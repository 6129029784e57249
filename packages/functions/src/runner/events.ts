/** Typed events of a Blueprint action run. */
import type { SerializedError } from "@quiesce/core";
import type { LeakedObject } from "@quiesce/kube";
import { EventEmitter } from "eventemitter3";
import type { ActionResult, PhaseResult } from "./result.js";

/** Common fields of phase events. */
export interface PhaseEventBase {
  action: string;
  phase: string;
  func: string;
  /** True for the deferPhase. */
  deferred: boolean;
}

/** Event payloads by name. */
export interface BlueprintEventMap {
  "phase:started": [PhaseEventBase & { startedAt: string }];
  "phase:progress": [PhaseEventBase & { percent?: number; message?: string }];
  "phase:succeeded": [PhaseEventBase & { result: PhaseResult }];
  "phase:failed": [PhaseEventBase & { result: PhaseResult; error: SerializedError }];
  /** A one-off pod or Job could not be deleted: it is left in the cluster (also in `ActionResult.leaked`). */
  "resource:leaked": [LeakedObject & { action: string }];
  "action:finished": [ActionResult];
}

/**
 * The event emitter a host passes to `runBlueprintAction` to observe it.
 *
 * @example
 * ```ts
 * const events = new BlueprintEvents();
 * events.on("phase:failed", (e) => log(e.phase, e.error.message));
 * await runBlueprintAction(bp, "backup", { cluster, subject, events });
 * ```
 */
export class BlueprintEvents extends EventEmitter<BlueprintEventMap> {}
