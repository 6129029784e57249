/** Conformance cases: workloadFacts and watch-driven scaleWorkload in both directions. */
import type { V1Pod } from "@quiesce/kube";
import { describe, expect, it } from "vitest";
import { expectCode } from "./expect-error.js";
import type { SuiteContext } from "./suite-context.js";

const ready = (p: V1Pod) =>
  p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;

export function workloadCases(ctx: SuiteContext): void {
  describe("workloads", () => {
    it("describes a StatefulSet: Running pods, containers and PVC mounts", async () => {
      const ns = ctx.namespace;
      await ctx.cluster.create({
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "facts-db", namespace: ns },
        spec: {
          replicas: 2,
          serviceName: "facts-db",
          selector: { matchLabels: { app: "facts-db" } },
          template: {
            metadata: { labels: { app: "facts-db" } },
            spec: {
              terminationGracePeriodSeconds: 0,
              containers: [
                {
                  name: "db",
                  image: ctx.image,
                  command: ["sleep", "3600"],
                  volumeMounts: [{ name: "data", mountPath: "/var/lib/db" }],
                },
                { name: "agent", image: ctx.image, command: ["sleep", "3600"] },
              ],
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: "data" },
              spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Mi" } } },
            },
          ],
        },
      });
      const ref = { kind: "StatefulSet" as const, namespace: ns, name: "facts-db" };
      await ctx.cluster.waitFor(
        { group: "apps", version: "v1", resource: "statefulsets", namespace: ns, name: "facts-db" },
        (s) => (s?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 2,
        { timeoutMs: 120_000 },
      );
      const facts = await ctx.cluster.workloadFacts(ref);
      expect(facts).toMatchObject({
        kind: "StatefulSet",
        name: "facts-db",
        namespace: ns,
        replicas: 2,
        pods: ["facts-db-0", "facts-db-1"],
        // From status.containerStatuses, which the kubelet sorts by name (not spec order).
        containers: [
          ["agent", "db"],
          ["agent", "db"],
        ],
        persistentVolumeClaims: {
          "facts-db-0": { "data-facts-db-0": "/var/lib/db" },
          "facts-db-1": { "data-facts-db-1": "/var/lib/db" },
        },
      });
      expect(facts.object.metadata?.name).toBe("facts-db");
    });

    it("describes a Deployment by the pods of its current ReplicaSet", async () => {
      const ns = ctx.namespace;
      const deployment = {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "facts-web", namespace: ns },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: "facts-web" } },
          template: {
            metadata: { labels: { app: "facts-web" }, annotations: { rev: "1" } },
            spec: {
              terminationGracePeriodSeconds: 0,
              containers: [{ name: "web", image: ctx.image, command: ["sleep", "3600"] }],
            },
          },
        },
      };
      await ctx.cluster.create(deployment);
      const depRef = {
        group: "apps",
        version: "v1",
        resource: "deployments",
        namespace: ns,
        name: "facts-web",
      };
      const rolledOut = (d: { metadata?: { generation?: number }; status?: unknown } | undefined) => {
        const s = d?.status as
          | {
              observedGeneration?: number;
              updatedReplicas?: number;
              readyReplicas?: number;
              replicas?: number;
            }
          | undefined;
        return (
          s?.observedGeneration === d?.metadata?.generation &&
          s?.updatedReplicas === 2 &&
          s?.readyReplicas === 2 &&
          s?.replicas === 2
        );
      };
      await ctx.cluster.waitFor(depRef, rolledOut, { timeoutMs: 120_000 });
      const before = await ctx.cluster.workloadFacts({
        kind: "Deployment",
        namespace: ns,
        name: "facts-web",
      });
      expect(before.pods).toHaveLength(2);
      // A new template rolls out a new ReplicaSet: facts follow it, not the old pods.
      await ctx.cluster.patch(
        depRef,
        { spec: { template: { metadata: { annotations: { rev: "2" } } } } },
        "merge",
      );
      await ctx.cluster.waitFor(depRef, rolledOut, { timeoutMs: 120_000 });
      const after = await ctx.cluster.workloadFacts({ kind: "Deployment", namespace: ns, name: "facts-web" });
      expect(after.pods).toHaveLength(2);
      expect(after.pods.some((p) => before.pods.includes(p))).toBe(false);
      expect(after.containers).toEqual([["web"], ["web"]]);
      // Kanister's fetchDeploymentParams leaves out pods that mount no claim.
      expect(after.persistentVolumeClaims).toEqual({});
    });

    it("scales up (waiting for Ready pods) and down (waiting for pods to go), returning the original count", async () => {
      const ns = ctx.namespace;
      await ctx.cluster.create({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "scaled", namespace: ns },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: "scaled" } },
          template: {
            metadata: { labels: { app: "scaled" } },
            spec: {
              terminationGracePeriodSeconds: 0,
              containers: [{ name: "main", image: ctx.image, command: ["sleep", "3600"] }],
            },
          },
        },
      });
      const ref = { kind: "Deployment" as const, namespace: ns, name: "scaled" };
      expect(await ctx.cluster.scaleWorkload(ref, 3, { timeoutMs: 120_000 })).toEqual({
        originalReplicas: 1,
      });
      const up = await ctx.cluster.selectPods(ns, { selector: "app=scaled" });
      expect(up.filter((p) => ready(p) && !p.metadata?.deletionTimestamp)).toHaveLength(3);
      expect(await ctx.cluster.scaleWorkload(ref, 0, { timeoutMs: 120_000 })).toEqual({
        originalReplicas: 3,
      });
      expect(await ctx.cluster.selectPods(ns, { selector: "app=scaled" })).toEqual([]);
      expect(await ctx.cluster.scaleWorkload(ref, 2, { waitForReady: false })).toEqual({
        originalReplicas: 0,
      });
      const dep = await ctx.cluster.get({
        group: "apps",
        version: "v1",
        resource: "deployments",
        namespace: ns,
        name: "scaled",
      });
      expect((dep.spec as { replicas: number }).replicas).toBe(2);
    });

    it("scales a StatefulSet down to zero and back", async () => {
      const ns = ctx.namespace;
      await ctx.cluster.create({
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "scaled-db", namespace: ns },
        spec: {
          replicas: 2,
          serviceName: "scaled-db",
          selector: { matchLabels: { app: "scaled-db" } },
          template: {
            metadata: { labels: { app: "scaled-db" } },
            spec: {
              terminationGracePeriodSeconds: 0,
              containers: [{ name: "main", image: ctx.image, command: ["sleep", "3600"] }],
            },
          },
        },
      });
      const ref = { kind: "StatefulSet" as const, namespace: ns, name: "scaled-db" };
      expect(await ctx.cluster.scaleWorkload(ref, 2, { timeoutMs: 120_000 })).toEqual({
        originalReplicas: 2,
      });
      expect(await ctx.cluster.scaleWorkload(ref, 0, { timeoutMs: 120_000 })).toEqual({
        originalReplicas: 2,
      });
      expect(await ctx.cluster.selectPods(ns, { selector: "app=scaled-db" })).toEqual([]);
      expect(await ctx.cluster.scaleWorkload(ref, 1, { timeoutMs: 120_000 })).toEqual({
        originalReplicas: 0,
      });
      const pods = await ctx.cluster.selectPods(ns, { selector: "app=scaled-db" });
      expect(pods.map((p) => [p.metadata?.name, ready(p)])).toEqual([["scaled-db-0", true]]);
    });

    it("reports a missing workload and bad replica counts", async () => {
      await expectCode(
        ctx.cluster.scaleWorkload({ kind: "Deployment", namespace: ctx.namespace, name: "absent" }, 1),
        "QUIESCE_KUBE_NOT_FOUND",
      );
      await expectCode(
        ctx.cluster.workloadFacts({ kind: "StatefulSet", namespace: ctx.namespace, name: "absent" }),
        "QUIESCE_KUBE_NOT_FOUND",
      );
      await expectCode(
        ctx.cluster.scaleWorkload({ kind: "Deployment", namespace: ctx.namespace, name: "scaled" }, -1),
        "QUIESCE_KUBE_INVALID",
      );
    });
  });
}
