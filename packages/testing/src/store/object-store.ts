/** The in-memory object store behind the local API server: Kubernetes object semantics without etcd. */
import { randomUUID } from "node:crypto";
import { ApiStatusError } from "../api/errors.js";
import type {
  GracefulDeletionHook,
  ListSelectors,
  ObjectStore,
  ResourceType,
  StoredMeta,
  StoredObject,
  WatchEvent,
} from "../api/seams.js";
import { matchesFieldSelector, parseFieldSelector } from "../selectors/field-selector.js";
import { matchesLabelSelector, parseLabelSelector } from "../selectors/label-selector.js";
import { admitNamespace, chooseName } from "./admission.js";
import { Bucket } from "./bucket.js";
import { apiVersionOf, builtinResourceTypes } from "./builtin-types.js";
import { crdStatus, crdTypes } from "./crd.js";
import { afterRemoval, type DeletionHost, deleteObject, type PropagationPolicy } from "./deletion.js";
import { generateJobSelector } from "./job-defaults.js";
import { foldStringData, normalizeMicroTimes, specOf, withoutVersion } from "./object-shape.js";
import { kubeTimestamp } from "./time.js";
import { TypeRegistry } from "./type-registry.js";
import { validateMeta } from "./validation.js";
import { WatchHub } from "./watch-hub.js";

/** Options of {@link createObjectStore}. */
export interface ObjectStoreOptions {
  /** How many events the watch history keeps (default 10,000); older versions answer 410 Gone. */
  historySize?: number;
  /** Namespaces that exist from the start (default `default`, `kube-system`). */
  namespaces?: string[];
  /** Extra resource types to serve besides the built-in ones. */
  types?: ResourceType[];
  /** The graceful-deletion hook for pods (also settable later with `setGracefulDeletionHook`). */
  onGracefulDelete?: GracefulDeletionHook;
}

/** The store with its host-facing extras. */
export interface LocalObjectStore extends ObjectStore {
  peek(type: ResourceType, namespace: string | undefined, name: string): Readonly<StoredObject> | undefined;
  setGracefulDeletionHook(hook: GracefulDeletionHook | undefined): void;
  expireHistory(): void;
  /** Removes a resource type (and stops serving it); stored objects are kept. */
  unregisterType(type: ResourceType): void;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

const bucketOf = (type: { group: string; resource: string }) => `${type.group}/${type.resource}`;
const NAMESPACES = bucketOf({ group: "", resource: "namespaces" });

class MemoryObjectStore implements LocalObjectStore, DeletionHost {
  private readonly registry = new TypeRegistry();
  private readonly buckets = new Map<string, Bucket>();
  private readonly byUid = new Map<string, { bucket: string; namespace: string | undefined; name: string }>();
  /** owner uid → dependent uids */
  private readonly dependentsIndex = new Map<string, Set<string>>();
  private readonly hub: WatchHub;
  private rv = 0;
  private gracefulHook: GracefulDeletionHook | undefined;

  constructor(options: ObjectStoreOptions) {
    this.hub = new WatchHub(options.historySize ?? 10_000);
    this.gracefulHook = options.onGracefulDelete;
    for (const type of [...builtinResourceTypes, ...(options.types ?? [])]) this.registerType(type);
    const nsType = this.typeFor("", "v1", "namespaces")!;
    for (const name of options.namespaces ?? ["default", "kube-system"]) {
      this.create(nsType, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
    }
  }

  // ── types ────────────────────────────────────────────────────────────────
  registerType(type: ResourceType): void {
    this.registry.register(type);
  }
  unregisterType(type: ResourceType): void {
    this.registry.unregister(type);
  }
  typeFor(group: string, version: string, resource: string): ResourceType | undefined {
    return this.registry.typeFor(group, version, resource);
  }
  typeForKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.registry.typeForKind(apiVersion, kind);
  }
  types(): ResourceType[] {
    return this.registry.types();
  }

  // ── reads ────────────────────────────────────────────────────────────────
  currentResourceVersion(): string {
    return String(this.rv);
  }
  private bucket(type: { group: string; resource: string }): Bucket {
    const id = bucketOf(type);
    let b = this.buckets.get(id);
    if (!b) {
      b = new Bucket();
      this.buckets.set(id, b);
    }
    return b;
  }
  private present(object: StoredObject, type: ResourceType): StoredObject {
    const copy = clone(object);
    copy.apiVersion = apiVersionOf(type);
    return copy;
  }
  raw(
    type: { group: string; resource: string },
    namespace: string | undefined,
    name: string,
  ): StoredObject | undefined {
    return this.bucket(type).get(namespace, name);
  }
  peek(type: ResourceType, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.raw(type, type.namespaced ? namespace : undefined, name);
  }
  get(type: ResourceType, namespace: string | undefined, name: string): StoredObject | undefined {
    const found = this.raw(type, type.namespaced ? namespace : undefined, name);
    return found ? this.present(found, type) : undefined;
  }
  list(
    type: ResourceType,
    namespace: string | undefined,
    selectors?: ListSelectors,
    options?: { shared?: boolean },
  ): { items: StoredObject[]; resourceVersion: string } {
    const labels = parseLabelSelector(selectors?.labelSelector);
    const fields = parseFieldSelector(selectors?.fieldSelector, type.kind);
    const items: StoredObject[] = [];
    for (const object of this.bucket(type).sorted(type.namespaced ? namespace : undefined)) {
      if (!matchesLabelSelector(labels, object.metadata.labels)) continue;
      if (!matchesFieldSelector(fields, object)) continue;
      // A shallow copy takes apiVersion where a deep one would (same keys, same order, same JSON).
      items.push(
        options?.shared ? { ...object, apiVersion: apiVersionOf(type) } : this.present(object, type),
      );
    }
    return { items, resourceVersion: this.currentResourceVersion() };
  }
  /** Uids of the objects whose ownerReferences name `uid`. */
  dependentsOf(uid: string): StoredObject[] {
    const out: StoredObject[] = [];
    for (const d of this.dependentsIndex.get(uid) ?? []) {
      const loc = this.byUid.get(d);
      const obj = loc ? this.buckets.get(loc.bucket)?.get(loc.namespace, loc.name) : undefined;
      if (obj) out.push(obj);
    }
    return out;
  }
  byUidRaw(uid: string): StoredObject | undefined {
    const loc = this.byUid.get(uid);
    return loc ? this.buckets.get(loc.bucket)?.get(loc.namespace, loc.name) : undefined;
  }
  typeOfObject(object: StoredObject): ResourceType | undefined {
    return (
      this.typeForKind(object.apiVersion, object.kind) ??
      this.types().find((t) => t.kind === object.kind && object.apiVersion.startsWith(`${t.group}/`))
    );
  }
  objectsInNamespace(namespace: string): StoredObject[] {
    const out: StoredObject[] = [];
    for (const [id, b] of this.buckets) {
      if (id === NAMESPACES) continue;
      out.push(...b.inNamespace(namespace));
    }
    return out;
  }
  gracefulDeletionHook(): GracefulDeletionHook | undefined {
    return this.gracefulHook;
  }

  // ── writes ───────────────────────────────────────────────────────────────
  private nextRv(): string {
    this.rv += 1;
    return String(this.rv);
  }

  private unindex(ownerUid: string, dependentUid: string): void {
    const set = this.dependentsIndex.get(ownerUid);
    set?.delete(dependentUid);
    if (set?.size === 0) this.dependentsIndex.delete(ownerUid);
  }

  private index(object: StoredObject, previous: StoredObject | undefined): void {
    for (const ref of previous?.metadata.ownerReferences ?? []) this.unindex(ref.uid, previous!.metadata.uid);
    for (const ref of object.metadata.ownerReferences ?? []) {
      let set = this.dependentsIndex.get(ref.uid);
      if (!set) {
        set = new Set();
        this.dependentsIndex.set(ref.uid, set);
      }
      set.add(object.metadata.uid);
    }
  }

  private emit(
    type: { group: string; resource: string },
    kind: WatchEvent["type"],
    object: StoredObject,
    previous?: StoredObject,
  ): void {
    this.hub.publish({
      rv: Number(object.metadata.resourceVersion),
      key: bucketOf(type),
      namespace: object.metadata.namespace,
      event: { type: kind, object, ...(previous ? { previous } : {}) },
    });
  }

  create(
    type: ResourceType,
    input: Omit<StoredObject, "metadata"> & { metadata: Partial<StoredMeta> },
    options?: { dryRun?: boolean },
  ): StoredObject {
    const meta: Partial<StoredMeta> = { ...clone(input.metadata ?? {}) };
    const namespace = admitNamespace(type, meta, (ns) => this.buckets.get(NAMESPACES)?.get(undefined, ns));
    const name = chooseName(meta, (candidate) => this.raw(type, namespace, candidate) !== undefined);
    validateMeta(type, { ...meta, name }, name ?? meta.generateName ?? "");
    const finalName = name!;
    if (this.raw(type, namespace, finalName)) throw ApiStatusError.alreadyExists(type, finalName);
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    const now = kubeTimestamp();
    const object: StoredObject = {
      ...clone(input as Record<string, unknown>),
      apiVersion: apiVersionOf(type),
      kind: type.kind,
      metadata: {
        ...meta,
        name: finalName,
        ...(namespace === undefined ? {} : { namespace }),
        uid: randomUUID(),
        resourceVersion: "",
        generation: 1,
        creationTimestamp: now,
      },
    };
    foldStringData(object);
    normalizeMicroTimes(object);
    let servedTypes: ResourceType[] = [];
    if (type.kind === "CustomResourceDefinition" && type.group === "apiextensions.k8s.io") {
      servedTypes = crdTypes(object);
      object.status = crdStatus(object, now);
    }
    if (type.kind === "Job" && type.group === "batch") generateJobSelector(object);
    if (type.kind === "Namespace" && type.group === "") {
      object.spec = { finalizers: ["kubernetes"], ...((object.spec as object | undefined) ?? {}) };
      object.status = { phase: "Active" };
    }
    if (options?.dryRun) return this.present(object, type);
    object.metadata.resourceVersion = this.nextRv();
    this.store(type, object, undefined);
    for (const t of servedTypes) this.registerType(t);
    this.emit(type, "ADDED", object);
    this.collectIfDangling(type, object);
    return this.present(object, type);
  }

  /**
   * The garbage collector deletes an object all of whose owners are gone (e.g. a ReplicaSet a
   * controller created for a Deployment deleted meanwhile). Like the real one it acts shortly
   * after the write, not inside it.
   */
  private collectIfDangling(type: ResourceType, object: StoredObject): void {
    const refs = object.metadata.ownerReferences ?? [];
    if (refs.length === 0 || refs.some((r) => this.byUid.has(r.uid))) return;
    queueMicrotask(() => {
      const live = this.raw(type, object.metadata.namespace, object.metadata.name);
      if (!live || live.metadata.uid !== object.metadata.uid || live.metadata.deletionTimestamp) return;
      if ((live.metadata.ownerReferences ?? []).some((r) => this.byUid.has(r.uid))) return;
      deleteObject(this, type, live, {});
    });
  }

  private store(
    type: { group: string; resource: string },
    object: StoredObject,
    previous: StoredObject | undefined,
  ): void {
    const id = bucketOf(type);
    this.bucket(type).set(object);
    this.byUid.set(object.metadata.uid, {
      bucket: id,
      namespace: object.metadata.namespace,
      name: object.metadata.name,
    });
    this.index(object, previous);
  }

  update(
    type: ResourceType,
    input: StoredObject,
    options?: { subresource?: "status"; dryRun?: boolean },
  ): StoredObject {
    const namespace = type.namespaced ? input.metadata?.namespace : undefined;
    const name = input.metadata?.name ?? "";
    const existing = this.raw(type, namespace, name);
    if (!existing) throw ApiStatusError.notFound(type, name);
    const asked = input.metadata.resourceVersion;
    if (asked && asked !== existing.metadata.resourceVersion) {
      throw ApiStatusError.conflict(
        type,
        name,
        "the object has been modified; please apply your changes to the latest version and try again",
      );
    }
    if (input.metadata.uid && input.metadata.uid !== existing.metadata.uid) {
      throw ApiStatusError.conflict(
        type,
        name,
        `Precondition failed: UID in precondition: ${input.metadata.uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    }
    let next: StoredObject;
    if (options?.subresource === "status") {
      next = { ...clone(existing), status: clone(input.status) };
      if (input.status === undefined) delete next.status;
    } else {
      const meta = clone(input.metadata);
      next = {
        ...clone(input as Record<string, unknown>),
        apiVersion: existing.apiVersion,
        kind: existing.kind,
        metadata: {
          ...meta,
          name: existing.metadata.name,
          ...(existing.metadata.namespace === undefined ? {} : { namespace: existing.metadata.namespace }),
          uid: existing.metadata.uid,
          creationTimestamp: existing.metadata.creationTimestamp,
          generation: existing.metadata.generation,
          resourceVersion: existing.metadata.resourceVersion,
        },
      };
      if (existing.metadata.deletionTimestamp)
        next.metadata.deletionTimestamp = existing.metadata.deletionTimestamp;
      else delete next.metadata.deletionTimestamp;
      if (existing.metadata.deletionGracePeriodSeconds !== undefined) {
        next.metadata.deletionGracePeriodSeconds = existing.metadata.deletionGracePeriodSeconds;
      }
      validateMeta(type, next.metadata, name);
      foldStringData(next);
      normalizeMicroTimes(next);
      if (specOf(next) !== specOf(existing)) next.metadata.generation = existing.metadata.generation + 1;
    }
    let servedTypes: ResourceType[] | undefined;
    if (
      type.kind === "CustomResourceDefinition" &&
      type.group === "apiextensions.k8s.io" &&
      options?.subresource !== "status"
    ) {
      servedTypes = crdTypes(next);
      next.status = crdStatus(next, kubeTimestamp());
    }
    if (withoutVersion(next) === withoutVersion(existing) || options?.dryRun) return this.present(next, type);
    next.metadata.resourceVersion = this.nextRv();
    if (next.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0) {
      this.store(type, next, existing);
      this.emit(type, "MODIFIED", next, existing);
      const gone = this.removeNow(type, next);
      afterRemoval(this, gone);
      return this.present(gone, type);
    }
    this.store(type, next, existing);
    if (servedTypes) {
      for (const t of crdTypes(existing)) this.unregisterType(t);
      for (const t of servedTypes) this.registerType(t);
    }
    this.emit(type, "MODIFIED", next, existing);
    return this.present(next, type);
  }

  mutate(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    mutate: (obj: StoredObject) => void,
  ): StoredObject {
    const existing = this.raw(type, type.namespaced ? namespace : undefined, name);
    if (!existing) throw ApiStatusError.notFound(type, name);
    const copy = clone(existing);
    mutate(copy);
    copy.metadata.resourceVersion = existing.metadata.resourceVersion;
    return this.update(type, copy);
  }

  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options?: { propagationPolicy?: PropagationPolicy; gracePeriodSeconds?: number; dryRun?: boolean },
  ): StoredObject {
    const existing = this.raw(type, type.namespaced ? namespace : undefined, name);
    if (!existing) throw ApiStatusError.notFound(type, name);
    if (options?.dryRun) return this.present(existing, type);
    return this.present(deleteObject(this, type, existing, options ?? {}), type);
  }

  /** Marks an object as being deleted (deletionTimestamp, extra fields) and announces it. */
  mark(
    type: { group: string; resource: string },
    object: StoredObject,
    change: (o: StoredObject) => void,
  ): StoredObject {
    const next = clone(object);
    change(next);
    next.metadata.resourceVersion = this.nextRv();
    this.store(type, next, object);
    this.emit(type, "MODIFIED", next, object);
    return next;
  }

  /** Removes an object for good and announces DELETED. */
  removeNow(type: { group: string; resource: string }, object: StoredObject): StoredObject {
    const gone = clone(object);
    gone.metadata.resourceVersion = this.nextRv();
    this.emit(type, "DELETED", gone);
    this.bucket(type).delete(object.metadata.namespace, object.metadata.name);
    this.byUid.delete(object.metadata.uid);
    for (const ref of object.metadata.ownerReferences ?? []) this.unindex(ref.uid, object.metadata.uid);
    if (object.kind === "CustomResourceDefinition" && type.group === "apiextensions.k8s.io") {
      const served = crdTypes(object);
      for (const t of served) this.unregisterType(t);
      const first = served[0];
      if (first) for (const o of [...this.bucket(first).values()]) this.removeNow(first, o);
    }
    return gone;
  }

  // ── watch ────────────────────────────────────────────────────────────────
  watch(
    type: ResourceType,
    namespace: string | undefined,
    resourceVersion: string | undefined,
    listener: (event: WatchEvent) => void,
  ): () => void {
    const ns = type.namespaced ? namespace : undefined;
    const fresh = resourceVersion === undefined || resourceVersion === "" || resourceVersion === "0";
    let from = this.rv;
    if (!fresh) {
      from = Number(resourceVersion);
      if (!Number.isInteger(from) || from < 0)
        throw ApiStatusError.badRequest(`invalid resource version: "${resourceVersion}"`);
      if (from > this.rv) {
        throw new ApiStatusError(504, "Timeout", `Too large resource version: ${from}, current: ${this.rv}`, {
          causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
          retryAfterSeconds: 1,
        });
      }
    }
    const initial = fresh ? this.list(type, ns).items : undefined;
    // Initial objects are already private copies; everything else is cloned per listener.
    const announced = new Set<StoredObject>(initial ?? []);
    return this.hub.subscribe(bucketOf(type), ns, from, this.rv, initial, (event) => {
      if (announced.delete(event.object)) {
        listener(event);
        return;
      }
      listener({
        type: event.type,
        object: this.present(event.object, type),
        ...(event.previous ? { previous: this.present(event.previous, type) } : {}),
      });
    });
  }

  setGracefulDeletionHook(hook: GracefulDeletionHook | undefined): void {
    this.gracefulHook = hook;
  }
  expireHistory(): void {
    this.hub.expire(this.rv);
  }
}

/**
 * Creates an empty in-memory object store with the built-in types and the `default` and
 * `kube-system` namespaces.
 *
 * @example
 * ```ts
 * const store = createObjectStore();
 * const pods = store.typeFor("", "v1", "pods")!;
 * store.create(pods, { apiVersion: "v1", kind: "Pod", metadata: { name: "web-0", namespace: "default" }, spec: {} });
 * ```
 */
export function createObjectStore(options: ObjectStoreOptions = {}): LocalObjectStore {
  return new MemoryObjectStore(options);
}
