/** A host that hangs during its step: a session recoverers can take over, released by the test. */
import { runWithHooks } from "../lifecycle.js";
import type { RunWithHooksOptions } from "../lifecycle-options.js";
import type { SessionResult } from "../result.js";

/**
 * Runs a session whose step blocks until released; its Lease (1 s) is renewed only every 10 min, so
 * it looks dead to a recoverer. Resolves once the step started.
 */
export async function staleHost(options: Omit<RunWithHooksOptions, "sessionRecord">) {
  let release: () => void = () => {};
  let started: () => void = () => {};
  const stepStarted = new Promise<void>((r) => {
    started = r;
  });
  const result = runWithHooks(
    { sessionRecord: { identity: "host-a", leaseDurationSeconds: 1, renewInterval: "10m" }, ...options },
    () =>
      new Promise<undefined>((resolve) => {
        release = () => resolve(undefined);
        started();
      }),
  );
  await stepStarted;
  return {
    result,
    release: (): Promise<SessionResult> => {
      release();
      return result;
    },
  };
}
