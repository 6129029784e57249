/** A kubeconfig for the local API server. */
import { stringify } from "yaml";

/** The context name written by {@link kubeconfigFor}. */
export const LOCAL_CONTEXT = "quiesce-local";

/**
 * Returns kubeconfig YAML for `url` with a bearer-token user and a current context named
 * `quiesce-local` — what kubectl and `@kubernetes/client-node` load unchanged. The cluster entry
 * carries `insecure-skip-tls-verify: true` because client-node 2.x refuses an `http://` server
 * without it (there is no TLS to verify on the loopback server).
 *
 * @example
 * ```ts
 * import { KubeConfig } from "@kubernetes/client-node";
 * const kc = new KubeConfig();
 * kc.loadFromString(kubeconfigFor(server.url, "t0k3n"));
 * ```
 */
export function kubeconfigFor(url: string, token: string, namespace = "default"): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    // client-node 2.x refuses plain http unless the cluster says insecure-skip-tls-verify.
    clusters: [{ name: LOCAL_CONTEXT, cluster: { server: url, "insecure-skip-tls-verify": true } }],
    users: [{ name: LOCAL_CONTEXT, user: { token } }],
    contexts: [{ name: LOCAL_CONTEXT, context: { cluster: LOCAL_CONTEXT, user: LOCAL_CONTEXT, namespace } }],
    "current-context": LOCAL_CONTEXT,
    preferences: {},
  });
}
