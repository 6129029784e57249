/** Local-cluster helpers for executor tests: start a fast cluster and wait for pods to run. */
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";

/** A local cluster with no start/ready/termination delays (scripted runtime). */
export function fastCluster(): Promise<LocalCluster> {
  return startLocalCluster({ podStartDelayMs: 0, readyDelayMs: 0, terminationDelayMs: 0 });
}

/** Resolves once `count` pods matching `selector` in `namespace` are Running. */
export async function waitForRunningPods(
  lc: LocalCluster,
  namespace: string,
  selector: string,
  count: number,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const pods = await lc.cluster.selectPods(namespace, { selector });
    if (pods.filter((p) => p.status?.phase === "Running").length >= count) return;
    if (Date.now() > deadline)
      throw new Error(`pods ${selector} did not reach Running (${pods.length} seen)`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A Deployment manifest with `replicas` pods labelled `labels`, containers given as name → ports. */
export function deployment(
  name: string,
  replicas: number,
  labels: Record<string, string>,
  containers: Array<{
    name: string;
    command?: string[];
    ports?: Array<{ name: string; containerPort: number }>;
  }> = [{ name: "main" }],
): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default" },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: containers.map((c) => ({ image: `${name}:1`, ...c })) },
      },
    },
  };
}
