/**
 * Simulated image pulls that fail: ErrImagePull, then ImagePullBackOff, with the Events kubectl
 * shows; and image names the kubelet cannot parse (InvalidImageName, never retried).
 */
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

// The reference grammar of distribution/reference (what the kubelet parses): [domain[:port]/]path[:tag][@digest].
const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const DOMAIN =
  "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?";
const REFERENCE = new RegExp(
  `^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`,
);

/** True when the kubelet could parse `image` as an image reference. */
export function isValidImageReference(image: string): boolean {
  return REFERENCE.test(image);
}

/** Leaves `pod` Pending with its `bad` containers waiting with InvalidImageName, as the kubelet does. */
export function failInvalidImage(pod: StoredObject, bad: ContainerSpec[], hooks: PullFailureHooks): void {
  const updated = hooks.update((p) => {
    for (const c of bad) {
      const s = containerStatus(p, c.name, c.image ?? "");
      s.state = {
        waiting: {
          reason: "InvalidImageName",
          message: `Failed to apply default image tag "${c.image}": couldn't parse image reference "${c.image}": invalid reference format`,
        },
      };
    }
    setCondition(p, "Initialized", true);
    syncReadiness(p);
  });
  for (const c of bad)
    hooks.event(updated ?? pod, "Warning", "InspectFailed", `Failed to apply default image tag "${c.image}"`);
}
