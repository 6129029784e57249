/** The signal of cleanup hooks: the session's abort does not reach it; once aborted, they have cleanupTimeout left. */
import { timeoutError } from "@quiesce/core";

/** A cleanup signal and the means to stop watching the session's. */
export interface CleanupScope {
  controller: AbortController;
  dispose(): void;
}

/** A cleanup scope for a session whose signal is `signal`. */
export function cleanupScope(signal: AbortSignal, cleanupTimeoutMs: number): CleanupScope {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const startClock = () => {
    timer = setTimeout(
      () => controller.abort(timeoutError("cleanup hooks after cancellation", cleanupTimeoutMs)),
      cleanupTimeoutMs,
    );
    timer.unref?.();
  };
  if (signal.aborted) startClock();
  else signal.addEventListener("abort", startClock, { once: true });
  return {
    controller,
    dispose: () => {
      signal.removeEventListener("abort", startClock);
      if (timer) clearTimeout(timer);
    },
  };
}
