/** An action's handlers run one after the other, as KubeStash's prober runs them. */
import { type Action, type ActionHandler, actionHandlers } from "../action-schema.js";
import type { TargetOutcome } from "../result.js";

/**
 * Runs `run` for each handler of `action` in the prober's order (exec, httpGet, httpPost,
 * tcpSocket) and stops at the first that fails — kmodules.xyz/prober probe/prober.go
 * executeProbe returns on the first handler whose result is neither Success nor Warning. The
 * outcome carries what every handler that ran reported (the exec's exit code and output, the
 * http status and body); the failed handler's error, if any.
 */
export async function runHandlers(
  action: Action,
  run: (handler: ActionHandler) => Promise<TargetOutcome>,
): Promise<TargetOutcome> {
  let merged: TargetOutcome | undefined;
  for (const handler of actionHandlers(action)) {
    const outcome = await run(handler);
    merged = merged === undefined ? outcome : merge(merged, outcome);
    if (outcome.status !== "succeeded") break;
  }
  return merged ?? { status: "succeeded" };
}

// A later handler's fields win, but an empty output does not wipe out an earlier one's.
function merge(earlier: TargetOutcome, later: TargetOutcome): TargetOutcome {
  const out: Record<string, unknown> = { ...earlier };
  for (const [key, value] of Object.entries(later)) if (value !== undefined && value !== "") out[key] = value;
  return { ...(out as unknown as TargetOutcome), status: later.status };
}
