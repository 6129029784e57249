/** Collecting the one-off pods and Jobs a run could not delete, for its result and its events. */
import type {
  Cluster,
  JobRunSpec,
  LeakedObject,
  PodRunSpec,
  RunningPod,
  RunOptions,
  RunResult,
  WithPodOptions,
} from "./cluster.js";

/**
 * A view of `cluster` whose `runPod`, `withPod` and `runJob` report every pod or Job they could not delete to
 * `onLeak` (besides any `onLeak` the caller passes). Everything else goes to `cluster` unchanged.
 * The runners use it so that functions and executors need not pass anything.
 *
 * @example
 * ```ts
 * const leaked: LeakedObject[] = [];
 * const tracked = trackLeaks(cluster, (leak) => leaked.push(leak));
 * await tracked.runPod({ namespace: "db", image: "busybox", command: ["true"] });
 * ```
 */
export function trackLeaks(cluster: Cluster, onLeak: (leak: LeakedObject) => void): Cluster {
  const withLeaks = <O extends RunOptions | WithPodOptions>(options: O = {} as O): O => ({
    ...options,
    onLeak: (leak) => {
      onLeak(leak);
      options.onLeak?.(leak);
    },
  });
  const runPod = (spec: PodRunSpec, options?: RunOptions): Promise<RunResult> =>
    cluster.runPod(spec, withLeaks(options));
  const runJob = (spec: JobRunSpec, options?: RunOptions): Promise<RunResult> =>
    cluster.runJob(spec, withLeaks(options));
  const withPod = <T>(
    spec: PodRunSpec,
    body: (pod: RunningPod) => Promise<T>,
    options?: WithPodOptions,
  ): Promise<T> => cluster.withPod(spec, body, withLeaks(options));
  return new Proxy(cluster, {
    get(target, prop, receiver) {
      if (prop === "runPod") return runPod;
      if (prop === "runJob") return runJob;
      if (prop === "withPod") return withPod;
      const value = Reflect.get(target, prop, receiver) as unknown;
      // Methods run on the real adapter, whatever private state its class keeps.
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
