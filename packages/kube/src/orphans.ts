/**
 * `cleanupOrphans`: removes the one-off pods and Jobs runs left behind (a delete that failed, a
 * host that crashed mid-run), found by their `quiesce.dev/one-off` label and their age.
 */
import {
  ErrorCodes,
  type OperationOptions,
  QuiesceError,
  type SerializedError,
  serializeError,
  throwIfAborted,
  toMilliseconds,
} from "@quiesce/core";
import type { Cluster, KubeObject } from "./cluster.js";
import { JOBS, PODS } from "./paths.js";
import { ONE_OFF_LABEL } from "./run.js";

/** Options of {@link cleanupOrphans}. */
export interface CleanupOrphansOptions extends OperationOptions {
  cluster: Cluster;
  /**
   * Only objects created longer ago than this are removed (ms or a Go duration such as `"2h"`).
   * Choose it above the longest run you expect: a one-off pod still at work looks the same.
   */
  olderThan: number | string;
  /** Namespaces to look in (default: all, which needs cluster-wide list permission). */
  namespaces?: readonly string[];
  /**
   * Also force-delete (grace period 0) pods already terminating for longer than `olderThan`: pods
   * of a lost node stay Terminating until the node returns. Default false.
   */
  force?: boolean;
  /** List what would be removed without deleting anything. */
  dryRun?: boolean;
  /** Reference time for ages (default now). */
  now?: Date;
}

/** One object {@link cleanupOrphans} found. */
export interface OrphanRef {
  kind: "Pod" | "Job";
  namespace: string;
  name: string;
  createdAt: string;
  /** True when it was force-deleted (grace period 0). */
  forced?: boolean;
}

/** What {@link cleanupOrphans} did. */
export interface CleanupOrphansResult {
  /** Deleted (or, with `dryRun`, to be deleted). */
  deleted: OrphanRef[];
  /** Could not be deleted; the error says why. */
  failed: (OrphanRef & { error: SerializedError })[];
  /** Matching objects younger than `olderThan`, left alone. */
  skippedYoung: number;
}

/**
 * Removes one-off pods and Jobs quiesce created (label `quiesce.dev/one-off=true`) that are older
 * than `olderThan`: Jobs with their pods (Background propagation), and pods not owned by a Job
 * that is itself being removed or still exists. Run it from a periodic task or at host start-up,
 * after a run reported `leaked` objects or a host crashed mid-run.
 *
 * @example
 * ```ts
 * const { deleted, failed } = await cleanupOrphans({ cluster, olderThan: "6h" });
 * ```
 */
export async function cleanupOrphans(options: CleanupOrphansOptions): Promise<CleanupOrphansResult> {
  const olderThanMs = toMilliseconds(options.olderThan);
  if (!(olderThanMs >= 0)) {
    throw new QuiesceError(ErrorCodes.VALIDATION, "cleanupOrphans: olderThan must be a duration ≥ 0");
  }
  const { cluster, signal } = options;
  const cutoff = (options.now ?? new Date()).getTime() - olderThanMs;
  const call = { signal, timeoutMs: options.timeoutMs };
  const scopes = options.namespaces ? [...new Set(options.namespaces)] : [undefined];
  const result: CleanupOrphansResult = { deleted: [], failed: [], skippedYoung: 0 };
  const old = (since: string | undefined) => {
    const at = Date.parse(String(since ?? ""));
    return Number.isFinite(at) && at <= cutoff;
  };
  for (const namespace of scopes) {
    throwIfAborted(signal);
    const ns = namespace === undefined ? {} : { namespace };
    const selector = { labelSelector: `${ONE_OFF_LABEL}=true`, ...call };
    const jobs = (await cluster.list({ ...JOBS, ...ns }, selector)).items;
    const pods = (await cluster.list({ ...PODS, ...ns }, selector)).items;
    const liveJobs = new Set(jobs.map((j) => key(j)));
    for (const job of jobs) {
      if (!old(job.metadata?.creationTimestamp)) {
        result.skippedYoung++;
        continue;
      }
      await remove(cluster, job, "Job", false, options, result);
    }
    for (const pod of pods) {
      const owner = (pod.metadata?.ownerReferences ?? []).find((r) => r.kind === "Job");
      // A Job's pods go with it (or stay while it stays).
      if (owner && liveJobs.has(`${pod.metadata?.namespace}/${owner.name}`)) continue;
      const terminating = pod.metadata?.deletionTimestamp;
      if (terminating !== undefined) {
        if (options.force && old(terminating)) await remove(cluster, pod, "Pod", true, options, result);
        continue;
      }
      if (!old(pod.metadata?.creationTimestamp)) {
        result.skippedYoung++;
        continue;
      }
      await remove(cluster, pod, "Pod", false, options, result);
    }
  }
  return result;
}

function key(o: KubeObject): string {
  return `${o.metadata?.namespace}/${o.metadata?.name}`;
}

async function remove(
  cluster: Cluster,
  object: KubeObject,
  kind: OrphanRef["kind"],
  forced: boolean,
  options: CleanupOrphansOptions,
  result: CleanupOrphansResult,
): Promise<void> {
  const ref: OrphanRef = {
    kind,
    namespace: object.metadata?.namespace ?? "",
    name: object.metadata?.name ?? "",
    createdAt: String(object.metadata?.creationTimestamp ?? ""),
    ...(forced ? { forced: true } : {}),
  };
  if (options.dryRun) {
    result.deleted.push(ref);
    return;
  }
  try {
    await cluster.delete(
      { ...(kind === "Job" ? JOBS : PODS), namespace: ref.namespace, name: ref.name },
      {
        propagationPolicy: "Background",
        ...(forced ? { gracePeriodSeconds: 0 } : {}),
        signal: options.signal,
        timeoutMs: options.timeoutMs,
      },
    );
    result.deleted.push(ref);
  } catch (err) {
    if (options.signal?.aborted) throw options.signal.reason;
    // Someone else removed it meanwhile: what was asked for is done.
    if (QuiesceError.is(err, ErrorCodes.KUBE_NOT_FOUND)) result.deleted.push(ref);
    else result.failed.push({ ...ref, error: serializeError(err) });
  }
}
