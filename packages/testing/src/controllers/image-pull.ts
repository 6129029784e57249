/** Simulated image pulls that fail: ErrImagePull, then ImagePullBackOff, with the Events kubectl shows. */
import type { StoredObject } from "../api/seams.js";
import type { ContainerSpec } from "./pod-spec.js";
import { containerStatus, setCondition, syncReadiness } from "./pod-status.js";

export interface PullFailureHooks {
  /** Writes the pod (if it is still the same pod); returns the stored result. */
  update(change: (pod: StoredObject) => void): StoredObject | undefined;
  event(pod: StoredObject, type: "Normal" | "Warning", reason: string, message: string): void;
  /** Runs `fn` later unless the pod is deleted first. */
  later(ms: number, fn: () => void): void;
}

/** Leaves `pod` Pending with its `bad` containers waiting on an image that cannot be pulled. */
export function failImagePull(
  pod: StoredObject,
  bad: ContainerSpec[],
  backoffAfterMs: number,
  hooks: PullFailureHooks,
): void {
  const setWaiting = (reason: string, message: (image: string) => string) =>
    hooks.update((p) => {
      for (const c of bad) {
        const s = containerStatus(p, c.name, c.image ?? "");
        s.state = { waiting: { reason, message: message(c.image ?? "") } };
      }
      setCondition(p, "Initialized", true);
      syncReadiness(p);
    });
  const pulled = setWaiting(
    "ErrImagePull",
    (image) => `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found`,
  );
  for (const c of bad)
    hooks.event(pulled ?? pod, "Warning", "Failed", `Failed to pull image "${c.image}": not found`);
  hooks.later(backoffAfterMs, () => {
    const backoff = setWaiting("ImagePullBackOff", (image) => `Back-off pulling image "${image}"`);
    for (const c of bad)
      hooks.event(backoff ?? pod, "Normal", "BackOff", `Back-off pulling image "${c.image}"`);
  });
}
