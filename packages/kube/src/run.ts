/** `Cluster.runPod` and `Cluster.runJob`: one-off workloads run to an end, logs collected, cleaned up. */
import type { V1Container, V1Pod, V1PodSpec } from "@kubernetes/client-node";
import {
  createDeadline,
  ErrorCodes,
  type Logger,
  QuiesceError,
  raceAbort,
  serializeError,
} from "@quiesce/core";
import type { JobRunSpec, KubeObject, LeakedObject, PodRunSpec, RunOptions, RunResult } from "./cluster.js";
import { KubeApiError, WorkloadFailedError } from "./errors.js";
import type { Objects } from "./objects.js";
import { createMayHaveHappened, isNameTaken, oneOffName } from "./one-off-name.js";
import { JOBS, PODS } from "./paths.js";
import { mergePodOverride } from "./pod-override.js";
import { exitCodeOf } from "./pod-status.js";
import { mainContainer, NODE_LOST, readFinishedLog, supervisePods } from "./supervise.js";
import type { Transport } from "./transport.js";

/** Default time limit of runJob: 15 minutes (runPod has none: only its start is bounded). */
export const DEFAULT_RUN_TIMEOUT_MS = 15 * 60_000;
/** Label put on every pod and job quiesce creates. */
export const MANAGED_BY = { "app.kubernetes.io/managed-by": "quiesce" };
/** Label of every one-off pod and Job (and a Job's pods), by which `cleanupOrphans` finds what was left behind. */
export const ONE_OFF_LABEL = "quiesce.dev/one-off";
const ONE_OFF = { [ONE_OFF_LABEL]: "true" };
/** Name of a generated pod's main container: Kanister's DefaultContainerName. */
export const DEFAULT_CONTAINER_NAME = "container";

// Kanister pkg/kube/pod.go GetPodObjectFromPodOptions: one container named "container" (or
// PodOptions.ContainerName) with imagePullPolicy IfNotPresent, restartPolicy Never, the PVCs.
function generatedSpec(spec: PodRunSpec): V1PodSpec {
  return {
    restartPolicy: "Never",
    ...(spec.serviceAccountName ? { serviceAccountName: spec.serviceAccountName } : {}),
    containers: [
      {
        name: spec.containerName ?? DEFAULT_CONTAINER_NAME,
        image: spec.image,
        command: [...spec.command],
        imagePullPolicy: "IfNotPresent",
        ...(spec.args ? { args: [...spec.args] } : {}),
        ...(spec.env ? { env: Object.entries(spec.env).map(([name, value]) => ({ name, value })) } : {}),
        ...(spec.volumes?.length
          ? {
              volumeMounts: spec.volumes.map((v, i) => ({
                name: `vol-${i}`,
                mountPath: v.mountPath,
                ...(v.readOnly ? { readOnly: true } : {}),
              })),
            }
          : {}),
      },
    ],
    ...(spec.volumes?.length
      ? {
          volumes: spec.volumes.map((v, i) => ({
            name: `vol-${i}`,
            persistentVolumeClaim: { claimName: v.claimName, ...(v.readOnly ? { readOnly: true } : {}) },
          })),
        }
      : {}),
  };
}

/** The pod object runPod creates from a spec, named `name` (see {@link oneOffName}). */
export function buildPod(spec: PodRunSpec, name: string): KubeObject {
  const base = (spec.podSpec as unknown as V1PodSpec | undefined) ?? generatedSpec(spec);
  const main = spec.podSpec
    ? (base.containers?.[0]?.name ?? "")
    : (spec.containerName ?? DEFAULT_CONTAINER_NAME);
  const merged = mergePodOverride(
    base as unknown as Record<string, unknown>,
    spec.podOverride as Record<string, unknown> | undefined,
  ) as unknown as V1PodSpec;
  // Kanister: "Always put the main container the first" (the others keep their order).
  const containers = merged.containers ?? [];
  const at = containers.findIndex((c) => c.name === main);
  if (at > 0) merged.containers = [containers[at] as V1Container, ...containers.filter((_, i) => i !== at)];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: spec.namespace,
      labels: { ...MANAGED_BY, ...spec.labels, ...ONE_OFF },
      ...(spec.annotations && Object.keys(spec.annotations).length > 0
        ? { annotations: { ...spec.annotations } }
        : {}),
    },
    spec: merged,
  };
}

/** The Job object runJob creates, named `name` (see {@link oneOffName}). */
export function buildJob(spec: JobRunSpec, name: string): KubeObject {
  const template = spec.template;
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name,
      namespace: spec.namespace,
      labels: { ...MANAGED_BY, ...spec.labels, ...ONE_OFF },
    },
    spec: {
      backoffLimit: spec.backoffLimit ?? 0,
      template: {
        ...template,
        metadata: {
          ...template.metadata,
          labels: { ...MANAGED_BY, ...template.metadata?.labels, ...ONE_OFF },
        },
        spec: { restartPolicy: "Never", ...template.spec },
      },
    },
  };
}

/**
 * Deletes a one-off object after its run, under its own time limit (never the run's signal: an
 * aborted run still cleans up). A delete that fails past its retries is reported through `onLeak`.
 */
export async function cleanupOneOff(
  objects: Objects,
  ref: Parameters<Objects["delete"]>[0],
  kind: LeakedObject["kind"],
  logger: Logger,
  onLeak: RunOptions["onLeak"],
  nodeLost = false,
  gracePeriodSeconds?: number,
): Promise<void> {
  const report = (error: unknown) => {
    const leak: LeakedObject = {
      kind,
      namespace: ref.namespace ?? "",
      name: ref.name,
      error: serializeError(error),
      at: new Date().toISOString(),
    };
    try {
      onLeak?.(leak);
    } catch {
      // A listener's failure must not turn a finished run into a failed one.
    }
  };
  try {
    await objects.delete(ref, {
      propagationPolicy: "Background",
      timeoutMs: 30_000,
      ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}),
    });
    // Deleted, but a lost node's kubelet never confirms it: the pod stays Terminating (unless
    // deleted with grace period 0, which removes it at once).
    if (nodeLost && gracePeriodSeconds !== 0) {
      report(
        new QuiesceError(
          ErrorCodes.KUBE_POD_NOT_RUNNING,
          `pod ${ref.namespace}/${ref.name} was deleted, but its node is not responding: it stays Terminating until the node returns or is removed (cleanupOrphans with force removes it)`,
          { details: { namespace: ref.namespace, pod: ref.name, reason: NODE_LOST } },
        ),
      );
    }
  } catch (err) {
    // Gone already, or never created because its create was cut off before reaching the server.
    if (err instanceof KubeApiError && err.statusCode === 404) return;
    logger.warn("could not delete a one-off workload", {
      resource: ref.resource,
      name: ref.name,
      error: String(err),
    });
    report(err);
  }
}

/** Attempts per create before giving up on name collisions (27^5 suffixes make a second one rare). */
const NAME_ATTEMPTS = 3;

/**
 * Creates a one-off object under a client-chosen name, choosing again on a name collision.
 * `onNamed` learns every name whose create may have happened, so the caller can clean it up even
 * when this call rejects (abort, timeout, connection lost).
 */
export async function createOneOff(
  objects: Objects,
  build: (name: string) => KubeObject,
  prefix: string,
  signal: AbortSignal,
  onNamed: (name: string) => void,
): Promise<KubeObject> {
  for (let attempt = 1; ; attempt++) {
    const name = oneOffName(prefix);
    try {
      const created = await objects.create(build(name), { signal });
      onNamed(name);
      return created;
    } catch (err) {
      if (createMayHaveHappened(err)) onNamed(name);
      if (!isNameTaken(err) || attempt >= NAME_ATTEMPTS) throw err;
    }
  }
}

/** Creates a one-off pod, waits for it to end, collects its log and deletes it (unless `keep`). */
export async function runPod(
  transport: Transport,
  objects: Objects,
  spec: PodRunSpec,
  options: RunOptions = {},
): Promise<RunResult> {
  const started = performance.now();
  const deadline = createDeadline(
    { signal: options.signal, timeoutMs: options.timeoutMs },
    `run pod ${spec.image} in ${spec.namespace}`,
  );
  let name: string | undefined;
  let nodeLost = false;
  try {
    const created = (await createOneOff(
      objects,
      (podName) => buildPod(spec, podName),
      spec.generateName ?? "quiesce-task-",
      deadline.signal,
      (podName) => {
        name = podName;
      },
    )) as unknown as V1Pod;
    const podName = created.metadata?.name ?? (name as string);
    const container = mainContainer(created);
    const result = await raceAbort(
      supervisePods(
        transport,
        { ...PODS, namespace: spec.namespace, fieldSelector: `metadata.name=${podName}` },
        (p) => p.metadata?.name === podName,
        { ...options, signal: deadline.signal, logger: transport.logger },
      ),
      deadline.signal,
    ).catch((err: unknown) => {
      nodeLost = err instanceof WorkloadFailedError && err.details.reason === NODE_LOST;
      throw err;
    });
    const logs =
      result.logs ??
      (await readFinishedLog(
        transport,
        { namespace: spec.namespace, pod: podName, container },
        { ...options, signal: deadline.signal },
        result.delivered,
      ));
    return {
      namespace: spec.namespace,
      podName,
      phase: result.pod.status?.phase ?? "Unknown",
      exitCode: exitCodeOf(result.pod, container),
      logs: logs.text(),
      logsTruncated: logs.truncated,
      durationMs: performance.now() - started,
    };
  } finally {
    deadline.dispose();
    if (name && !spec.keep)
      await cleanupOneOff(
        objects,
        { ...PODS, namespace: spec.namespace, name },
        "Pod",
        transport.logger,
        options.onLeak,
        nodeLost,
        spec.deleteGracePeriodSeconds,
      );
  }
}

interface JobStatus {
  conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
  succeeded?: number;
  failed?: number;
}

/** "Complete", "Failed", or undefined while the job runs. */
export function jobOutcome(job: KubeObject | undefined): "Complete" | "Failed" | undefined {
  const status = job?.status as JobStatus | undefined;
  for (const c of status?.conditions ?? []) {
    if (c.status !== "True") continue;
    if (c.type === "Complete" || c.type === "SuccessCriteriaMet") return "Complete";
    if (c.type === "Failed" || c.type === "FailureTarget") return "Failed";
  }
  return undefined;
}

function belongsToJob(pod: V1Pod, job: string, uid: string | undefined): boolean {
  const labels = pod.metadata?.labels ?? {};
  return (
    labels["batch.kubernetes.io/job-name"] === job ||
    labels["job-name"] === job ||
    (uid !== undefined && (pod.metadata?.ownerReferences ?? []).some((r) => r.uid === uid))
  );
}

/** Creates a Job, waits for Complete/Failed, collects its (last) pod's log, deletes it (unless `keep`). */
export async function runJob(
  transport: Transport,
  objects: Objects,
  spec: JobRunSpec,
  options: RunOptions = {},
): Promise<RunResult> {
  const started = performance.now();
  const deadline = createDeadline(
    { signal: options.signal, timeoutMs: options.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS },
    `run job in ${spec.namespace}`,
  );
  let name: string | undefined;
  try {
    const created = await createOneOff(
      objects,
      (jobName) => buildJob(spec, jobName),
      spec.generateName ?? "quiesce-job-",
      deadline.signal,
      (jobName) => {
        name = jobName;
      },
    );
    const jobName = created.metadata?.name ?? (name as string);
    const uid = created.metadata?.uid;
    const jobRef = { ...JOBS, namespace: spec.namespace, name: jobName };
    // The Job controller labels its pods `job-name` (and `batch.kubernetes.io/job-name` since 1.27).
    const podsOfJob = { ...PODS, namespace: spec.namespace, labelSelector: `job-name=${jobName}` };
    const sup = await raceAbort(
      supervisePods(transport, podsOfJob, (p) => belongsToJob(p, jobName, uid), {
        ...options,
        signal: deadline.signal,
        logger: transport.logger,
      }),
      deadline.signal,
    );
    const job = await objects.waitFor(jobRef, (j) => j === undefined || jobOutcome(j) !== undefined, {
      signal: deadline.signal,
      timeoutMs: Number.POSITIVE_INFINITY,
    });
    // With a backoffLimit above 0 the job may have run more pods since: report its last one.
    const { items } = await objects.list(podsOfJob, {
      labelSelector: podsOfJob.labelSelector,
      signal: deadline.signal,
    });
    const last =
      (items as unknown as V1Pod[])
        .filter((p) => belongsToJob(p, jobName, uid))
        .sort((a, b) =>
          String(a.metadata?.creationTimestamp ?? "").localeCompare(
            String(b.metadata?.creationTimestamp ?? ""),
          ),
        )
        .at(-1) ?? sup.pod;
    const podName = last.metadata?.name ?? "";
    const container = mainContainer(last);
    const logs =
      podName === sup.pod.metadata?.name && sup.logs
        ? sup.logs
        : await readFinishedLog(
            transport,
            { namespace: spec.namespace, pod: podName, container },
            { ...options, signal: deadline.signal },
            podName === sup.pod.metadata?.name ? sup.delivered : 0,
          );
    return {
      namespace: spec.namespace,
      podName,
      jobName,
      phase: jobOutcome(job) === "Complete" ? "Succeeded" : "Failed",
      exitCode: exitCodeOf(last, container),
      logs: logs.text(),
      logsTruncated: logs.truncated,
      durationMs: performance.now() - started,
    };
  } finally {
    deadline.dispose();
    if (name && !spec.keep)
      await cleanupOneOff(
        objects,
        { ...JOBS, namespace: spec.namespace, name },
        "Job",
        transport.logger,
        options.onLeak,
      );
  }
}
