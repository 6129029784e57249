/** Discovery documents (`/version`, `/api`, `/apis`, `/api/v1`, `/apis/<g>/<v>`) built from the served types. */
import type { ResourceType } from "../api/seams.js";
import { reviewResources } from "./reviews.js";

const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

/** The resources of the `all` category (`kubectl get all`), as the API server lists them. */
const ALL_CATEGORY = new Set([
  "/pods",
  "/replicationcontrollers",
  "/services",
  "apps/daemonsets",
  "apps/deployments",
  "apps/replicasets",
  "apps/statefulsets",
  "autoscaling/horizontalpodautoscalers",
  "batch/cronjobs",
  "batch/jobs",
]);

/** The version the local server reports. */
export const SERVER_VERSION = {
  major: "1",
  minor: "33",
  gitVersion: "v1.33.0+quiesce",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2026-01-01T00:00:00Z",
  goVersion: "go1.24",
  compiler: "gc",
  platform: "linux/amd64",
};

function subresourceEntry(type: ResourceType, sub: string): Record<string, unknown> {
  const base = { name: `${type.resource}/${sub}`, singularName: "", namespaced: type.namespaced };
  switch (sub) {
    case "scale":
      return {
        ...base,
        group: "autoscaling",
        version: "v1",
        kind: "Scale",
        verbs: ["get", "patch", "update"],
      };
    case "exec":
      return { ...base, kind: "PodExecOptions", verbs: ["create", "get"] };
    case "portforward":
      return { ...base, kind: "PodPortForwardOptions", verbs: ["create", "get"] };
    case "log":
      return { ...base, kind: type.kind, verbs: ["get"] };
    default:
      return { ...base, kind: type.kind, verbs: ["get", "patch", "update"] };
  }
}

/** `APIResourceList` for one group/version. */
export function resourceList(
  group: string,
  version: string,
  types: ResourceType[],
): Record<string, unknown> | undefined {
  const mine = types.filter((t) => t.group === group && t.version === version);
  const reviews = reviewResources().filter((r) => r.group === group && r.version === version);
  if (mine.length === 0 && reviews.length === 0) return undefined;
  const resources: Record<string, unknown>[] = reviews.map((r) => ({
    name: r.resource,
    singularName: r.kind.toLowerCase(),
    namespaced: false,
    kind: r.kind,
    verbs: ["create"],
  }));
  for (const t of mine.sort((a, b) => a.resource.localeCompare(b.resource))) {
    resources.push({
      name: t.resource,
      singularName: t.kind.toLowerCase(),
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: VERBS,
      ...(t.shortNames ? { shortNames: t.shortNames } : {}),
      ...(ALL_CATEGORY.has(`${t.group}/${t.resource}`) ? { categories: ["all"] } : {}),
      storageVersionHash: "",
    });
    for (const sub of t.subresources) resources.push(subresourceEntry(t, sub));
  }
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: group === "" ? version : `${group}/${version}`,
    resources,
  };
}

/** `APIVersions` for `/api`. */
export function coreVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function groupEntry(name: string, types: ResourceType[]): Record<string, unknown> {
  const served = [...types, ...reviewResources()].filter((t) => t.group === name);
  const versions = [...new Set(served.map((t) => t.version))].map((v) => ({
    groupVersion: `${name}/${v}`,
    version: v,
  }));
  return { name, versions, preferredVersion: versions[0] };
}

/** `APIGroupList` for `/apis`. */
export function groupList(types: ResourceType[]): Record<string, unknown> {
  const names = [...new Set([...types, ...reviewResources()].map((t) => t.group).filter((g) => g !== ""))];
  return { kind: "APIGroupList", apiVersion: "v1", groups: names.map((n) => groupEntry(n, types)) };
}

/** `APIGroup` for `/apis/<group>`, or undefined when the group is not served. */
export function groupDocument(group: string, types: ResourceType[]): Record<string, unknown> | undefined {
  if (![...types, ...reviewResources()].some((t) => t.group === group)) return undefined;
  return { kind: "APIGroup", apiVersion: "v1", ...groupEntry(group, types) };
}
