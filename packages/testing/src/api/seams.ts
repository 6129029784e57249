/**
 * The seams inside the local cluster: the object store (served over HTTP by the API server,
 * used directly by controllers) and the pod I/O the runtime provides to the exec and log endpoints.
 */

/** An object as stored: always has apiVersion, kind and full metadata. */
export interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: StoredMeta;
  [field: string]: unknown;
}

export interface StoredMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation: number;
  creationTimestamp: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: {
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
    blockOwnerDeletion?: boolean;
  }[];
  finalizers?: string[];
  generateName?: string;
  [field: string]: unknown;
}

/** A served resource type. */
export interface ResourceType {
  group: string; // "" for core
  version: string;
  resource: string; // plural, e.g. "deployments"
  kind: string;
  namespaced: boolean;
  /** Subresources served, e.g. ["status", "scale"] or ["exec", "log", "status"] for pods. */
  subresources: string[];
  shortNames?: string[];
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK";

export interface WatchEvent {
  type: WatchEventType;
  object: StoredObject;
  /** For MODIFIED (and DELETED after a change): the object as it was before, so selector-filtered watches can tell "stopped matching". */
  previous?: StoredObject;
}

export interface ListSelectors {
  labelSelector?: string;
  fieldSelector?: string;
}

/**
 * The in-memory object store. Mutations bump a global resourceVersion and notify watchers.
 * Errors are thrown as `ApiStatusError` (HTTP code + Kubernetes Status body).
 */
export interface ObjectStore {
  /** Registers (or replaces) a resource type; custom resources are added the same way. */
  registerType(type: ResourceType): void;
  typeFor(group: string, version: string, resource: string): ResourceType | undefined;
  typeForKind(apiVersion: string, kind: string): ResourceType | undefined;
  types(): ResourceType[];

  get(type: ResourceType, namespace: string | undefined, name: string): StoredObject | undefined;
  /**
   * The stored object itself rather than a copy, for readers that only look at it (the exec
   * endpoint reads the pod of every upgrade; a deep copy of a pod per exec was the largest cost of
   * the local API server's exec path). Never change it: stored objects are replaced on every write,
   * never modified in place, so a reference stays a consistent snapshot. Stores without it are
   * read with `get`.
   */
  peek?(type: ResourceType, namespace: string | undefined, name: string): Readonly<StoredObject> | undefined;
  /**
   * The objects of a type (in a namespace) matching the selectors, as copies. With `shared`, each
   * item is a shallow copy whose nested objects are the stored ones — for a reader that only
   * serialises them (the API server's LIST of thousands of pods no longer deep-copies each):
   * never change them.
   */
  list(
    type: ResourceType,
    namespace: string | undefined,
    selectors?: ListSelectors,
    options?: { shared?: boolean },
  ): { items: StoredObject[]; resourceVersion: string };
  /**
   * Fills uid, resourceVersion, generation, creationTimestamp; honours generateName. With
   * `dryRun`, runs every check and returns the would-be object without storing it.
   */
  create(
    type: ResourceType,
    object: Omit<StoredObject, "metadata"> & { metadata: Partial<StoredMeta> },
    options?: { dryRun?: boolean },
  ): StoredObject;
  /** Replaces; rejects 409 on a stale resourceVersion when one is given. Bumps generation when spec changes. */
  update(
    type: ResourceType,
    object: StoredObject,
    options?: { subresource?: "status"; dryRun?: boolean },
  ): StoredObject;
  /** Read-modify-write helper for controllers: applies `mutate` to a copy and stores it. */
  mutate(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    mutate: (obj: StoredObject) => void,
  ): StoredObject;
  /**
   * Deletes (cascading through ownerReferences per propagationPolicy); returns the deleted object.
   * Objects with finalizers are only marked (deletionTimestamp). Pods are deleted gracefully when a
   * graceful-deletion hook is installed (see `setGracefulDeletionHook`): they are marked and the hook
   * terminates them, then removes them with `gracePeriodSeconds: 0` (as the kubelet does).
   * `gracePeriodSeconds: 0` always removes at once (finalizers still hold the object). The default
   * policy is Background, except batch/v1 (Jobs, CronJobs): Orphan, as the API server does.
   */
  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options?: {
      propagationPolicy?: "Foreground" | "Background" | "Orphan";
      gracePeriodSeconds?: number;
      dryRun?: boolean;
    },
  ): StoredObject;
  /**
   * Subscribes to changes of one type (optionally one namespace), starting after `resourceVersion`
   * (replaying retained history); throws a 410 ApiStatusError when that version is too old.
   * Without a resourceVersion (or with "0") every existing object is first announced as ADDED, as the
   * API server does. Listeners get their own copies, in one global order; a listener may mutate the
   * store (its change is delivered after the current event). Returns an unsubscribe function.
   */
  watch(
    type: ResourceType,
    namespace: string | undefined,
    resourceVersion: string | undefined,
    listener: (event: WatchEvent) => void,
  ): () => void;
  /** The current global resourceVersion. */
  currentResourceVersion(): string;
  /**
   * Installs (or with `undefined` removes) the graceful-deletion hook for pods: called after a pod
   * was marked with deletionTimestamp; the runtime stops it and then calls
   * `delete(type, ns, name, { gracePeriodSeconds: 0 })`. Without a hook, pods are removed at once.
   */
  setGracefulDeletionHook?(hook: GracefulDeletionHook | undefined): void;
  /** Forgets the watch history: every resourceVersion issued so far becomes too old (410 on watch). */
  expireHistory?(): void;
}

/** Called when a pod is being deleted gracefully; `gracePeriodSeconds` is what the client asked for (default 30). */
export type GracefulDeletionHook = (pod: StoredObject, gracePeriodSeconds: number) => void;

/** Byte streams of one exec session. */
export interface ExecStreams {
  /** Stdin from the client (ends when the client closes stdin); absent when stdin was not requested. */
  stdin?: AsyncIterable<Uint8Array>;
  /**
   * Sends output to the client. Returns a promise when the client is behind (the WebSocket send
   * queue is above its high-water mark) that resolves once it caught up; awaiting it gives
   * backpressure, so large outputs stream in bounded memory. Returns undefined otherwise.
   */
  stdout(chunk: Uint8Array): void | Promise<void>;
  /** As `stdout`, for the error stream. */
  stderr(chunk: Uint8Array): void | Promise<void>;
  /**
   * Resolves once the client has taken enough of the output written so far (the WebSocket's send
   * queue is below its high-water mark); resolves at once when it already is. A runtime streaming
   * large output awaits it between chunks (e.g. pausing a child process's stdout) so memory stays
   * bounded. Absent in sinks that never build up a queue.
   */
  waitForDrain?(): Promise<void>;
}

export interface ExecRequest {
  namespace: string;
  /** The pod as stored (see `ObjectStore.peek`): read it, never change it. */
  pod: StoredObject;
  container: string;
  command: string[];
  tty: boolean;
}

export interface LogRequest {
  namespace: string;
  pod: StoredObject;
  container: string;
  follow: boolean;
  tailLines?: number;
  limitBytes?: number;
}

/** What the container runtime provides to the API server's exec and log endpoints. */
export interface PodIO {
  /**
   * Runs a command in a running container; resolves with its exit code. Rejects (ApiStatusError)
   * when the pod is not running or the container does not exist. Aborting `signal` (client gone)
   * stops the command.
   */
  exec(request: ExecRequest, streams: ExecStreams, signal: AbortSignal): Promise<{ exitCode: number }>;
  /** Writes the container's log to `write`; with `follow`, keeps writing until the container ends or `signal` aborts. */
  logs(request: LogRequest, write: (chunk: Uint8Array) => void, signal: AbortSignal): Promise<void>;
}
