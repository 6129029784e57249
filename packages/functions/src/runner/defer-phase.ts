/** The deferPhase under a cleanup scope, and the coded error of a cancelled action. */
import {
  type CleanupScope,
  createCleanupScope,
  ErrorCodes,
  QuiesceError,
  toMilliseconds,
} from "@quiesce/core";
import { UNNAMED_DEFER_PHASE } from "../blueprint/load.js";
import type { BlueprintPhase } from "../blueprint/schema.js";
import { DEFAULT_DEFER_TIMEOUT_MS, type RunActionOptions } from "./options.js";
import type { PhaseResult } from "./result.js";

/** What running one phase yields (see runPhase). */
export type PhaseOutcome = { result: PhaseResult; error?: unknown };

/**
 * Runs the deferPhase under a {@link CleanupScope}: the caller's abort never reaches it; an abort
 * before it starts, or at any moment while it runs, starts the `deferTimeout` budget instead.
 * Deciding once, before the phase starts, whether to run under the caller's signal or a fresh one
 * would let an abort that lands just after that decision kill the cleanup (a thaw cut short).
 *
 * Deliberate difference: Kanister (pkg/controller/controller.go, runAction) runs the deferPhase
 * with the action's own context, so a cancelled ActionSet's deferPhase is cancelled as well.
 */
export async function runDeferPhase(
  phase: BlueprintPhase,
  parent: AbortSignal | undefined,
  opts: RunActionOptions,
  run: (phase: BlueprintPhase, cleanup: CleanupScope) => Promise<PhaseOutcome>,
): Promise<PhaseOutcome> {
  const timeoutMs =
    opts.deferTimeout !== undefined ? toMilliseconds(opts.deferTimeout) : DEFAULT_DEFER_TIMEOUT_MS;
  const cleanup = createCleanupScope(
    { signal: parent, timeoutMs },
    `deferPhase ${phase.name || UNNAMED_DEFER_PHASE} (${phase.func})`,
  );
  try {
    return await run(phase, cleanup);
  } finally {
    cleanup.dispose();
  }
}

/**
 * The error of a cancelled action or phase: the abort reason itself when it is already a
 * QuiesceError (e.g. a host's own TIMEOUT), else a `QUIESCE_ABORTED` error carrying it as `cause`.
 */
export function cancellationError(what: string, reason: unknown): QuiesceError {
  if (reason instanceof QuiesceError) return reason;
  const why = reason instanceof Error ? reason.message : reason === undefined ? "" : String(reason);
  return new QuiesceError(ErrorCodes.ABORTED, `action ${what} was cancelled${why ? `: ${why}` : ""}`, {
    cause: reason,
    details: { action: what },
  });
}
