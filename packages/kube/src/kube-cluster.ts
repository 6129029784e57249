/** The client-node implementation of the Cluster port. */
import type { V1Pod } from "@kubernetes/client-node";
import type {
  CallOptions,
  Cluster,
  ContainerRef,
  DeleteOptions,
  ExecOptions,
  ExecResult,
  JobRunSpec,
  KubeObject,
  ListOptions,
  ObjectRef,
  PatchOptions,
  PatchType,
  PodRunSpec,
  PodSelection,
  ResourceInfo,
  ResourceRef,
  RunningPod,
  RunOptions,
  RunResult,
  ScaleOptions,
  WithPodOptions,
  WorkloadFacts,
  WorkloadRef,
} from "./cluster.js";
import { Discovery } from "./discovery.js";
import { execInContainer } from "./exec.js";
import { Objects } from "./objects.js";
import { selectPods } from "./pods.js";
import { runJob, runPod } from "./run.js";
import type { Transport } from "./transport.js";
import { withPod } from "./with-pod.js";
import { scaleWorkload, workloadFacts } from "./workloads.js";

/**
 * The Cluster adapter over one connection; create it with `connect()` (or `connectAdapter()` for
 * this class type).
 *
 * @example
 * ```ts
 * const cluster = connectAdapter({ kubeconfigPath: "/etc/quiesce/kubeconfig", qps: 20, burst: 40 });
 * await cluster.scaleWorkload({ kind: "StatefulSet", namespace: "db", name: "pg" }, 0);
 * ```
 */
export class KubeCluster implements Cluster {
  private readonly discovery: Discovery;
  private readonly objects: Objects;

  constructor(
    /** The request layer (server URL, rate limiter, retries). */
    readonly transport: Transport,
    /** Namespace for objects created without one (the kubeconfig context's, else "default"). */
    readonly defaultNamespace: string,
  ) {
    this.discovery = new Discovery(transport);
    this.objects = new Objects(transport, this.discovery, defaultNamespace);
  }

  exec(target: ContainerRef, command: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return execInContainer(this.transport, this.objects, target, command, options);
  }

  selectPods(namespace: string, selection?: PodSelection, options?: CallOptions): Promise<V1Pod[]> {
    return selectPods(this.objects, this.discovery, namespace, selection, options);
  }

  workloadFacts(ref: WorkloadRef, options?: CallOptions): Promise<WorkloadFacts> {
    return workloadFacts(this.objects, ref, options);
  }

  scaleWorkload(
    ref: WorkloadRef,
    replicas: number,
    options?: ScaleOptions,
  ): Promise<{ originalReplicas: number }> {
    return scaleWorkload(this.transport, this.objects, ref, replicas, options);
  }

  runPod(spec: PodRunSpec, options?: RunOptions): Promise<RunResult> {
    return runPod(this.transport, this.objects, spec, options);
  }

  withPod<T>(spec: PodRunSpec, body: (pod: RunningPod) => Promise<T>, options?: WithPodOptions): Promise<T> {
    return withPod(this.transport, this.objects, spec, body, options);
  }

  runJob(spec: JobRunSpec, options?: RunOptions): Promise<RunResult> {
    return runJob(this.transport, this.objects, spec, options);
  }

  resolveResource(apiVersion: string, kind: string, options?: CallOptions): Promise<ResourceInfo> {
    return this.discovery.resolve(apiVersion, kind, options);
  }

  get(ref: ObjectRef, options?: CallOptions): Promise<KubeObject> {
    return this.objects.get(ref, options);
  }

  list(
    ref: ResourceRef & { namespace?: string },
    options?: ListOptions,
  ): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    return this.objects.list(ref, options);
  }

  create(object: KubeObject, options?: CallOptions): Promise<KubeObject> {
    return this.objects.create(object, options);
  }

  patch(ref: ObjectRef, patch: unknown, type: PatchType, options?: PatchOptions): Promise<KubeObject> {
    return this.objects.patch(ref, patch, type, options);
  }

  delete(ref: ObjectRef, options?: DeleteOptions): Promise<void> {
    return this.objects.delete(ref, options);
  }

  waitFor(
    ref: ObjectRef,
    predicate: (object: KubeObject | undefined) => boolean,
    options?: CallOptions,
  ): Promise<KubeObject | undefined> {
    return this.objects.waitFor(ref, predicate, options);
  }
}
