/** The resource types the local API server serves from the start. */
import type { ResourceType } from "../api/seams.js";

function t(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  subresources: string[] = [],
  shortNames?: string[],
): ResourceType {
  return { group, version, resource, kind, namespaced, subresources, ...(shortNames ? { shortNames } : {}) };
}

/**
 * Built-in resource types: core v1, apps/v1, batch/v1, coordination.k8s.io/v1 and apiextensions.k8s.io/v1.
 * Hosts add more with `store.registerType()`; creating a CustomResourceDefinition adds its types.
 */
export const builtinResourceTypes: readonly ResourceType[] = Object.freeze([
  t("", "v1", "namespaces", "Namespace", false, ["status"], ["ns"]),
  t("", "v1", "pods", "Pod", true, ["status", "exec", "log", "portforward"], ["po"]),
  t("", "v1", "configmaps", "ConfigMap", true, [], ["cm"]),
  t("", "v1", "secrets", "Secret", true),
  t("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, ["status"], ["pvc"]),
  t("", "v1", "persistentvolumes", "PersistentVolume", false, ["status"], ["pv"]),
  t("", "v1", "services", "Service", true, ["status"], ["svc"]),
  t("", "v1", "events", "Event", true, [], ["ev"]),
  t("", "v1", "serviceaccounts", "ServiceAccount", true, [], ["sa"]),
  t("", "v1", "endpoints", "Endpoints", true, [], ["ep"]),
  t("", "v1", "nodes", "Node", false, ["status"], ["no"]),
  t("apps", "v1", "deployments", "Deployment", true, ["status", "scale"], ["deploy"]),
  t("apps", "v1", "replicasets", "ReplicaSet", true, ["status", "scale"], ["rs"]),
  t("apps", "v1", "statefulsets", "StatefulSet", true, ["status", "scale"], ["sts"]),
  t("apps", "v1", "daemonsets", "DaemonSet", true, ["status"], ["ds"]),
  t("batch", "v1", "jobs", "Job", true, ["status"]),
  t("batch", "v1", "cronjobs", "CronJob", true, ["status"], ["cj"]),
  t("coordination.k8s.io", "v1", "leases", "Lease", true),
  t(
    "apiextensions.k8s.io",
    "v1",
    "customresourcedefinitions",
    "CustomResourceDefinition",
    false,
    ["status"],
    ["crd", "crds"],
  ),
]);

/** `group/version`, or `version` for the core group. */
export function apiVersionOf(type: { group: string; version: string }): string {
  return type.group === "" ? type.version : `${type.group}/${type.version}`;
}
