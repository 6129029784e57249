/** HookTemplate `usagePolicy.allowedNamespaces`: may this namespace refer to that template? */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { Cluster } from "@quiesce/kube";
import type { HookTemplate } from "./hook-template.js";
import { describeLabelSelector, matchesLabelSelector } from "./label-selector.js";

/** Options of {@link checkUsagePolicy}. */
export interface UsagePolicyOptions {
  /** Used to read the referring namespace's labels for `from: Selector`. */
  cluster?: Pick<Cluster, "get"> | undefined;
  signal?: AbortSignal | undefined;
  /** The template's namespace when its metadata has none (the reference's `hookTemplate.namespace`). */
  templateNamespace?: string | undefined;
}

/**
 * Enforces a template's usage policy for a reference made from `referringNamespace`:
 * `Same` (the default) allows only the template's own namespace, `All` any namespace, and
 * `Selector` the namespaces whose labels match the selector (read through the Cluster port;
 * `kubernetes.io/metadata.name` is implied, as the API server sets it on every namespace).
 * A refusal is a `QUIESCE_POLICY_REFUSED` error naming both namespaces.
 *
 * @example
 * ```ts
 * await checkUsagePolicy(template, "prod", { cluster });
 * ```
 */
export async function checkUsagePolicy(
  template: HookTemplate,
  referringNamespace: string,
  options: UsagePolicyOptions = {},
): Promise<void> {
  const templateNs = template.metadata.namespace ?? options.templateNamespace ?? referringNamespace;
  const allowed = template.spec.usagePolicy?.allowedNamespaces;
  const from = allowed?.from ?? "Same";
  const name = `${templateNs}/${template.metadata.name}`;
  const refuse = (why: string): never => {
    throw new QuiesceError(
      ErrorCodes.POLICY_REFUSED,
      `HookTemplate ${name} may not be used from namespace "${referringNamespace}": ${why}`,
      {
        details: {
          template: template.metadata.name,
          templateNamespace: templateNs,
          referringNamespace,
          from,
        },
      },
    );
  };
  if (from === "All") return;
  if (from === "Same") {
    if (templateNs !== referringNamespace) {
      refuse(`its usage policy allows only its own namespace "${templateNs}" (allowedNamespaces.from: Same)`);
    }
    return;
  }
  const selector = allowed?.selector ?? {};
  if (!options.cluster) {
    refuse(
      `allowedNamespaces.from: Selector needs a cluster to read namespace "${referringNamespace}"'s labels`,
    );
  }
  const ns = await (options.cluster as Pick<Cluster, "get">).get(
    { version: "v1", resource: "namespaces", name: referringNamespace },
    { signal: options.signal },
  );
  const labels = { "kubernetes.io/metadata.name": referringNamespace, ...(ns.metadata?.labels ?? {}) };
  if (!matchesLabelSelector(selector, labels)) {
    refuse(
      `namespace "${referringNamespace}" does not match the selector ${describeLabelSelector(selector)} of template namespace "${templateNs}"`,
    );
  }
}
