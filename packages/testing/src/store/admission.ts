/** Admission of a new object: its namespace must exist and not be terminating; generateName picks a free name. */
import { ApiStatusError } from "../api/errors.js";
import type { ResourceType, StoredMeta, StoredObject } from "../api/seams.js";
import { randomSuffix } from "./validation.js";

/**
 * Returns the namespace a new object goes to (undefined for cluster-scoped types, whose
 * `metadata.namespace` is dropped). Throws 422 without one, 404 when it does not exist, and
 * 403 Forbidden while it is being terminated — the API server's answers.
 */
export function admitNamespace(
  type: ResourceType,
  meta: Partial<StoredMeta>,
  lookup: (namespace: string) => StoredObject | undefined,
): string | undefined {
  if (!type.namespaced) {
    delete meta.namespace;
    return undefined;
  }
  const namespace = meta.namespace;
  if (!namespace) {
    throw ApiStatusError.invalid(type.kind, type.group, meta.name ?? "", [
      { field: "metadata.namespace", message: "Required value", reason: "FieldValueRequired" },
    ]);
  }
  const ns = lookup(namespace);
  if (!ns) throw ApiStatusError.notFound({ group: "", resource: "namespaces" }, namespace);
  if (ns.metadata.deletionTimestamp) {
    throw new ApiStatusError(
      403,
      "Forbidden",
      `${type.resource} "${meta.name ?? meta.generateName ?? ""}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      { name: meta.name ?? "", kind: type.resource },
    );
  }
  return namespace;
}

/** The object's name: `metadata.name`, or `generateName` plus a random suffix not yet taken. */
export function chooseName(meta: Partial<StoredMeta>, taken: (name: string) => boolean): string | undefined {
  if (meta.name || !meta.generateName) return meta.name;
  let name = `${meta.generateName}${randomSuffix()}`;
  for (let i = 0; i < 8 && taken(name); i++) name = `${meta.generateName}${randomSuffix()}`;
  return name;
}
