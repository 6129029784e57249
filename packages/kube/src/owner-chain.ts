/** Following a pod's controller chain (Pod → ReplicaSet → Deployment, Pod → Job → CronJob, …). */
import type { KubeObject, OwnerReference } from "./cluster.js";

/** Loads an owner object; `undefined` when it no longer exists. */
export type OwnerLoader = (namespace: string, ref: OwnerReference) => Promise<KubeObject | undefined>;

/** The controller reference of an object (the one with `controller: true`, else the only one). */
export function controllerOf(object: KubeObject): OwnerReference | undefined {
  const refs = object.metadata?.ownerReferences ?? [];
  return refs.find((r) => r.controller === true) ?? (refs.length === 1 ? refs[0] : undefined);
}

const MAX_DEPTH = 6;

/**
 * True when following controller references up from `object` reaches an owner of `kind` (compared
 * case-insensitively, so "deployment" matches "Deployment") named `name`. Intermediate owners are
 * fetched through `load`, which callers memoise so that a thousand pods of one ReplicaSet cost one read.
 *
 * @example
 * ```ts
 * await ownedBy(pod, { kind: "Deployment", name: "web" }, loader); // via its ReplicaSet
 * ```
 */
export async function ownedBy(
  object: KubeObject,
  owner: { kind: string; name: string },
  load: OwnerLoader,
): Promise<boolean> {
  const namespace = object.metadata?.namespace ?? "";
  const kind = owner.kind.toLowerCase();
  let current: KubeObject | undefined = object;
  for (let depth = 0; depth < MAX_DEPTH && current; depth++) {
    const ref = controllerOf(current);
    if (!ref) return false;
    if (ref.kind.toLowerCase() === kind && ref.name === owner.name) return true;
    current = await load(namespace, ref);
    // A recreated owner with the same name but a new uid does not own this object.
    if (current && current.metadata?.uid !== undefined && current.metadata.uid !== ref.uid) return false;
  }
  return false;
}

/** Wraps a loader so each owner is fetched at most once (per namespace, kind and name). */
export function memoizeLoader(load: OwnerLoader): OwnerLoader {
  const cache = new Map<string, Promise<KubeObject | undefined>>();
  return (namespace, ref) => {
    const key = `${namespace}\u0000${ref.apiVersion}\u0000${ref.kind}\u0000${ref.name}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = load(namespace, ref);
      cache.set(key, hit);
    }
    return hit;
  };
}
