/** `--kubeconfig` and `--context`: the cluster a command talks to, found the way kubectl finds it. */
import { type Cluster, connect, loadKubeConfig } from "@quiesce/kube";
import type { CliIO } from "./io.js";

/** The flags that choose a cluster. */
export interface ClusterFlags {
  kubeconfig?: string | undefined;
  context?: string | undefined;
}

/**
 * Connects with kubectl's loading rules read from the CLI's environment: `--kubeconfig`, else
 * every existing file of `$KUBECONFIG` merged, else `~/.kube/config`, else in-cluster; no
 * kubeconfig at all is an error saying where it looked. Also returns the context's namespace
 * (`default` when it names none), which `-n` overrides.
 */
export function connectFromFlags(
  flags: ClusterFlags,
  io: Pick<CliIO, "env">,
): { cluster: Cluster; namespace: string } {
  const options = {
    env: io.env,
    ...(flags.kubeconfig !== undefined ? { kubeconfigPath: flags.kubeconfig } : {}),
    ...(flags.context !== undefined ? { context: flags.context } : {}),
  };
  const kc = loadKubeConfig(options);
  const namespace = kc.getContextObject(kc.getCurrentContext())?.namespace || "default";
  return { cluster: connect(options), namespace };
}
