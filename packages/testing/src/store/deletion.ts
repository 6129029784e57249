/**
 * Deletion semantics of the store: finalizers, graceful pod deletion, cascading through
 * ownerReferences (Background, Foreground, Orphan) and namespace termination.
 */
import type { GracefulDeletionHook, ResourceType, StoredObject } from "../api/seams.js";
import { kubeTimestamp } from "./time.js";

export type PropagationPolicy = "Foreground" | "Background" | "Orphan";

/** What deletion needs from the store. */
export interface DeletionHost {
  raw(
    type: { group: string; resource: string },
    namespace: string | undefined,
    name: string,
  ): StoredObject | undefined;
  dependentsOf(uid: string): StoredObject[];
  byUidRaw(uid: string): StoredObject | undefined;
  typeOfObject(object: StoredObject): ResourceType | undefined;
  typeFor(group: string, version: string, resource: string): ResourceType | undefined;
  objectsInNamespace(namespace: string): StoredObject[];
  gracefulDeletionHook(): GracefulDeletionHook | undefined;
  mark(
    type: { group: string; resource: string },
    object: StoredObject,
    change: (o: StoredObject) => void,
  ): StoredObject;
  removeNow(type: { group: string; resource: string }, object: StoredObject): StoredObject;
}

const FOREGROUND = "foregroundDeletion";
const ORPHAN = "orphan";

/** batch/v1 keeps its historical default of orphaning dependents (kubectl asks for Background explicitly). */
function defaultPolicy(type: ResourceType): PropagationPolicy {
  return type.group === "batch" ? "Orphan" : "Background";
}

/** Deletes `object` per Kubernetes semantics; returns its last state (marked or removed). */
export function deleteObject(
  host: DeletionHost,
  type: ResourceType,
  object: StoredObject,
  options: { propagationPolicy?: PropagationPolicy; gracePeriodSeconds?: number },
): StoredObject {
  if (type.group === "" && type.resource === "namespaces") return deleteNamespace(host, type, object);
  const policy = options.propagationPolicy ?? defaultPolicy(type);
  const graceful = type.group === "" && type.resource === "pods";
  const hook = graceful ? host.gracefulDeletionHook() : undefined;

  if (object.metadata.deletionTimestamp) {
    // Already terminating: a second delete with grace 0 (the runtime, or `--force`) finishes it.
    if (options.gracePeriodSeconds === 0 && (object.metadata.finalizers ?? []).length === 0) {
      return finishRemoval(host, type, object, "Background");
    }
    return object;
  }

  let current = object;
  if (policy === "Orphan") orphanDependents(host, current);
  if (policy === "Foreground" && host.dependentsOf(current.metadata.uid).length > 0) {
    current = host.mark(type, current, (o) => {
      o.metadata.deletionTimestamp = kubeTimestamp();
      o.metadata.finalizers = [...(o.metadata.finalizers ?? []), FOREGROUND];
    });
    for (const dependent of host.dependentsOf(current.metadata.uid))
      deleteDependent(host, dependent, "Foreground");
    return host.raw(type, current.metadata.namespace, current.metadata.name) ?? current;
  }
  if ((current.metadata.finalizers ?? []).length > 0) {
    return host.mark(type, current, (o) => {
      o.metadata.deletionTimestamp = kubeTimestamp();
      o.metadata.deletionGracePeriodSeconds = 0;
    });
  }
  if (hook && options.gracePeriodSeconds !== 0) {
    const spec = current.spec as { terminationGracePeriodSeconds?: number } | undefined;
    const grace = options.gracePeriodSeconds ?? spec?.terminationGracePeriodSeconds ?? 30;
    const marked = host.mark(type, current, (o) => {
      o.metadata.deletionTimestamp = kubeTimestamp(new Date(Date.now() + grace * 1000));
      o.metadata.deletionGracePeriodSeconds = grace;
    });
    hook(structuredClone(marked), grace);
    return host.raw(type, marked.metadata.namespace, marked.metadata.name) ?? marked;
  }
  return finishRemoval(host, type, current, policy);
}

function orphanDependents(host: DeletionHost, owner: StoredObject): void {
  for (const dependent of host.dependentsOf(owner.metadata.uid)) {
    const dtype = host.typeOfObject(dependent);
    if (!dtype) continue;
    host.mark(dtype, dependent, (o) => {
      const refs = (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
      if (refs.length > 0) o.metadata.ownerReferences = refs;
      else delete o.metadata.ownerReferences;
    });
  }
}

function deleteDependent(host: DeletionHost, dependent: StoredObject, policy: PropagationPolicy): void {
  const dtype = host.typeOfObject(dependent);
  const live = dtype && host.raw(dtype, dependent.metadata.namespace, dependent.metadata.name);
  if (!dtype || !live || live.metadata.uid !== dependent.metadata.uid) return;
  deleteObject(host, dtype, live, { propagationPolicy: policy });
}

/** Removes the object, then lets the garbage collector act on what depended on it. */
function finishRemoval(
  host: DeletionHost,
  type: ResourceType,
  object: StoredObject,
  policy: PropagationPolicy,
): StoredObject {
  const gone = host.removeNow(type, object);
  afterRemoval(host, gone, policy);
  return gone;
}

/** Garbage collection after an object disappeared. */
export function afterRemoval(
  host: DeletionHost,
  gone: StoredObject,
  policy: PropagationPolicy = "Background",
): void {
  if (policy !== "Orphan") {
    for (const dependent of host.dependentsOf(gone.metadata.uid)) {
      // A dependent with another live owner stays (the GC only deletes objects whose owners are all gone).
      const others = (dependent.metadata.ownerReferences ?? []).filter(
        (r) => r.uid !== gone.metadata.uid && host.byUidRaw(r.uid),
      );
      if (others.length === 0) deleteDependent(host, dependent, "Background");
    }
  }
  for (const ref of gone.metadata.ownerReferences ?? []) {
    const owner = host.byUidRaw(ref.uid);
    if (owner?.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(FOREGROUND)) {
      if (host.dependentsOf(owner.metadata.uid).length === 0) releaseFinalizer(host, owner, FOREGROUND);
    }
  }
  const ns = gone.metadata.namespace;
  if (ns !== undefined) {
    const nsType = host.typeFor("", "v1", "namespaces")!;
    const namespace = host.raw(nsType, undefined, ns);
    if (namespace?.metadata.deletionTimestamp && host.objectsInNamespace(ns).length === 0) {
      host.removeNow(nsType, namespace);
    }
  }
}

function releaseFinalizer(host: DeletionHost, object: StoredObject, finalizer: string): void {
  const type = host.typeOfObject(object);
  if (!type) return;
  const remaining = (object.metadata.finalizers ?? []).filter((f) => f !== finalizer && f !== ORPHAN);
  if (remaining.length === 0) {
    finishRemoval(host, type, object, "Background");
    return;
  }
  host.mark(type, object, (o) => {
    o.metadata.finalizers = remaining;
  });
}

function deleteNamespace(host: DeletionHost, type: ResourceType, namespace: StoredObject): StoredObject {
  const name = namespace.metadata.name;
  const marked = namespace.metadata.deletionTimestamp
    ? namespace
    : host.mark(type, namespace, (o) => {
        o.metadata.deletionTimestamp = kubeTimestamp();
        o.status = { ...((o.status as object | undefined) ?? {}), phase: "Terminating" };
      });
  for (const object of host.objectsInNamespace(name)) deleteDependent(host, object, "Background");
  if (host.objectsInNamespace(name).length === 0) {
    const current = host.raw(type, undefined, name);
    if (current) return host.removeNow(type, current);
  }
  return host.raw(type, undefined, name) ?? marked;
}
