/** The objects of one resource type, indexed by namespace so that a namespaced LIST reads only its namespace. */
import type { StoredObject } from "../api/seams.js";

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Objects by namespace and name. A LIST of one namespace costs what that namespace holds, not what
 * the whole cluster holds: with thousands of namespaces, each namespace's hooks list their pods, so
 * a scan of every object per LIST would make a session's cost grow with the square of its size.
 */
export class Bucket {
  private readonly namespaces = new Map<string, Map<string, StoredObject>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(namespace: string | undefined, name: string): StoredObject | undefined {
    return this.namespaces.get(namespace ?? "")?.get(name);
  }

  set(object: StoredObject): void {
    const ns = object.metadata.namespace ?? "";
    let names = this.namespaces.get(ns);
    if (!names) {
      names = new Map();
      this.namespaces.set(ns, names);
    }
    if (!names.has(object.metadata.name)) this.count++;
    names.set(object.metadata.name, object);
  }

  delete(namespace: string | undefined, name: string): void {
    const ns = namespace ?? "";
    const names = this.namespaces.get(ns);
    if (!names?.delete(name)) return;
    this.count--;
    if (names.size === 0) this.namespaces.delete(ns);
  }

  /** Every object, or those of one namespace (`undefined`: all), in `namespace/name` order as the API server lists them. */
  sorted(namespace?: string): StoredObject[] {
    if (namespace !== undefined) {
      const names = this.namespaces.get(namespace);
      if (!names) return [];
      return [...names.keys()].sort(byKey).map((n) => names.get(n) as StoredObject);
    }
    const out: StoredObject[] = [];
    // etcd's key order: `<namespace>/<name>` byte-wise, so "a-b/x" comes before "a/x".
    const order = [...this.namespaces.keys()].sort((a, b) => byKey(`${a}/`, `${b}/`));
    for (const ns of order) out.push(...this.sorted(ns));
    return out;
  }

  /** The objects of one namespace, unordered. */
  inNamespace(namespace: string): IterableIterator<StoredObject> {
    return (this.namespaces.get(namespace) ?? new Map<string, StoredObject>()).values();
  }

  *values(): IterableIterator<StoredObject> {
    for (const names of this.namespaces.values()) yield* names.values();
  }
}
