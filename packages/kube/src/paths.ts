/** API paths of resource types, collections and objects (`/api/v1/...`, `/apis/<group>/<version>/...`). */
import type { ObjectRef, ResourceRef } from "./cluster.js";

/** The group-version prefix: `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function groupVersionPath(ref: { group?: string | undefined; version: string }): string {
  return ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
}

/** A collection path, namespaced when `namespace` is given. */
export function collectionPath(ref: ResourceRef & { namespace?: string | undefined }): string {
  const ns = ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : "";
  return `${groupVersionPath(ref)}${ns}/${ref.resource}`;
}

/** An object path, with an optional subresource (`scale`, `status`, `log`, `exec`). */
export function objectPath(ref: ObjectRef, subresource?: string): string {
  return `${collectionPath(ref)}/${encodeURIComponent(ref.name)}${subresource ? `/${subresource}` : ""}`;
}

/** Splits `apiVersion` into group and version ("apps/v1" → apps, v1; "v1" → "", v1). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The resource name for error messages: `deployments.apps`, `pods`. */
export function resourceLabel(ref: ResourceRef, subresource?: string): string {
  const base = ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
  return subresource ? `${base}/${subresource}` : base;
}

/** Well-known resource types the adapter uses itself. */
export const PODS: ResourceRef = { group: "", version: "v1", resource: "pods" };
export const DEPLOYMENTS: ResourceRef = { group: "apps", version: "v1", resource: "deployments" };
export const STATEFULSETS: ResourceRef = { group: "apps", version: "v1", resource: "statefulsets" };
export const REPLICASETS: ResourceRef = { group: "apps", version: "v1", resource: "replicasets" };
export const JOBS: ResourceRef = { group: "batch", version: "v1", resource: "jobs" };
