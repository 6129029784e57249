/**
 * When a scaled Deployment or StatefulSet is ready, as Kanister decides it (pkg/kube/workload.go
 * StatefulSetReady / DeploymentReady): from the workload's own status and the pods it owns (by
 * owner UID, never by label), watched rather than polled.
 */
import type { V1Pod } from "@kubernetes/client-node";
import type { Logger } from "@quiesce/core";
import type { KubeObject, WorkloadKind } from "./cluster.js";
import { type ObjectMap, observe } from "./observe.js";
import { DEPLOYMENTS, PODS, REPLICASETS, STATEFULSETS } from "./paths.js";
import type { Transport } from "./transport.js";

const REVISION = "deployment.kubernetes.io/revision";

interface WorkloadStatus {
  replicas?: number;
  readyReplicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
}

/** What the readiness check sees: the workload, its ReplicaSets (Deployments) and the namespace's pods. */
export interface WorkloadView {
  workload: KubeObject | undefined;
  replicaSets: KubeObject[];
  pods: V1Pod[];
}

function ownedBy(
  object: { metadata?: { ownerReferences?: { uid?: string }[] } },
  uid: string | undefined,
): boolean {
  return uid !== undefined && (object.metadata?.ownerReferences ?? []).some((r) => r.uid === uid);
}

// Kanister's FetchPods: owned pods split into Running and the rest (Pending, Succeeded, Failed, …).
function podsOf(pods: V1Pod[], uid: string | undefined): { running: number; notRunning: number } {
  let running = 0;
  let notRunning = 0;
  for (const p of pods) {
    if (!ownedBy(p, uid)) continue;
    if (p.status?.phase === "Running") running++;
    else notRunning++;
  }
  return { running, notRunning };
}

/**
 * Kanister's readiness of a scaled workload, with the reason while it is not ready.
 * StatefulSet: `status.readyReplicas` equals `spec.replicas` and exactly that many of its pods are
 * Running. Deployment: `status.replicas`, `updatedReplicas` and `availableReplicas` equal
 * `spec.replicas`, `observedGeneration` has caught up, and the ReplicaSet of its current revision
 * has as many Running pods as are available and no other pods.
 */
export function workloadReadiness(
  kind: WorkloadKind,
  view: WorkloadView,
): { ready: boolean; status: string } {
  const w = view.workload;
  if (!w) return { ready: false, status: "not found" };
  const want = ((w.spec as { replicas?: number } | undefined)?.replicas ?? 1) as number;
  const status = (w.status ?? {}) as WorkloadStatus;
  if (kind === "StatefulSet") {
    const ready = status.readyReplicas ?? 0;
    if (ready !== want)
      return { ready: false, status: `Specified ${want} replicas and only ${ready} are ready` };
    const { running } = podsOf(view.pods, w.metadata?.uid);
    if (running !== want)
      return { ready: false, status: `Specified ${want} replicas and only ${running} are running` };
    return { ready: true, status: "" };
  }
  const available = status.availableReplicas ?? 0;
  if ((status.replicas ?? 0) !== want)
    return { ready: false, status: `Specified ${want} replicas and only have ${status.replicas ?? 0}` };
  if ((status.updatedReplicas ?? 0) !== want)
    return {
      ready: false,
      status: `Specified ${want} replicas and only have ${status.updatedReplicas ?? 0} updated replicas`,
    };
  if (available !== want)
    return {
      ready: false,
      status: `Specified ${want} replicas and only have ${available} available replicas`,
    };
  const generation = w.metadata?.generation ?? 0;
  if ((status.observedGeneration ?? 0) < generation)
    return {
      ready: false,
      status: `Need generation of at least ${generation} and observed ${status.observedGeneration ?? 0}`,
    };
  const revision = w.metadata?.annotations?.[REVISION];
  const rs = view.replicaSets.find(
    (r) => ownedBy(r, w.metadata?.uid) && r.metadata?.annotations?.[REVISION] === revision,
  );
  // Kanister fails here ("Could not find a ReplicaSet for Deployment"); a watch simply waits for it.
  if (!rs) return { ready: false, status: "Could not find a ReplicaSet for Deployment" };
  const { running, notRunning } = podsOf(view.pods, rs.metadata?.uid);
  if (running !== available)
    return { ready: false, status: `${running} out of ${available} available pods are running` };
  if (notRunning !== 0)
    return { ready: false, status: `${running} out of ${running + notRunning} pods are running` };
  return { ready: true, status: "" };
}

/**
 * Watches the workload, its ReplicaSets (for a Deployment) and the pods matching its selector
 * (every pod it owns matches it) until {@link workloadReadiness} holds. `onStatus` learns the last
 * reason it did not, for a timeout's message. Rejects with `signal.reason` when aborted.
 */
export async function waitForWorkloadReady(
  transport: Transport,
  ref: { kind: WorkloadKind; namespace: string; name: string },
  podSelector: string,
  signal: AbortSignal,
  onStatus: (status: string) => void,
  logger?: Logger,
): Promise<void> {
  const view: WorkloadView = { workload: undefined, replicaSets: [], pods: [] };
  const seen = { workload: false, replicaSets: ref.kind !== "Deployment", pods: false };
  const stop = new AbortController();
  const both = AbortSignal.any([signal, stop.signal]);
  const evaluate = () => {
    if (!seen.workload || !seen.replicaSets || !seen.pods) return undefined;
    const r = workloadReadiness(ref.kind, view);
    onStatus(r.status);
    return r.ready ? { value: true } : undefined;
  };
  const watch = (target: Parameters<typeof observe>[1], update: (objects: ObjectMap) => void) =>
    observe(
      transport,
      target,
      (objects) => {
        update(objects);
        return evaluate();
      },
      both,
      logger,
    );
  const resource = ref.kind === "Deployment" ? DEPLOYMENTS : STATEFULSETS;
  const watches = [
    watch(
      { ...resource, namespace: ref.namespace, fieldSelector: `metadata.name=${ref.name}` },
      (objects) => {
        view.workload = [...objects.values()][0];
        seen.workload = true;
      },
    ),
    watch({ ...PODS, namespace: ref.namespace, labelSelector: podSelector }, (objects) => {
      view.pods = [...objects.values()] as unknown as V1Pod[];
      seen.pods = true;
    }),
  ];
  if (ref.kind === "Deployment")
    watches.push(
      watch({ ...REPLICASETS, namespace: ref.namespace, labelSelector: podSelector }, (objects) => {
        view.replicaSets = [...objects.values()];
        seen.replicaSets = true;
      }),
    );
  try {
    // The first watch to see readiness ends the wait; the first to fail fails it.
    await new Promise<void>((resolve, reject) => {
      for (const w of watches) w.then(() => resolve(), reject);
    });
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    throw err;
  } finally {
    stop.abort();
    await Promise.allSettled(watches);
  }
}
