/**
 * The Cluster port's conformance suite: every implementation (the client-node adapter on the
 * embedded local cluster, the same adapter on a real cluster) runs these cases and must behave the
 * same way. Modelled on hono's shared router suite: `describeClusterConformance(name, setup)`.
 */
import type { V1Pod } from "@quiesce/kube";
import { afterAll, beforeAll, describe } from "vitest";
import { execCases } from "./cases/exec-cases.js";
import { objectCases } from "./cases/object-cases.js";
import { podCases } from "./cases/pod-cases.js";
import { runCases } from "./cases/run-cases.js";
import type { ConformanceSetup, SuiteContext } from "./cases/suite-context.js";
import { workloadCases } from "./cases/workload-cases.js";
import { scriptCommands } from "./scripts.js";

export type { ConformanceSetup, SuiteContext } from "./cases/suite-context.js";

let counter = 0;

/**
 * Declares the conformance suite for one Cluster implementation.
 *
 * @example
 * ```ts
 * describeClusterConformance("local cluster", async () => {
 *   const lc = await startLocalCluster();
 *   return { cluster: lc.cluster, apply: (o) => lc.apply(o), runtime: lc.runtime, cleanup: () => lc.stop() };
 * });
 * ```
 */
export function describeClusterConformance(name: string, setup: () => Promise<ConformanceSetup>): void {
  describe(`Cluster conformance: ${name}`, () => {
    let env: ConformanceSetup | undefined;
    let undoScripts: (() => void) | undefined;
    const namespace = `conformance-${process.pid}-${Date.now().toString(36)}-${counter++}`;
    const ctx: SuiteContext = {
      get cluster() {
        if (!env) throw new Error("conformance setup did not run");
        return env.cluster;
      },
      namespace,
      get image() {
        return env?.image ?? "busybox:1.36";
      },
      get badImage() {
        return env?.badImage ?? "invalid.example/quiesce-conformance:does-not-exist";
      },
      get scripted() {
        return env?.runtime !== undefined;
      },
      apply: (objects) => {
        if (!env) throw new Error("conformance setup did not run");
        return env.apply(objects);
      },
      async runningPod(podName, options = {}) {
        const containers = options.containers ?? ["main"];
        await ctx.cluster.create({
          apiVersion: "v1",
          kind: "Pod",
          metadata: {
            name: podName,
            namespace,
            labels: options.labels ?? {},
            annotations: options.annotations ?? {},
          },
          spec: {
            terminationGracePeriodSeconds: 0,
            containers: containers.map((c) => ({ name: c, image: ctx.image, command: ["sleep", "3600"] })),
          },
        });
        const ready = await ctx.cluster.waitFor(
          { version: "v1", resource: "pods", namespace, name: podName },
          (p) =>
            (p?.status as V1Pod["status"])?.conditions?.some(
              (c) => c.type === "Ready" && c.status === "True",
            ) === true,
          { timeoutMs: 120_000 },
        );
        return ready as unknown as V1Pod;
      },
    };

    beforeAll(async () => {
      env = await setup();
      if (env.runtime) undoScripts = scriptCommands(env.runtime);
      await env.cluster.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
    }, 120_000);

    afterAll(async () => {
      if (!env) return;
      undoScripts?.();
      try {
        await env.cluster.delete({ version: "v1", resource: "namespaces", name: namespace });
      } catch {
        // the namespace may already be gone with the cluster
      }
      await env.cleanup();
    }, 120_000);

    objectCases(ctx);
    podCases(ctx);
    execCases(ctx);
    workloadCases(ctx);
    runCases(ctx);
  });
}
