/** runWithHooks: the host's step wrapped in KubeStash and K10 hooks, with a result that loses nothing. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { RunWithHooksOptions, Step } from "./lifecycle-options.js";
import type { SessionResult } from "./result.js";
import { HookSession } from "./session/hook-session.js";

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
  const session = new HookSession(options);
  if (await session.resolve()) {
    if (options.stepPer === "target") {
      // Velero's item blocks: a pod's pre hooks, its backup, its post hooks — then the next pod.
      for (const unit of session.units) {
        await session.pre([unit]);
        await session.runStepFor(step, unit);
        await session.post([unit]);
      }
    } else {
      await session.pre();
      await session.runStep(step);
      await session.post();
    }
  }
  await session.close();
  return session.finish();
}
