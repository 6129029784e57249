/**
 * The local copy a watch keeps, robust to events that arrive twice or out of order (a misbehaving
 * proxy, a replayed stream): an event older than what is held for its object is dropped, and an
 * object once deleted is never brought back by a late event about it.
 *
 * Kubernetes asks clients to treat resourceVersions as opaque; they are compared here only when
 * both are integers (etcd revisions, which every API server of today hands out), as a safeguard —
 * an API server that sends events in order is unaffected.
 */
import type { KubeObject } from "./cluster.js";

/** The objects of a collection, keyed by `namespace/name`. */
export type ObjectMap = Map<string, KubeObject>;

/** The key of an object in an {@link ObjectMap}. */
export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${name}`;
}

function revision(rv: unknown): bigint | undefined {
  return typeof rv === "string" && /^\d{1,30}$/.test(rv) ? BigInt(rv) : undefined;
}

/** Applies watch events to an {@link ObjectMap}. */
export class WatchCache {
  readonly objects: ObjectMap = new Map();
  readonly #deleted = new Set<string>();
  #newest: bigint | undefined;
  #last = "";

  /** Replaces the content with a list's items (a relist forgets every earlier event). */
  reset(items: readonly KubeObject[], resourceVersion: string): void {
    this.objects.clear();
    this.#deleted.clear();
    for (const item of items)
      this.objects.set(objectKey(item.metadata?.namespace, item.metadata?.name ?? ""), item);
    this.#newest = revision(resourceVersion);
    this.#last = resourceVersion;
  }

  /** The resourceVersion to re-watch from: the newest one seen. */
  get resourceVersion(): string {
    return this.#newest !== undefined ? this.#newest.toString() : this.#last;
  }

  /** Notes a BOOKMARK's resourceVersion. */
  bookmark(resourceVersion: string | undefined): void {
    this.#see(resourceVersion);
  }

  /** Applies an ADDED/MODIFIED/DELETED event; false when it was stale and dropped. */
  apply(type: "ADDED" | "MODIFIED" | "DELETED", object: KubeObject): boolean {
    const meta = object.metadata ?? {};
    const key = objectKey(meta.namespace, meta.name ?? "");
    const rv = revision(meta.resourceVersion);
    this.#see(meta.resourceVersion);
    if (meta.uid !== undefined && this.#deleted.has(meta.uid)) return false;
    const held = this.objects.get(key);
    const heldRv = revision(held?.metadata?.resourceVersion);
    const sameObject = held !== undefined && held.metadata?.uid === meta.uid;
    if (sameObject && rv !== undefined && heldRv !== undefined && rv < heldRv) return false;
    if (type === "DELETED") {
      if (meta.uid !== undefined) this.#deleted.add(meta.uid);
      if (!held || sameObject || meta.uid === undefined) this.objects.delete(key);
    } else this.objects.set(key, object);
    return true;
  }

  #see(rv: string | undefined): void {
    if (rv === undefined || rv === "") return;
    this.#last = rv;
    const n = revision(rv);
    if (n !== undefined && (this.#newest === undefined || n > this.#newest)) this.#newest = n;
  }
}
