/** Shared set-up of the integration tests: a local cluster with the built-ins on an isolated registry. */
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { registerBuiltins } from "../builtins/index.js";
import { createRegistry, type FunctionRegistry } from "../registry.js";

export interface TestEnv {
  lc: LocalCluster;
  registry: FunctionRegistry;
}

/** Starts a fast local cluster (no start/ready/termination delays) and a registry with the built-ins. */
export async function startEnv(namespaces: string[] = []): Promise<TestEnv> {
  const lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces,
  });
  const registry = createRegistry();
  registerBuiltins(registry);
  return { lc, registry };
}

/** A StatefulSet with `replicas` pods of two containers (db, sidecar) and a `data` PVC each. */
export function statefulSet(
  namespace: string,
  name: string,
  replicas: number,
  labels: Record<string, string> = {},
): string {
  return `
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: ${JSON.stringify({ app: name, ...labels })}
spec:
  replicas: ${replicas}
  serviceName: ${name}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
      - { name: db, image: example/db:1, volumeMounts: [{ name: data, mountPath: /var/lib/db }] }
      - { name: sidecar, image: example/tools:1 }
  volumeClaimTemplates:
  - metadata: { name: data }
    spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
`;
}

/** Waits until a StatefulSet or Deployment has `n` ready replicas; returns its Running pods' names. */
export async function waitReady(
  lc: LocalCluster,
  kind: "statefulsets" | "deployments",
  namespace: string,
  name: string,
  n: number,
): Promise<string[]> {
  await lc.cluster.waitFor(
    { group: "apps", version: "v1", resource: kind, namespace, name },
    (o) => ((o?.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0) === n,
    { timeoutMs: 10_000 },
  );
  const pods = await lc.cluster.selectPods(namespace, { selector: `app=${name}`, phase: "Running" });
  return pods.map((p) => p.metadata?.name ?? "");
}

/** A Blueprint with one action made of the given phases. */
export function blueprintOf(phases: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: "cr.kanister.io/v1alpha1",
    kind: "Blueprint",
    metadata: { name: "test" },
    actions: { run: { phases, ...extra } },
  };
}
