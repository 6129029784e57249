/**
 * The Cluster port: the only way quiesce touches Kubernetes. Narrow, intention-revealing methods,
 * each taking an AbortSignal and a time limit. `connect()` returns the client-node implementation;
 * `startLocalCluster().cluster` returns the same implementation pointed at the embedded server.
 */
import type { V1Pod, V1PodSpec, V1PodTemplateSpec } from "@kubernetes/client-node";
import type { OperationOptions, SerializedError } from "@quiesce/core";

export type { V1Container, V1Pod, V1PodSpec, V1PodTemplateSpec } from "@kubernetes/client-node";

/** Options every Cluster call takes: `signal` aborts (rejecting with `signal.reason`), `timeoutMs` bounds it. */
export type CallOptions = OperationOptions;

/** A plain Kubernetes object as the API serves it (JSON, dates as strings). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

/** The metadata quiesce reads and writes. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [field: string]: unknown;
}

/** A metadata.ownerReferences entry. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** A resource type by group, version and plural resource name; `group` is "" (or absent) for the core group. */
export interface ResourceRef {
  group?: string;
  version: string;
  resource: string;
}

/** One object: a resource type plus namespace (absent for cluster-scoped) and name. */
export interface ObjectRef extends ResourceRef {
  namespace?: string;
  name: string;
}

/** What discovery says about a kind. */
export interface ResourceInfo extends Required<ResourceRef> {
  kind: string;
  namespaced: boolean;
}

/** A container in a pod; `container` defaults to the pod's `kubectl.kubernetes.io/default-container` annotation, else its first container. */
export interface ContainerRef {
  namespace: string;
  pod: string;
  container?: string;
}

/** Options of {@link Cluster.exec}. */
export interface ExecOptions extends CallOptions {
  /** Sent on stdin, then stdin is closed. */
  stdin?: string | Uint8Array | AsyncIterable<Uint8Array>;
  /**
   * Called with each stdout chunk as it arrives (whatever the capture limit keeps). The chunk is the
   * callback's to keep, unless `reuseChunks` is set.
   */
  onStdout?: (chunk: Uint8Array) => void;
  /** Called with each stderr chunk as it arrives (see `onStdout`). */
  onStderr?: (chunk: Uint8Array) => void;
  /**
   * Hand `onStdout`/`onStderr` views of the connection's read buffer instead of copies: a chunk is
   * then only valid during the call — it is overwritten by the next read — so copy whatever you
   * keep (a TextDecoder with `stream: true`, a parser that copies, `Buffer.from(chunk)`). Do NOT
   * pass such a chunk to anything that holds on to it, e.g. `stream.write(chunk)` on a busy
   * stream. In exchange a large output streams with no new buffer per chunk, so memory stays
   * flat (see docs/performance.md). Default false: every chunk is a fresh copy.
   */
  reuseChunks?: boolean;
  /** Bytes of stdout kept (the tail); default 1 MiB. */
  stdoutLimitBytes?: number;
  /** Bytes of stderr kept (the tail); default 1 MiB. */
  stderrLimitBytes?: number;
  /**
   * The target pod as the caller already holds it (e.g. from {@link Cluster.selectPods}), so the
   * exec skips fetching it first: one API request per exec instead of two, which matters when
   * fanning out over many pods. The container is resolved from its spec (`target.container`, else
   * the default-container annotation, else the first container) and the running check uses its
   * status. Its namespace and name must match `target`, otherwise it is ignored and the pod is fetched.
   *
   * Trade-off: the check is only as fresh as the object. A pod that stopped since it was read is
   * not refused up front with QUIESCE_KUBE_POD_NOT_RUNNING; the API server then refuses the exec
   * (a KubeApiError carrying its Status, e.g. QUIESCE_KUBE_INVALID for 400 "container not found"
   * or "completed pod") or the session fails on its status channel. A pod that changed its containers is resolved against
   * the old spec. Omit it when the object may be stale (minutes old, or read before a rollout).
   *
   * @example
   * ```ts
   * const pods = await cluster.selectPods("db", { selector: "app=postgres" });
   * await Promise.all(pods.map((pod) =>
   *   cluster.exec({ namespace: "db", pod: pod.metadata!.name! }, ["sync"], { pod })));
   * ```
   */
  pod?: V1Pod;
}

/** The outcome of a command that ran to completion (any exit code). */
export interface ExecResult {
  pod: string;
  container: string;
  /** The command's exit code, from the exec protocol's status channel. */
  exitCode: number;
  /** The tail of stdout (UTF-8), at most `stdoutLimitBytes`. */
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** Bytes dropped from the head of stdout to keep the tail within the limit. */
  stdoutDroppedBytes: number;
  stderrDroppedBytes: number;
  durationMs: number;
}

/**
 * How to pick pods. `selector` takes KubeStash's `"app=web, env=prod"` form and full Kubernetes
 * selector syntax (`in`, `notin`, `!=`, `!key`). `owner` keeps pods whose controller chain
 * reaches that object (Pod → ReplicaSet → Deployment, Pod → StatefulSet, Pod → Job → CronJob,
 * Pod → DaemonSet). `phase` keeps pods in that phase.
 */
export interface PodSelection {
  selector?: string;
  owner?: { kind: string; name: string };
  phase?: "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";
}

/** The workload kinds that can be scaled and described. */
export type WorkloadKind = "Deployment" | "StatefulSet";

/** A Deployment or StatefulSet by kind, namespace and name. */
export interface WorkloadRef {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

/**
 * What Kanister's TemplateParams need about a workload, as Kanister computes it: its Running pods
 * (for a Deployment, the pods of its current ReplicaSet) in the API server's list order, each pod's
 * containers from `status.containerStatuses`, and the PVCs each pod mounts.
 */
export interface WorkloadFacts {
  kind: WorkloadKind;
  name: string;
  namespace: string;
  /** Desired replicas (spec.replicas). */
  replicas: number;
  /** Names of Running pods (terminating ones included), sorted by name as the API server lists them. */
  pods: string[];
  /** `containers[i]`: the names in `status.containerStatuses` of `pods[i]`, in that order. */
  containers: string[][];
  /**
   * pod name → PVC claim name → mount path, for pods that mount a claim of the workload's template
   * (a StatefulSet's claims are `<claim>-<statefulset>-<ordinal>`); the last mount of a claim wins.
   */
  persistentVolumeClaims: Record<string, Record<string, string>>;
  /** The workload object itself. */
  object: KubeObject;
}

/** Options of {@link Cluster.scaleWorkload}. */
export interface ScaleOptions extends CallOptions {
  /**
   * Wait until the workload is ready as Kanister decides it (pkg/kube/workload.go): a StatefulSet's
   * `readyReplicas` and Running pods, a Deployment's replica counts, generation and the pods of its
   * current ReplicaSet, all equal to the replicas asked for — only pods it owns count. Default true.
   */
  waitForReady?: boolean;
}

/** A volume for a one-off pod: a PVC mounted at a path. */
export interface PvcMount {
  claimName: string;
  mountPath: string;
  readOnly?: boolean;
}

/** A one-off pod (KubeTask, PrepareData, MultiContainerRun). */
export interface PodRunSpec {
  namespace: string;
  /** Pod name prefix; a random suffix is added. Default "quiesce-task-". */
  generateName?: string;
  image: string;
  command: string[];
  /**
   * Name of the main container, whose log and exit code the run reports; after the podOverride
   * is merged it is moved first, as Kanister does (default "container", Kanister's
   * `DefaultContainerName`; with `podSpec`, its first container).
   */
  containerName?: string;
  /**
   * A pod spec to run instead of the one generated from `image`, `command`, `args`, `env`,
   * `volumes` and `serviceAccountName` (which are then not used), for pods of several containers
   * such as Kanister's MultiContainerRun. `podOverride` still merges into it.
   */
  podSpec?: V1PodSpec | Record<string, unknown>;
  args?: string[];
  env?: Record<string, string>;
  volumes?: PvcMount[];
  serviceAccountName?: string;
  labels?: Record<string, string>;
  /** Annotations of the pod (Kanister's `podAnnotations`). */
  annotations?: Record<string, string>;
  /** A strategic merge patch of the generated pod spec (Kanister's podOverride; see `mergePodOverride`). */
  podOverride?: Partial<V1PodSpec> | Record<string, unknown>;
  /** Keep the pod after it ends (default: delete it). */
  keep?: boolean;
  /**
   * Grace period of the pod's deletion after its run (default: the pod's own,
   * `terminationGracePeriodSeconds`). Kanister deletes its functions' pods with 0.
   */
  deleteGracePeriodSeconds?: number;
}

/**
 * A one-off pod or Job quiesce created and could not delete (the delete failed past its retries):
 * it is left in the cluster, labelled `quiesce.dev/one-off=true`, for `cleanupOrphans` to remove.
 */
export interface LeakedObject {
  kind: "Pod" | "Job";
  namespace: string;
  name: string;
  /** Why the delete failed (serialized, redacted). */
  error: SerializedError;
  /** When the failed cleanup ended (ISO). */
  at: string;
}

/**
 * Options of {@link Cluster.runPod} and {@link Cluster.runJob}. `timeoutMs` bounds the whole run;
 * runPod has no default for it (a working pod is never cut short, as in Kanister), runJob's is
 * 15 minutes.
 */
export interface RunOptions extends CallOptions {
  /** Called with each log chunk of the (first) container as it is produced. */
  onLog?: (chunk: Uint8Array) => void;
  /** Bytes of log kept (the tail); default 1 MiB. */
  logLimitBytes?: number;
  /**
   * Called when the pod or Job could not be deleted afterwards (whether the run succeeded, failed
   * or was aborted). The runners pass it for you (see `trackLeaks`) and list such objects as `leaked`.
   */
  onLeak?: (leak: LeakedObject) => void;
  /**
   * How long the pod may stay Pending before the run fails (Kanister's `WaitForPodReady`, capped
   * by TIMEOUT_WORKER_POD_READY: 15 minutes by default, which is also the default here).
   */
  readyTimeoutMs?: number;
  /**
   * A pod that cannot start — unschedulable, an image that cannot be pulled, a container that
   * cannot be created: `"fail"` (default) fails the run at once naming the reason; `"wait"` keeps
   * waiting until `readyTimeoutMs` (as Kanister does: a node may be added, a registry may recover)
   * and fails only then, naming the last reason — except for an invalid image name, which never
   * resolves.
   */
  onStuck?: "fail" | "wait";
}

/** The outcome of a one-off pod or job that ran to an end. */
export interface RunResult {
  namespace: string;
  /** The pod that ran (for a job, its last pod). */
  podName: string;
  /** For runJob, the job's name. */
  jobName?: string;
  /** "Succeeded" or "Failed". */
  phase: string;
  /** Exit code of the (first) container. */
  exitCode: number;
  /** The tail of the container's log. */
  logs: string;
  logsTruncated: boolean;
  durationMs: number;
}

/** A one-off pod that {@link Cluster.withPod} keeps up while the caller works in it. */
export interface RunningPod extends ContainerRef {
  /** The pod's name. */
  pod: string;
  /** Its main (first) container: the one to exec into. */
  container: string;
  /** The pod as it was when it started running (pass it as `ExecOptions.pod` to save a request). */
  object: V1Pod;
}

/** Options of {@link Cluster.withPod}. */
export interface WithPodOptions extends CallOptions {
  /**
   * How long the pod may take to start running (Kanister's WaitForPodReady, 15 minutes by default);
   * `timeoutMs` is not used — the caller's work in the pod has no time limit of its own.
   */
  readyTimeoutMs?: number;
  /** A pod that cannot start: fail at once (default) or wait until `readyTimeoutMs` (see {@link RunOptions.onStuck}). */
  onStuck?: "fail" | "wait";
  /** Called when the pod could not be deleted afterwards (see {@link RunOptions.onLeak}). */
  onLeak?: (leak: LeakedObject) => void;
}

/** A Job built from a pod template (KubeStash Function executor). */
export interface JobRunSpec {
  namespace: string;
  /** Job name prefix; a random suffix is added. Default "quiesce-job-". */
  generateName?: string;
  template: V1PodTemplateSpec;
  /** Default 0: hooks are retried by the lifecycle runner, not by the Job controller. */
  backoffLimit?: number;
  labels?: Record<string, string>;
  keep?: boolean;
}

/** Options of {@link Cluster.list}. */
export interface ListOptions extends CallOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/** A patch and how to apply it. */
export type PatchType = "merge" | "json" | "strategic";

/** Options of {@link Cluster.patch}. */
export interface PatchOptions extends CallOptions {
  /**
   * Patch a subresource instead of the object: `"status"` writes the status of a resource that has
   * a status subresource (the main resource keeps its status as it is), `"scale"` the replicas.
   */
  subresource?: string;
}

/** Options of {@link Cluster.delete}. */
export interface DeleteOptions extends CallOptions {
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  /** Grace period of the deletion; 0 deletes at once (a pod on a lost node: kubectl's `--force --grace-period=0`). */
  gracePeriodSeconds?: number;
  /** Resolve only once the object is gone (watch-driven). Default false. */
  waitForDeletion?: boolean;
}

/**
 * The Cluster port. Every method rejects with a `QuiesceError` (codes `QUIESCE_KUBE_*`,
 * `QUIESCE_TIMEOUT`) that keeps the API server's Status reason and message in `details`, or with
 * `signal.reason` when aborted.
 */
export interface Cluster {
  /**
   * Runs `command` (an argv array, never a shell string) in a container and resolves with its exit
   * code and output tails once it ends, whatever the exit code. A timeout closes the stream and
   * rejects with an {@link ExecTimeoutError} that reports the command as possibly still running.
   */
  exec(target: ContainerRef, command: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Pods of a namespace matching a selection, sorted by name. */
  selectPods(namespace: string, selection?: PodSelection, options?: CallOptions): Promise<V1Pod[]>;
  /** Facts about a Deployment or StatefulSet for template parameters. */
  workloadFacts(ref: WorkloadRef, options?: CallOptions): Promise<WorkloadFacts>;
  /** Sets replicas through the scale subresource; resolves with the replica count before the change. */
  scaleWorkload(
    ref: WorkloadRef,
    replicas: number,
    options?: ScaleOptions,
  ): Promise<{ originalReplicas: number }>;
  /**
   * Creates a one-off pod, waits (watch-driven) for it to end, collects its log, deletes it unless
   * `keep`. Only the wait for the pod to start is bounded by default (`readyTimeoutMs`).
   */
  runPod(spec: PodRunSpec, options?: RunOptions): Promise<RunResult>;
  /**
   * Creates a one-off pod whose command keeps it up (e.g. `sh -c "tail -f /dev/null"`), waits until it
   * runs (failing fast when it cannot start), calls `body` — which typically execs into it — and
   * deletes the pod afterwards, whatever `body` did, unless `keep` (Kanister's PodRunner). Rejects
   * with `body`'s error, a QUIESCE_KUBE_WORKLOAD_FAILED error when the pod cannot start, or
   * `signal.reason`.
   *
   * @example
   * ```ts
   * const id = await cluster.withPod(
   *   { namespace: "db", image: "restic/restic", command: ["sh", "-c", "tail -f /dev/null"],
   *     volumes: [{ claimName: "data-db-0", mountPath: "/data" }] },
   *   async (pod) => (await cluster.exec(pod, ["restic", "snapshots"], { pod: pod.object })).stdout,
   * );
   * ```
   */
  withPod<T>(spec: PodRunSpec, body: (pod: RunningPod) => Promise<T>, options?: WithPodOptions): Promise<T>;
  /** Creates a Job, waits for it to complete or fail, collects its pod's log, deletes it unless `keep`. */
  runJob(spec: JobRunSpec, options?: RunOptions): Promise<RunResult>;
  /** The resource type serving `apiVersion` + `kind`, from discovery (cached). */
  resolveResource(apiVersion: string, kind: string, options?: CallOptions): Promise<ResourceInfo>;
  get(ref: ObjectRef, options?: CallOptions): Promise<KubeObject>;
  list(
    ref: ResourceRef & { namespace?: string },
    options?: ListOptions,
  ): Promise<{ items: KubeObject[]; resourceVersion: string }>;
  /** Creates an object; its resource type is resolved from apiVersion and kind. */
  create(object: KubeObject, options?: CallOptions): Promise<KubeObject>;
  patch(ref: ObjectRef, patch: unknown, type: PatchType, options?: PatchOptions): Promise<KubeObject>;
  delete(ref: ObjectRef, options?: DeleteOptions): Promise<void>;
  /**
   * Resolves with the object once `predicate` holds (it sees `undefined` while the object does not
   * exist). Watch-driven with resourceVersion, bookmarks, re-watch and relist on 410 Gone. A
   * predicate that throws ends the wait with that error as it is (e.g. a status reporting a
   * failure), whether on the first list or on a later change. Works the same for namespaced and
   * cluster-scoped objects, custom resources included.
   */
  waitFor(
    ref: ObjectRef,
    predicate: (object: KubeObject | undefined) => boolean,
    options?: CallOptions,
  ): Promise<KubeObject | undefined>;
}
