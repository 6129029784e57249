/**
 * A workload's pods as Kanister's TemplateParams list them (pkg/kube/workload.go FetchPods,
 * pkg/param/param.go containerNames and volumes): the owner's Running pods in the API server's list
 * order, each pod's containers from `status.containerStatuses`, and its PVC mount paths.
 */
import type { V1Pod } from "@kubernetes/client-node";
import type { KubeObject, WorkloadKind } from "./cluster.js";

/** Byte-wise (UTF-8) order: how the API server lists objects of a namespace (etcd key order). */
function byName(a: V1Pod, b: V1Pod): number {
  return Buffer.compare(Buffer.from(a.metadata?.name ?? ""), Buffer.from(b.metadata?.name ?? ""));
}

/**
 * FetchPods: pods with an ownerReference to `ownerUid` (controller or not) in phase Running —
 * terminating ones included, as Kanister includes them — in list order.
 */
export function runningPodsOf(pods: readonly V1Pod[], ownerUid: string | undefined): V1Pod[] {
  if (ownerUid === undefined || ownerUid === "") return [];
  return pods
    .filter(
      (p) =>
        (p.metadata?.ownerReferences ?? []).some((r) => r.uid === ownerUid) && p.status?.phase === "Running",
    )
    .sort(byName);
}

/** containerNames: the names in `status.containerStatuses`, in that order (the kubelet sorts them by name). */
export function containerNames(pod: V1Pod): string[] {
  return (pod.status?.containerStatuses ?? []).map((c) => c.name);
}

interface PodTemplateSpec {
  template?: { spec?: { volumes?: Array<{ name: string; persistentVolumeClaim?: { claimName?: string } }> } };
  volumeClaimTemplates?: Array<{ metadata?: { name?: string } }>;
}

/** ssetPodRegex `.*-([0-9]+)$` and getOrdinal: the pod's ordinal, -1 when its name has none. */
function ordinalOf(podName: string): number {
  const m = /^.*-([0-9]+)$/.exec(podName);
  if (m === null) return -1;
  const n = Number(m[1]);
  return n <= 2 ** 31 - 1 ? n : -1;
}

/**
 * Volume name → claim name, as Kanister derives it from the workload (not the pod):
 * DeploymentVolumes takes the template's PVC volumes; StatefulSetVolumes names every claim
 * `<claim>-<statefulset>-<ordinal>`, for the template's PVC volumes and for volumeClaimTemplates
 * the template does not mention (their volume is named after the claim template).
 */
export function workloadVolumeClaims(
  kind: WorkloadKind,
  workload: KubeObject,
  podName: string,
): Map<string, string> {
  const spec = (workload.spec ?? {}) as PodTemplateSpec;
  const out = new Map<string, string>();
  const volumes = spec.template?.spec?.volumes ?? [];
  if (kind === "Deployment") {
    for (const v of volumes) {
      if (v.persistentVolumeClaim !== undefined) out.set(v.name, v.persistentVolumeClaim.claimName ?? "");
    }
    return out;
  }
  const ordinal = ordinalOf(podName);
  if (ordinal === -1) return out;
  const claimToVolume = new Map<string, string>();
  for (const v of volumes) {
    if (v.persistentVolumeClaim !== undefined)
      claimToVolume.set(v.persistentVolumeClaim.claimName ?? "", v.name);
  }
  for (const t of spec.volumeClaimTemplates ?? []) {
    const name = t.metadata?.name ?? "";
    if (!claimToVolume.has(name)) claimToVolume.set(name, name);
  }
  const setName = workload.metadata?.name ?? "";
  for (const [claim, volume] of claimToVolume) out.set(volume, `${claim}-${setName}-${ordinal}`);
  return out;
}

/**
 * volumes(): claim → mount path for every mount of the pod's containers whose volume maps to a
 * claim; a later mount of the same claim wins.
 */
export function claimMountPaths(
  pod: V1Pod,
  volumeClaims: ReadonlyMap<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of pod.spec?.containers ?? []) {
    for (const m of c.volumeMounts ?? []) {
      const claim = volumeClaims.get(m.name);
      if (claim !== undefined) out[claim] = m.mountPath;
    }
  }
  return out;
}
