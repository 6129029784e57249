/** `Cluster.selectPods`: label selector (validated client-side), phase, and controller-chain owner. */
import type { V1Pod } from "@kubernetes/client-node";
import type { CallOptions, KubeObject, PodSelection } from "./cluster.js";
import type { Discovery } from "./discovery.js";
import type { Objects } from "./objects.js";
import { memoizeLoader, type OwnerLoader, ownedBy } from "./owner-chain.js";
import { PODS, splitApiVersion } from "./paths.js";
import { normalizeSelector } from "./selector.js";

/** Pods of `namespace` matching `selection`, sorted by name. */
export async function selectPods(
  objects: Objects,
  discovery: Discovery,
  namespace: string,
  selection: PodSelection = {},
  options: CallOptions = {},
): Promise<V1Pod[]> {
  const labelSelector = selection.selector === undefined ? undefined : normalizeSelector(selection.selector);
  const { items } = await objects.list(
    { ...PODS, namespace },
    {
      ...(labelSelector ? { labelSelector } : {}),
      ...(selection.phase ? { fieldSelector: `status.phase=${selection.phase}` } : {}),
      ...options,
    },
  );
  let pods = items as unknown as V1Pod[];
  if (selection.owner) {
    const owner = selection.owner;
    // One read per intermediate owner for the whole call, however many pods share it.
    const load = memoizeLoader(ownerLoader(objects, discovery, options));
    const keep = await Promise.all(pods.map((pod) => ownedBy(pod as unknown as KubeObject, owner, load)));
    pods = pods.filter((_, i) => keep[i]);
  }
  return pods.sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""));
}

/** Loads an owner through discovery (so any controller kind works), `undefined` when gone. */
export function ownerLoader(objects: Objects, discovery: Discovery, options: CallOptions): OwnerLoader {
  return async (namespace, ref) => {
    const info = await discovery.resolve(ref.apiVersion, ref.kind, options);
    const gv = splitApiVersion(ref.apiVersion);
    return objects.find(
      {
        group: gv.group,
        version: gv.version,
        resource: info.resource,
        ...(info.namespaced ? { namespace } : {}),
        name: ref.name,
      },
      options,
    );
  };
}
