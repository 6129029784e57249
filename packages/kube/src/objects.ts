/** Generic object access for any group/version/resource, custom resources included. */
import { createDeadline, ErrorCodes, QuiesceError, raceAbort } from "@quiesce/core";
import type {
  CallOptions,
  DeleteOptions,
  KubeObject,
  ListOptions,
  ObjectRef,
  PatchOptions,
  PatchType,
  ResourceRef,
} from "./cluster.js";
import type { Discovery } from "./discovery.js";
import { objectKey, observe } from "./observe.js";
import { collectionPath, objectPath, resourceLabel } from "./paths.js";
import type { Transport } from "./transport.js";

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
  strategic: "application/strategic-merge-patch+json",
};

/** Default time limit of waits (waitFor, deletion) in ms: 5 minutes. */
export const DEFAULT_WAIT_MS = 5 * 60_000;

/** Object CRUD and waits over a {@link Transport}. */
export class Objects {
  constructor(
    private readonly transport: Transport,
    private readonly discovery: Discovery,
    private readonly defaultNamespace: string,
  ) {}

  get(ref: ObjectRef, options: CallOptions = {}): Promise<KubeObject> {
    return this.transport.json<KubeObject>({
      method: "GET",
      path: objectPath(ref),
      idempotent: true,
      facts: { verb: "get", resource: resourceLabel(ref), namespace: ref.namespace, name: ref.name },
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
  }

  /** Reads an object, or `undefined` when it does not exist. */
  async find(ref: ObjectRef, options: CallOptions = {}): Promise<KubeObject | undefined> {
    try {
      return await this.get(ref, options);
    } catch (err) {
      if (QuiesceError.is(err, ErrorCodes.KUBE_NOT_FOUND)) return undefined;
      throw err;
    }
  }

  async list(
    ref: ResourceRef & { namespace?: string },
    options: ListOptions = {},
  ): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    const list = await this.transport.json<{ items?: KubeObject[]; metadata?: { resourceVersion?: string } }>(
      {
        method: "GET",
        path: collectionPath(ref),
        query: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector },
        idempotent: true,
        facts: { verb: "list", resource: resourceLabel(ref), namespace: ref.namespace },
        signal: options.signal,
        timeoutMs: options.timeoutMs,
      },
    );
    return { items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion ?? "" };
  }

  async create(object: KubeObject, options: CallOptions = {}): Promise<KubeObject> {
    if (!object.apiVersion || !object.kind) {
      throw new QuiesceError(ErrorCodes.VALIDATION, "an object to create needs apiVersion and kind", {
        details: { apiVersion: object.apiVersion, kind: object.kind },
      });
    }
    const info = await this.discovery.resolve(object.apiVersion, object.kind, options);
    const namespace = info.namespaced ? (object.metadata?.namespace ?? this.defaultNamespace) : undefined;
    const body =
      info.namespaced && !object.metadata?.namespace
        ? { ...object, metadata: { ...object.metadata, namespace } }
        : object;
    return this.transport.json<KubeObject>({
      method: "POST",
      path: collectionPath({ ...info, namespace }),
      body,
      // A create whose connection dropped may have succeeded: never repeated blindly.
      idempotent: false,
      facts: {
        verb: "create",
        resource: resourceLabel(info),
        namespace,
        name: object.metadata?.name ?? object.metadata?.generateName,
      },
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
  }

  patch(ref: ObjectRef, patch: unknown, type: PatchType, options: PatchOptions = {}): Promise<KubeObject> {
    const contentType = PATCH_CONTENT_TYPES[type];
    if (!contentType) {
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        `unknown patch type "${String(type)}" (merge, json or strategic)`,
      );
    }
    return this.transport.json<KubeObject>({
      method: "PATCH",
      path: objectPath(ref, options.subresource),
      body: patch,
      contentType,
      // A merge patch sets values: applying it twice gives the same object. JSON and strategic
      // patches may append or test, so they are not repeated blindly.
      idempotent: type === "merge",
      facts: {
        verb: "patch",
        resource: resourceLabel(ref, options.subresource),
        namespace: ref.namespace,
        name: ref.name,
      },
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
  }

  async delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<void> {
    const deadline = createDeadline(
      {
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? (options.waitForDeletion ? DEFAULT_WAIT_MS : undefined),
      },
      `delete ${resourceLabel(ref)} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`,
    );
    try {
      let deleted: KubeObject;
      try {
        deleted = await this.transport.json<KubeObject>({
          method: "DELETE",
          path: objectPath(ref),
          body: {
            apiVersion: "v1",
            kind: "DeleteOptions",
            ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
            ...(options.gracePeriodSeconds !== undefined
              ? { gracePeriodSeconds: options.gracePeriodSeconds }
              : {}),
          },
          idempotent: true,
          facts: { verb: "delete", resource: resourceLabel(ref), namespace: ref.namespace, name: ref.name },
          signal: deadline.signal,
        });
      } catch (err) {
        // A retried delete that finds nothing means an earlier attempt went through.
        if (QuiesceError.is(err, ErrorCodes.KUBE_NOT_FOUND) && Number(err.details.attempts) > 1) return;
        throw err;
      }
      if (!options.waitForDeletion) return;
      // The answer is the object (with a deletionTimestamp) or a Status; wait until that incarnation is gone.
      const uid = deleted.kind === "Status" ? undefined : deleted.metadata?.uid;
      await raceAbort(
        observe(
          this.transport,
          { ...ref, fieldSelector: `metadata.name=${ref.name}` },
          (objects) => {
            const current = objects.get(objectKey(ref.namespace, ref.name));
            return !current || (uid !== undefined && current.metadata?.uid !== uid)
              ? { value: undefined }
              : undefined;
          },
          deadline.signal,
          this.transport.logger,
        ),
        deadline.signal,
      );
    } finally {
      deadline.dispose();
    }
  }

  async waitFor(
    ref: ObjectRef,
    predicate: (object: KubeObject | undefined) => boolean,
    options: CallOptions = {},
  ): Promise<KubeObject | undefined> {
    const what = `wait for ${resourceLabel(ref)} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;
    const deadline = createDeadline(
      { signal: options.signal, timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_MS },
      what,
    );
    try {
      return await raceAbort(
        observe(
          this.transport,
          { ...ref, fieldSelector: `metadata.name=${ref.name}` },
          (objects) => {
            const current = objects.get(objectKey(ref.namespace, ref.name));
            return predicate(current) ? { value: current } : undefined;
          },
          deadline.signal,
          this.transport.logger,
        ),
        deadline.signal,
      );
    } finally {
      deadline.dispose();
    }
  }
}
