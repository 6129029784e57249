/** Finding and merging kubeconfig files the way kubectl does (client-go's loading rules). */
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { ErrorCodes, QuiesceError, yamlDocumentToValue } from "@quiesce/core";
import { parseDocument } from "yaml";

/** Where a kubeconfig search looks, and what it reads the environment from. */
export interface KubeconfigSearch {
  /** An explicit file (`--kubeconfig`): it must exist. */
  path?: string | undefined;
  /** The environment (`KUBECONFIG`, `HOME`, `KUBERNETES_SERVICE_HOST/PORT`); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** The in-cluster service account files (client-go rest.InClusterConfig). */
export const SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

/** Code of the error thrown when no kubeconfig exists and the process does not run in a cluster. */
export const NO_KUBECONFIG = "QUIESCE_KUBE_NO_CONFIG";

/**
 * The files a search reads, in precedence order. client-go tools/clientcmd/loader.go
 * (NewDefaultClientConfigLoadingRules): an explicit path alone; else every entry of `$KUBECONFIG`
 * (split on the path list separator, empty entries and duplicates dropped); else
 * `$HOME/.kube/config`.
 */
export function kubeconfigCandidates(search: KubeconfigSearch = {}): string[] {
  const env = search.env ?? process.env;
  if (search.path !== undefined && search.path !== "") return [search.path];
  const list = env.KUBECONFIG ?? "";
  if (list !== "") return [...new Set(list.split(delimiter).filter((p) => p !== ""))];
  const home = env.HOME ?? env.USERPROFILE;
  return home ? [join(home, ".kube", "config")] : [];
}

/**
 * Loads a kubeconfig as kubectl does. client-go tools/clientcmd/loader.go (Load): an explicit
 * path must exist; files of `$KUBECONFIG` that do not exist are skipped; the others are merged —
 * for clusters, users and contexts the first file that names one wins, and so does the first
 * file that sets `current-context`. A file that exists but does not parse is an error. When no
 * file exists, in-cluster configuration is used if the process runs in a pod
 * (`KUBERNETES_SERVICE_HOST`/`PORT` and the service account token); otherwise the error says
 * where it looked (client-node would silently fall back to `http://localhost:8080`).
 */
export function loadKubeconfigFiles(search: KubeconfigSearch = {}): KubeConfig {
  const env = search.env ?? process.env;
  const candidates = kubeconfigCandidates(search);
  if (search.path !== undefined && search.path !== "" && !existsSync(search.path)) {
    throw new QuiesceError(NO_KUBECONFIG, `kubeconfig ${search.path} does not exist`, {
      details: { path: search.path },
    });
  }
  const loaded: KubeConfig[] = [];
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    const kc = new KubeConfig();
    try {
      // client-node's YAML reader has no alias budget and copies what aliases share: the file
      // passes the loaders' guard first, as a kubeconfig given as text does.
      yamlDocumentToValue(parseDocument(readFileSync(file, "utf8")), "kubeconfig");
      // loadFromFile also resolves the file's relative certificate paths against its directory.
      kc.loadFromFile(file);
    } catch (cause) {
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        `error loading kubeconfig ${file}: ${cause instanceof Error ? firstLine(cause.message) : String(cause)}`,
        { cause, details: { path: file } },
      );
    }
    loaded.push(kc);
  }
  if (loaded.length === 0) {
    if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && existsSync(SERVICE_ACCOUNT_TOKEN)) {
      const kc = new KubeConfig();
      kc.loadFromCluster();
      return kc;
    }
    const where = env.KUBECONFIG ? `$KUBECONFIG: ${candidates.join(", ")}` : candidates.join(", ") || "$HOME";
    throw new QuiesceError(
      NO_KUBECONFIG,
      `no kubeconfig found (looked in ${where}) and not running in a cluster; set KUBECONFIG or pass --kubeconfig`,
      { details: { looked: candidates } },
    );
  }
  return merge(loaded);
}

function merge(configs: KubeConfig[]): KubeConfig {
  if (configs.length === 1) return configs[0] as KubeConfig;
  const firstByName = <T extends { name: string }>(lists: T[][]): T[] => {
    const seen = new Map<string, T>();
    for (const list of lists) for (const item of list) if (!seen.has(item.name)) seen.set(item.name, item);
    return [...seen.values()];
  };
  const merged = new KubeConfig();
  merged.loadFromOptions({
    clusters: firstByName(configs.map((c) => c.clusters)),
    users: firstByName(configs.map((c) => c.users)),
    contexts: firstByName(configs.map((c) => c.contexts)),
    currentContext: configs.find((c) => c.currentContext)?.currentContext ?? "",
  });
  return merged;
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
