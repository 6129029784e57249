/** Small helpers shared by the local cluster's controllers. */
import type { ObjectStore, ResourceType, StoredObject } from "../api/seams.js";

/** The resource types the controllers use, looked up once from the store. */
export interface CoreTypes {
  pods: ResourceType;
  pvcs: ResourceType;
  events: ResourceType;
  replicasets: ResourceType;
  deployments: ResourceType;
  statefulsets: ResourceType;
  jobs: ResourceType;
}

export function coreTypes(store: ObjectStore): CoreTypes {
  const need = (group: string, version: string, resource: string): ResourceType => {
    const type = store.typeFor(group, version, resource);
    if (!type)
      throw new Error(`local cluster: the store does not serve ${group || "core"}/${version} ${resource}`);
    return type;
  };
  return {
    pods: need("", "v1", "pods"),
    pvcs: need("", "v1", "persistentvolumeclaims"),
    events: need("", "v1", "events"),
    replicasets: need("apps", "v1", "replicasets"),
    deployments: need("apps", "v1", "deployments"),
    statefulsets: need("apps", "v1", "statefulsets"),
    jobs: need("batch", "v1", "jobs"),
  };
}

/** A Kubernetes timestamp (RFC 3339, second precision). */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d+Z$/, "Z");
}

const SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** A random name suffix in Kubernetes' generateName alphabet. */
export function randomSuffix(length = 5): string {
  let out = "";
  for (let i = 0; i < length; i++) out += SUFFIX_ALPHABET[Math.floor(Math.random() * SUFFIX_ALPHABET.length)];
  return out;
}

/** A short, stable hash of a JSON-able value (key order does not matter), in generateName's alphabet. */
export function stableHash(value: unknown, length = 10): string {
  const text = stableStringify(value);
  // Two FNV-1a passes with different seeds give enough bits for a 10-character name.
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  let n = BigInt(h1) * 0x100000000n + BigInt(h2);
  let out = "";
  const base = BigInt(SUFFIX_ALPHABET.length);
  for (let i = 0; i < length; i++) {
    out += SUFFIX_ALPHABET[Number(n % base)];
    n /= base;
  }
  return out;
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The controller owner reference of an object, if any. */
export function controllerRef(object: StoredObject): { kind: string; name: string; uid: string } | undefined {
  return object.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

/** True when `object` is controlled by the object with `uid`. */
export function isControlledBy(object: StoredObject, uid: string): boolean {
  return controllerRef(object)?.uid === uid;
}

/** An ownerReferences entry making `owner` the controller. */
export function ownerRefTo(
  owner: StoredObject,
): NonNullable<StoredObject["metadata"]["ownerReferences"]>[number] {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Reads a nested field without casts at every step. */
export function field<T>(object: unknown, ...path: string[]): T | undefined {
  let current: unknown = object;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current as T | undefined;
}

/** A record field of an object, created when absent. */
export function record(object: Record<string, unknown>, key: string): Record<string, unknown> {
  const existing = object[key];
  if (existing !== null && typeof existing === "object" && !Array.isArray(existing)) {
    return existing as Record<string, unknown>;
  }
  const created: Record<string, unknown> = {};
  object[key] = created;
  return created;
}

export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";

export function podPhase(pod: StoredObject): PodPhase | undefined {
  return field<PodPhase>(pod, "status", "phase");
}

/** True when the pod's Ready condition is True and it is not being deleted. */
export function isPodReady(pod: StoredObject): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const conditions = field<{ type: string; status: string }[]>(pod, "status", "conditions") ?? [];
  return conditions.some((c) => c.type === "Ready" && c.status === "True");
}

/** True when the pod counts toward a controller's replicas: not terminal and not being deleted. */
export function isPodActive(pod: StoredObject): boolean {
  const phase = podPhase(pod);
  return !pod.metadata.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed";
}

/** Newest first: by creationTimestamp, then resourceVersion (creation order within a second). */
export function newestFirst(a: StoredObject, b: StoredObject): number {
  const t = b.metadata.creationTimestamp.localeCompare(a.metadata.creationTimestamp);
  if (t !== 0) return t;
  return (
    Number(b.metadata.resourceVersion) - Number(a.metadata.resourceVersion) ||
    b.metadata.name.localeCompare(a.metadata.name)
  );
}

/** True for an error carrying HTTP status `code` (the store's ApiStatusError). */
export function hasStatus(err: unknown, code: number): boolean {
  if (err === null || typeof err !== "object") return false;
  const e = err as { code?: unknown; status?: unknown; statusCode?: unknown };
  return e.code === code || e.status === code || e.statusCode === code;
}

/** Runs a store write, ignoring "not found" and "already exists" races with deletions and retries. */
export function tolerate<T>(write: () => T): T | undefined {
  try {
    return write();
  } catch (err) {
    if (hasStatus(err, 404) || hasStatus(err, 409)) return undefined;
    throw err;
  }
}

/** Label selector `matchLabels` of a workload as a selector string for store.list. */
export function matchLabelsSelector(labels: Record<string, string> | undefined): string | undefined {
  if (!labels || Object.keys(labels).length === 0) return undefined;
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}
