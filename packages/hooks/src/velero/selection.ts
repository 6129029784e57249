/** Which pods a Velero rule covers: namespaces by glob (from the cluster's list), pods by label selector. */
import type { CallOptions, Cluster, V1Pod } from "@quiesce/kube";
import { type LabelSelector, matchesLabelSelector } from "../label-selector.js";
import { parseVeleroAnnotations } from "./annotations.js";
import { includedBy, podsIncluded } from "./glob.js";
import type { VeleroHookSet, VeleroScope } from "./load.js";

/**
 * Renders a LabelSelector in Kubernetes' string form (`app=web,tier in (a,b),!legacy`) for
 * `Cluster.selectPods`; undefined for an empty selector (everything).
 *
 * @example
 * ```ts
 * selectorString({ matchLabels: { app: "velero", component: "server" } }); // "app=velero,component=server"
 * ```
 */
export function selectorString(selector: LabelSelector | undefined): string | undefined {
  if (!selector) return undefined;
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const req of selector.matchExpressions ?? []) {
    const values = (req.values ?? []).join(",");
    if (req.operator === "In") parts.push(`${req.key} in (${values})`);
    else if (req.operator === "NotIn") parts.push(`${req.key} notin (${values})`);
    else if (req.operator === "Exists") parts.push(req.key);
    else parts.push(`!${req.key}`);
  }
  return parts.length === 0 ? undefined : parts.join(",");
}

/**
 * Namespaces of the cluster (sorted) that `scope` includes, optionally limited to `only`. Every
 * namespace counts, whatever its phase: Velero resolves a Backup's namespaces over all of them
 * (pkg/backup/backup.go getNamespaceIncludesExcludes); what is being deleted is skipped pod by pod.
 */
export async function namespacesIn(
  cluster: Cluster,
  scope: Pick<VeleroScope, "includedNamespaces" | "excludedNamespaces"> | undefined,
  only: readonly string[] | undefined,
  options: CallOptions,
): Promise<string[]> {
  const names =
    only !== undefined
      ? [...new Set(only)]
      : (await cluster.list({ version: "v1", resource: "namespaces" }, options)).items.map(
          (n) => n.metadata?.name ?? "",
        );
  return names
    .filter((n) => n !== "" && includedBy(n, scope?.includedNamespaces, scope?.excludedNamespaces))
    .sort();
}

/**
 * True when the Backup/Restore's own resource filter lets pods through: `includedResources` /
 * `excludedResources`, or the newer `includedNamespaceScopedResources` /
 * `excludedNamespaceScopedResources` (pods are namespaced). Hooks act on the pods it backs up or
 * restores, so a filter without pods means no hooks.
 */
export function objectIncludesPods(set: VeleroHookSet<unknown> | undefined): boolean {
  if (!set) return true;
  const s = set.scope;
  if (!podsIncluded(s.includedResources, s.excludedResources)) return false;
  return podsIncluded(s.includedNamespaceScopedResources ?? [], s.excludedNamespaceScopedResources ?? []);
}

/** True when a pod is covered by a Backup/Restore's own label selector(s), if any. */
export function inObjectScope(set: VeleroHookSet<unknown> | undefined, pod: V1Pod): boolean {
  if (!set) return true;
  const labels = pod.metadata?.labels ?? {};
  if (set.scope.labelSelector && !matchesLabelSelector(set.scope.labelSelector, labels)) return false;
  const ors = set.scope.orLabelSelectors;
  return ors.length === 0 || ors.some((s) => matchesLabelSelector(s, labels));
}

/** Names of the pods of `namespace` a rule's label selector matches (via the Cluster port). */
export async function podsMatching(
  cluster: Cluster,
  namespace: string,
  rule: VeleroScope,
  options: CallOptions,
): Promise<Set<string>> {
  const selector = selectorString(rule.labelSelector);
  const pods = await cluster.selectPods(namespace, selector === undefined ? {} : { selector }, options);
  return new Set(pods.map((p) => p.metadata?.name ?? ""));
}

/** The container a hook names, else the pod's first container (Velero's default: `pod.spec.containers[0]`). */
export function containerFor(pod: V1Pod, named: string | undefined): string {
  return named ?? pod.spec?.containers[0]?.name ?? "";
}

/** A pod a Backup/Restore covers, with the rules that match it and its parsed hook annotations. */
export interface PodInScope<R> {
  namespace: string;
  pod: V1Pod;
  name: string;
  /** The `spec.hooks.resources[]` rules (those that apply to pods) whose namespaces and selector match. */
  rules: R[];
  /** The pod is being deleted (`metadata.deletionTimestamp`). */
  deleting: boolean;
  annotations: ReturnType<typeof parseVeleroAnnotations>;
}

/**
 * Walks the pods a Backup's or Restore's hooks can reach — in any phase, as Velero backs up and
 * runs hooks for every pod it collects: the included namespaces (or `only`), the pods there within
 * the object's own label selector(s) and resource filter, each with its matching rules
 * (`rulesApply` decides whether a rule's own resource lists count: they do for a Backup, not for a
 * Restore).
 */
export async function* podsInScope<R extends VeleroScope>(
  cluster: Cluster,
  set: VeleroHookSet<R> | undefined,
  only: readonly string[] | undefined,
  options: CallOptions,
  rulesApply: (rule: R) => boolean = (r) => podsIncluded(r.includedResources, r.excludedResources),
): AsyncGenerator<PodInScope<R>> {
  if (!objectIncludesPods(set)) return;
  const rules = (set?.resources ?? []).filter(rulesApply);
  for (const namespace of await namespacesIn(cluster, set?.scope, only, options)) {
    const pods = await cluster.selectPods(namespace, {}, options);
    const nsRules = rules.filter((r) => includedBy(namespace, r.includedNamespaces, r.excludedNamespaces));
    const matches = await Promise.all(nsRules.map((r) => podsMatching(cluster, namespace, r, options)));
    for (const pod of pods) {
      const name = pod.metadata?.name ?? "";
      if (!inObjectScope(set, pod)) continue;
      yield {
        namespace,
        pod,
        name,
        deleting: pod.metadata?.deletionTimestamp != null,
        rules: nsRules.filter((_, i) => matches[i]?.has(name)),
        annotations: parseVeleroAnnotations(pod.metadata?.annotations),
      };
    }
  }
}

/**
 * `name`, or `name #2`, `name #3`… when the session has a hook of that name already: Velero does
 * not require rule names to differ, and two rules of one name may apply to the same pod.
 */
export function uniqueHookName(used: Set<string>, name: string): string {
  let unique = name;
  for (let n = 2; used.has(unique); n++) unique = `${name} #${n}`;
  used.add(unique);
  return unique;
}
