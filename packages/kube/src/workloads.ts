/** Deployments and StatefulSets: facts for template parameters, and scaling through the scale subresource. */
import type { V1Pod } from "@kubernetes/client-node";
import { createDeadline, ErrorCodes, QuiesceError, raceAbort } from "@quiesce/core";
import type {
  CallOptions,
  KubeObject,
  ScaleOptions,
  WorkloadFacts,
  WorkloadKind,
  WorkloadRef,
} from "./cluster.js";
import type { Objects } from "./objects.js";
import { DEPLOYMENTS, PODS, REPLICASETS, STATEFULSETS } from "./paths.js";
import { type LabelSelectorObject, selectorObjectToString } from "./selector.js";
import type { Transport } from "./transport.js";
import { claimMountPaths, containerNames, runningPodsOf, workloadVolumeClaims } from "./workload-pods.js";
import { waitForWorkloadReady } from "./workload-ready.js";

/** Default time limit of a scale with waitForReady: 5 minutes. */
export const DEFAULT_SCALE_TIMEOUT_MS = 5 * 60_000;
const REVISION = "deployment.kubernetes.io/revision";

function resourceOf(kind: WorkloadKind) {
  if (kind === "Deployment") return DEPLOYMENTS;
  if (kind === "StatefulSet") return STATEFULSETS;
  throw new QuiesceError(
    ErrorCodes.VALIDATION,
    `cannot scale or describe kind "${String(kind)}" (Deployment or StatefulSet)`,
  );
}

function controlledBy(object: KubeObject, uid: string | undefined): boolean {
  return (object.metadata?.ownerReferences ?? []).some((r) => r.controller === true && r.uid === uid);
}

function workloadSelector(workload: KubeObject): string {
  const spec = workload.spec as { selector?: LabelSelectorObject } | undefined;
  return selectorObjectToString(spec?.selector);
}

/** The ReplicaSet a Deployment currently rolls out: the one carrying the Deployment's revision, else the newest. */
function currentReplicaSet(deployment: KubeObject, sets: KubeObject[]): KubeObject | undefined {
  const owned = sets.filter((rs) => controlledBy(rs, deployment.metadata?.uid));
  const revision = deployment.metadata?.annotations?.[REVISION];
  const byRevision = owned.filter(
    (rs) => revision !== undefined && rs.metadata?.annotations?.[REVISION] === revision,
  );
  const pool = byRevision.length > 0 ? byRevision : owned;
  return pool.sort((a, b) => {
    const ra = Number(a.metadata?.annotations?.[REVISION] ?? 0);
    const rb = Number(b.metadata?.annotations?.[REVISION] ?? 0);
    if (ra !== rb) return rb - ra;
    return (b.metadata?.creationTimestamp ?? "").localeCompare(a.metadata?.creationTimestamp ?? "");
  })[0];
}

/** Pod → claim → mount path of the first mount of each PVC volume (container order, then mount order). */
export function pvcMounts(pod: V1Pod): Record<string, string> {
  const out: Record<string, string> = {};
  const containers = pod.spec?.containers ?? [];
  for (const volume of pod.spec?.volumes ?? []) {
    const claim = volume.persistentVolumeClaim?.claimName;
    if (!claim || claim in out) continue;
    for (const c of containers) {
      const mount = c.volumeMounts?.find((m) => m.name === volume.name);
      if (mount) {
        out[claim] = mount.mountPath;
        break;
      }
    }
  }
  return out;
}

/** Facts about a Deployment (pods of its current ReplicaSet) or StatefulSet: Running pods, containers, PVC mounts. */
export async function workloadFacts(
  objects: Objects,
  ref: WorkloadRef,
  options: CallOptions = {},
): Promise<WorkloadFacts> {
  const resource = resourceOf(ref.kind);
  const workload = await objects.get({ ...resource, namespace: ref.namespace, name: ref.name }, options);
  const labelSelector = workloadSelector(workload);
  const { items } = await objects.list({ ...PODS, namespace: ref.namespace }, { labelSelector, ...options });
  let owner = workload.metadata?.uid;
  if (ref.kind === "Deployment") {
    const sets = await objects.list(
      { ...REPLICASETS, namespace: ref.namespace },
      { labelSelector, ...options },
    );
    owner = currentReplicaSet(workload, sets.items)?.metadata?.uid ?? "";
  }
  // Kanister pkg/param/param.go fetch{StatefulSet,Deployment}Params: FetchPods' Running pods, their
  // containerStatuses names, and PVC mount paths from the workload's volumes (pods without any left out).
  const pods = runningPodsOf(items as unknown as V1Pod[], owner);
  const claims: Record<string, Record<string, string>> = {};
  for (const p of pods) {
    const name = p.metadata?.name ?? "";
    const mounts = claimMountPaths(p, workloadVolumeClaims(ref.kind, workload, name));
    if (Object.keys(mounts).length > 0) claims[name] = mounts;
  }
  const spec = workload.spec as { replicas?: number } | undefined;
  return {
    kind: ref.kind,
    name: ref.name,
    namespace: ref.namespace,
    replicas: spec?.replicas ?? 1,
    pods: pods.map((p) => p.metadata?.name ?? ""),
    containers: pods.map(containerNames),
    persistentVolumeClaims: claims,
    object: workload,
  };
}

interface Scale extends KubeObject {
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}

/**
 * Sets replicas through the scale subresource and (by default) waits, watch-driven, until the
 * workload is ready as Kanister decides it (`workloadReadiness`): its status and the pods it owns,
 * never other pods that share its labels.
 */
export async function scaleWorkload(
  transport: Transport,
  objects: Objects,
  ref: WorkloadRef,
  replicas: number,
  options: ScaleOptions = {},
): Promise<{ originalReplicas: number }> {
  // A negative count is the API server's to refuse (422, spec.replicas), as for any client.
  if (!Number.isInteger(replicas) || replicas < -(2 ** 31) || replicas >= 2 ** 31) {
    throw new QuiesceError(ErrorCodes.VALIDATION, `replicas must be a 32-bit integer, got ${replicas}`);
  }
  const resource = resourceOf(ref.kind);
  const what = `scale ${ref.kind} ${ref.namespace}/${ref.name} to ${replicas}`;
  const deadline = createDeadline(
    { signal: options.signal, timeoutMs: options.timeoutMs ?? DEFAULT_SCALE_TIMEOUT_MS },
    what,
  );
  const objRef = { ...resource, namespace: ref.namespace, name: ref.name };
  const scalePath = `/apis/apps/v1/namespaces/${encodeURIComponent(ref.namespace)}/${resource.resource}/${encodeURIComponent(ref.name)}/scale`;
  const facts = { resource: `${resource.resource}.apps/scale`, namespace: ref.namespace, name: ref.name };
  try {
    const current = await transport.json<Scale>({
      method: "GET",
      path: scalePath,
      idempotent: true,
      facts: { ...facts, verb: "get" },
      signal: deadline.signal,
    });
    const originalReplicas = current.spec?.replicas ?? 0;
    // A PUT of a fixed count without resourceVersion: repeating it is harmless, so it may be retried.
    await transport.json<Scale>({
      method: "PUT",
      path: scalePath,
      body: {
        apiVersion: "autoscaling/v1",
        kind: "Scale",
        metadata: { name: ref.name, namespace: ref.namespace },
        spec: { replicas },
      },
      idempotent: true,
      facts: { ...facts, verb: "update" },
      signal: deadline.signal,
    });
    if (options.waitForReady === false) return { originalReplicas };
    const selector =
      current.status?.selector || workloadSelector(await objects.get(objRef, { signal: deadline.signal }));
    let status = "";
    try {
      await raceAbort(
        waitForWorkloadReady(
          transport,
          ref,
          selector,
          deadline.signal,
          (s) => {
            status = s;
          },
          transport.logger,
        ),
        deadline.signal,
      );
    } catch (err) {
      // Kanister's WaitOnStatefulSetReady / WaitOnDeploymentReady name the last status on failure.
      if (deadline.timedOut && status && err instanceof QuiesceError)
        throw new QuiesceError(err.code, `${err.message}: ${status}`, { cause: err, details: { status } });
      throw err;
    }
    return { originalReplicas };
  } finally {
    deadline.dispose();
  }
}
