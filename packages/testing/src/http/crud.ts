/** GET / LIST / POST / PUT / PATCH / DELETE on resources and their status and scale subresources. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiStatusError } from "../api/errors.js";
import type { ObjectStore, ResourceType, StoredObject } from "../api/seams.js";
import { apiVersionOf } from "../store/builtin-types.js";
import { validateSpec } from "../store/spec-validation.js";
import { applyPatch, parsePatch, patchKind } from "./patching.js";
import { queryBool } from "./query.js";
import { readBody, readObjectBody, sendJson } from "./respond.js";
import { replicasFromScale, scaleOf } from "./scale.js";
import { toTable, wantsTable } from "./table.js";

/** A request addressed to a resource. */
export interface ResourceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  store: ObjectStore;
  type: ResourceType;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

type Policy = "Foreground" | "Background" | "Orphan";

/** `?dryRun=All`: run every check, persist nothing. */
function dryRun(r: ResourceRequest): { dryRun?: boolean } {
  const values = r.url.searchParams.getAll("dryRun");
  for (const v of values) {
    if (v !== "All")
      throw ApiStatusError.badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  return values.length > 0 ? { dryRun: true } : {};
}

function mustGet(r: ResourceRequest): StoredObject {
  const found = r.store.get(r.type, r.namespace, r.name!);
  if (!found) throw ApiStatusError.notFound(r.type, r.name!);
  return found;
}

function checkSubresource(r: ResourceRequest): void {
  if (r.subresource !== undefined && !r.type.subresources.includes(r.subresource)) {
    throw new ApiStatusError(404, "NotFound", "the server could not find the requested resource");
  }
}

function asObject(body: unknown): StoredObject {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw ApiStatusError.badRequest("the request body must be a JSON object");
  }
  const o = body as StoredObject;
  if (typeof o.metadata !== "object" || o.metadata === null) (o as { metadata: unknown }).metadata = {};
  return o;
}

function checkKind(r: ResourceRequest, o: StoredObject): void {
  if (o.kind !== undefined && o.kind !== r.type.kind) {
    throw ApiStatusError.badRequest(
      `the API version in the data (${String(o.apiVersion)}) does not match the expected API version (${apiVersionOf(r.type)})`,
    );
  }
  if (o.apiVersion !== undefined && o.apiVersion !== apiVersionOf(r.type)) {
    throw ApiStatusError.badRequest(
      `the API version in the data (${String(o.apiVersion)}) does not match the expected API version (${apiVersionOf(r.type)})`,
    );
  }
}

function placeNamespace(r: ResourceRequest, o: StoredObject): void {
  if (!r.type.namespaced) return;
  if (
    o.metadata.namespace !== undefined &&
    o.metadata.namespace !== "" &&
    o.metadata.namespace !== r.namespace
  ) {
    throw ApiStatusError.badRequest(
      "the namespace of the provided object does not match the namespace sent on the request",
    );
  }
  o.metadata.namespace = r.namespace!;
}

/** Status is owned by the `/status` subresource where one exists: writes to the main resource keep it. */
function keepStatus(r: ResourceRequest, next: StoredObject, existing: StoredObject | undefined): void {
  if (!r.type.subresources.includes("status")) return;
  if (existing?.status !== undefined) next.status = existing.status;
  else delete next.status;
}

/** GET of one object (or its status / scale view). */
export function handleGet(r: ResourceRequest): void {
  checkSubresource(r);
  const object = mustGet(r);
  if (r.subresource === undefined && wantsTable(r.req.headers.accept)) {
    sendJson(
      r.res,
      200,
      toTable(r.type, [object], { includeObject: r.url.searchParams.get("includeObject") }),
    );
    return;
  }
  sendJson(r.res, 200, r.subresource === "scale" ? scaleOf(object) : object);
}

/** LIST with selectors and `limit` / `continue` paging. */
export function handleList(r: ResourceRequest): void {
  const q = r.url.searchParams;
  const table = wantsTable(r.req.headers.accept);
  const { items, resourceVersion } = r.store.list(
    r.type,
    r.namespace,
    {
      ...(q.get("labelSelector") ? { labelSelector: q.get("labelSelector")! } : {}),
      ...(q.get("fieldSelector") ? { fieldSelector: q.get("fieldSelector")! } : {}),
    },
    // The items are only serialised (a Table is built from copies).
    { shared: !table },
  );
  let page = items;
  let start = 0;
  const token = q.get("continue");
  if (token) {
    try {
      const decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
        start: number;
        rv: string;
      };
      start = decoded.start;
    } catch {
      throw ApiStatusError.badRequest("continue key is not valid: incorrect encoded start resourceVersion");
    }
  }
  const limit = Number(q.get("limit") ?? "0");
  const meta: Record<string, unknown> = { resourceVersion };
  if (limit > 0 || start > 0) {
    const end = limit > 0 ? start + limit : items.length;
    page = items.slice(start, end);
    if (end < items.length) {
      meta.continue = Buffer.from(JSON.stringify({ start: end, rv: resourceVersion })).toString("base64url");
      meta.remainingItemCount = items.length - end;
    }
  }
  if (table) {
    sendJson(
      r.res,
      200,
      toTable(r.type, page, {
        includeObject: q.get("includeObject"),
        resourceVersion,
        ...(typeof meta.continue === "string" ? { continue: meta.continue } : {}),
      }),
    );
    return;
  }
  sendJson(r.res, 200, {
    kind: `${r.type.kind}List`,
    apiVersion: apiVersionOf(r.type),
    metadata: meta,
    items: page,
  });
}

/** POST: create. */
export async function handleCreate(r: ResourceRequest): Promise<void> {
  if (r.name !== undefined)
    throw ApiStatusError.methodNotAllowed(`the server does not allow this method on the requested resource`);
  const o = asObject(await readObjectBody(r.req));
  checkKind(r, o);
  placeNamespace(r, o);
  if (r.type.subresources.includes("status") && r.type.kind !== "CustomResourceDefinition") {
    delete o.status;
    if (r.type.group === "" && r.type.kind === "Pod") o.status = { phase: "Pending" };
  }
  validateSpec(r.type, o);
  sendJson(r.res, 201, r.store.create(r.type, o as Parameters<ObjectStore["create"]>[1], dryRun(r)));
}

function checkName(r: ResourceRequest, o: StoredObject): void {
  if (o.metadata.name !== undefined && o.metadata.name !== r.name) {
    throw ApiStatusError.badRequest(
      `the name of the object (${o.metadata.name}) does not match the name on the URL (${r.name})`,
    );
  }
  o.metadata.name = r.name!;
}

function updateScale(r: ResourceRequest, existing: StoredObject, scale: unknown): void {
  const replicas = replicasFromScale(scale);
  if (replicas === undefined || replicas < 0) {
    throw ApiStatusError.invalid("Scale", "autoscaling", r.name!, [
      {
        field: "spec.replicas",
        message: `Invalid value: ${JSON.stringify((scale as { spec?: { replicas?: unknown } })?.spec?.replicas)}: must be greater than or equal to 0`,
      },
    ]);
  }
  const rv = (scale as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
  const next = structuredClone(existing);
  next.spec = { ...((next.spec as object | undefined) ?? {}), replicas };
  next.metadata.resourceVersion = rv || existing.metadata.resourceVersion;
  const updated = r.store.update(r.type, next, dryRun(r));
  sendJson(r.res, 200, scaleOf(updated));
}

/** PUT: replace (main resource, `/status`, or `/scale`). */
export async function handleUpdate(r: ResourceRequest): Promise<void> {
  checkSubresource(r);
  if (r.name === undefined)
    throw ApiStatusError.methodNotAllowed("the server does not allow this method on the requested resource");
  const body = await readObjectBody(r.req);
  const existing = mustGet(r);
  if (r.subresource === "scale") return updateScale(r, existing, body);
  const o = asObject(body);
  checkKind(r, o);
  checkName(r, o);
  placeNamespace(r, o);
  if (r.subresource === "status") {
    sendJson(r.res, 200, r.store.update(r.type, o, { subresource: "status", ...dryRun(r) }));
    return;
  }
  keepStatus(r, o, existing);
  validateSpec(r.type, o, existing);
  sendJson(r.res, 200, r.store.update(r.type, o, dryRun(r)));
}

/** PATCH: merge, JSON, strategic-merge or (approximate) apply patches. */
export async function handlePatch(r: ResourceRequest): Promise<void> {
  checkSubresource(r);
  if (r.name === undefined)
    throw ApiStatusError.methodNotAllowed("the server does not allow this method on the requested resource");
  const kind = patchKind(r.req.headers["content-type"], r.type);
  const patch = parsePatch(kind, await readBody(r.req));
  const existing = r.store.get(r.type, r.namespace, r.name);
  if (!existing) {
    if (kind !== "apply") throw ApiStatusError.notFound(r.type, r.name);
    const o = asObject(patch);
    checkName(r, o);
    placeNamespace(r, o);
    validateSpec(r.type, o);
    sendJson(r.res, 201, r.store.create(r.type, o as Parameters<ObjectStore["create"]>[1], dryRun(r)));
    return;
  }
  if (r.subresource === "scale")
    return updateScale(r, existing, applyPatch(kind, r.type, scaleOf(existing), patch));
  const patched = asObject(applyPatch(kind, r.type, existing, patch));
  patched.metadata.name = r.name;
  if (r.type.namespaced) patched.metadata.namespace = r.namespace!;
  if (r.subresource === "status") {
    sendJson(r.res, 200, r.store.update(r.type, patched, { subresource: "status", ...dryRun(r) }));
    return;
  }
  keepStatus(r, patched, existing);
  validateSpec(r.type, patched, existing);
  sendJson(r.res, 200, r.store.update(r.type, patched, dryRun(r)));
}

function deleteOptions(
  r: ResourceRequest,
  body: unknown,
): {
  propagationPolicy?: Policy;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
} {
  const b = (typeof body === "object" && body !== null ? body : {}) as {
    propagationPolicy?: string;
    gracePeriodSeconds?: number;
    orphanDependents?: boolean;
    preconditions?: { uid?: string; resourceVersion?: string };
  };
  const q = r.url.searchParams;
  let policy = b.propagationPolicy ?? q.get("propagationPolicy") ?? undefined;
  if (policy === undefined && (b.orphanDependents ?? queryBool(q, "orphanDependents"))) policy = "Orphan";
  if (policy !== undefined && policy !== "Foreground" && policy !== "Background" && policy !== "Orphan") {
    throw ApiStatusError.invalid("DeleteOptions", "", "", [
      {
        field: "propagationPolicy",
        message: `Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
        reason: "FieldValueNotSupported",
      },
    ]);
  }
  const graceRaw =
    b.gracePeriodSeconds ??
    (q.get("gracePeriodSeconds") === null ? undefined : Number(q.get("gracePeriodSeconds")));
  return {
    ...(policy === undefined ? {} : { propagationPolicy: policy as Policy }),
    ...(graceRaw === undefined || Number.isNaN(graceRaw) ? {} : { gracePeriodSeconds: graceRaw }),
    ...(b.preconditions ? { preconditions: b.preconditions } : {}),
  };
}

/** DELETE of one object, or of a collection (with selectors). */
export async function handleDelete(r: ResourceRequest): Promise<void> {
  checkSubresource(r);
  const options = deleteOptions(r, await readObjectBody(r.req));
  const storeOptions = {
    ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
    ...(options.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: options.gracePeriodSeconds }),
    ...dryRun(r),
  };
  if (r.name === undefined) {
    const q = r.url.searchParams;
    const { items } = r.store.list(r.type, r.namespace, {
      ...(q.get("labelSelector") ? { labelSelector: q.get("labelSelector")! } : {}),
      ...(q.get("fieldSelector") ? { fieldSelector: q.get("fieldSelector")! } : {}),
    });
    const deleted: StoredObject[] = [];
    for (const item of items) {
      try {
        deleted.push(r.store.delete(r.type, item.metadata.namespace, item.metadata.name, storeOptions));
      } catch (err) {
        if (!(err instanceof ApiStatusError && err.statusCode === 404)) throw err;
      }
    }
    sendJson(r.res, 200, {
      kind: `${r.type.kind}List`,
      apiVersion: apiVersionOf(r.type),
      metadata: { resourceVersion: r.store.currentResourceVersion() },
      items: deleted,
    });
    return;
  }
  const existing = mustGet(r);
  const pre = options.preconditions;
  if (pre?.uid && pre.uid !== existing.metadata.uid) {
    throw ApiStatusError.conflict(
      r.type,
      r.name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid}`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion) {
    throw ApiStatusError.conflict(
      r.type,
      r.name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${existing.metadata.resourceVersion}`,
    );
  }
  sendJson(r.res, 200, r.store.delete(r.type, r.namespace, r.name, storeOptions));
}
