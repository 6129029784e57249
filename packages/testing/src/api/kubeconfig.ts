/** A kubeconfig for the local API server. */
import { stringify } from "yaml";

/** The context name written by {@link kubeconfigFor}. */
export const LOCAL_CONTEXT = "quiesce-local";

/** Options of {@link kubeconfigFor}. */
export interface KubeconfigOptions {
  /** The context's namespace (default `default`). */
  namespace?: string;
  /** PEM certificate to trust for an `https://` server (the API server's `certificateAuthority`). */
  certificateAuthority?: string;
}

/**
 * Returns kubeconfig YAML for `url` with a bearer-token user and a current context named
 * `quiesce-local` — what kubectl and `@kubernetes/client-node` load unchanged. For an `http://`
 * server the cluster entry carries `insecure-skip-tls-verify: true`, because client-node 2.x
 * refuses plain http without it; note that kubectl never sends credentials over plain http, so
 * for kubectl start the server with `tls` and pass its `certificateAuthority` here.
 *
 * @example
 * ```ts
 * import { KubeConfig } from "@kubernetes/client-node";
 * const kc = new KubeConfig();
 * kc.loadFromString(kubeconfigFor(server.url, "t0k3n", { certificateAuthority: server.certificateAuthority }));
 * ```
 */
export function kubeconfigFor(url: string, token: string, options: KubeconfigOptions = {}): string {
  const cluster: Record<string, unknown> = { server: url };
  if (options.certificateAuthority !== undefined) {
    cluster["certificate-authority-data"] = Buffer.from(options.certificateAuthority, "utf8").toString(
      "base64",
    );
  } else {
    cluster["insecure-skip-tls-verify"] = true;
  }
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: LOCAL_CONTEXT, cluster }],
    users: [{ name: LOCAL_CONTEXT, user: { token } }],
    contexts: [
      {
        name: LOCAL_CONTEXT,
        context: { cluster: LOCAL_CONTEXT, user: LOCAL_CONTEXT, namespace: options.namespace ?? "default" },
      },
    ],
    "current-context": LOCAL_CONTEXT,
    preferences: {},
  });
}
