/** Conformance cases: selectPods (selectors in both syntaxes, phase, owner chain) and pickPod. */
import { pickPod } from "@quiesce/kube";
import { beforeAll, describe, expect, it } from "vitest";
import { expectCode } from "./expect-error.js";
import type { SuiteContext } from "./suite-context.js";

const names = (pods: { metadata?: { name?: string } }[]) => pods.map((p) => p.metadata?.name);

export function podCases(ctx: SuiteContext): void {
  describe("selectPods", () => {
    beforeAll(async () => {
      await Promise.all([
        ctx.runningPod("sel-a", { labels: { app: "web", tier: "front" } }),
        ctx.runningPod("sel-b", { labels: { app: "web", tier: "back", canary: "true" } }),
        ctx.runningPod("sel-c", { labels: { app: "db" } }),
      ]);
      await ctx.cluster.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "sel-pending", namespace: ctx.namespace, labels: { app: "web", tier: "front" } },
        spec: { containers: [{ name: "main", image: ctx.badImage }] },
      });
    }, 120_000);

    it("takes KubeStash's comma-and-space selectors and full Kubernetes syntax", async () => {
      const ns = ctx.namespace;
      expect(names(await ctx.cluster.selectPods(ns, { selector: "app=web, tier=front" }))).toEqual([
        "sel-a",
        "sel-pending",
      ]);
      expect(names(await ctx.cluster.selectPods(ns, { selector: "tier in (front, back), !canary" }))).toEqual(
        ["sel-a", "sel-pending"],
      );
      expect(
        names(await ctx.cluster.selectPods(ns, { selector: "app, app notin (db), tier!=front" })),
      ).toEqual(["sel-b"]);
      expect(names(await ctx.cluster.selectPods(ns, { selector: "canary" }))).toEqual(["sel-b"]);
      expect(names(await ctx.cluster.selectPods(ns, { selector: "app" }))).toHaveLength(4);
    });

    it("filters by phase and sorts by name", async () => {
      const running = await ctx.cluster.selectPods(ctx.namespace, { selector: "app=web", phase: "Running" });
      expect(names(running)).toEqual(["sel-a", "sel-b"]);
      const pending = await ctx.cluster.selectPods(ctx.namespace, { selector: "app=web", phase: "Pending" });
      expect(names(pending)).toEqual(["sel-pending"]);
    });

    it("rejects a malformed selector before asking the server", async () => {
      const err = await expectCode(
        ctx.cluster.selectPods(ctx.namespace, { selector: "app in (web" }),
        "QUIESCE_VALIDATION",
      );
      expect(err.message).toContain("app in (web");
    });

    it("picks one pod deterministically: Ready, then Running, then by name", async () => {
      const pods = await ctx.cluster.selectPods(ctx.namespace, { selector: "app=web" });
      expect(pickPod(pods)?.metadata?.name).toBe("sel-a");
      expect(pickPod([...pods].reverse())?.metadata?.name).toBe("sel-a");
    });

    it("filters by owner through the controller chain", async () => {
      const ns = ctx.namespace;
      await ctx.cluster.create({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "owner-web", namespace: ns },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: "owner-web" } },
          template: {
            metadata: { labels: { app: "owner-web", role: "member" } },
            spec: {
              terminationGracePeriodSeconds: 0,
              containers: [{ name: "main", image: ctx.image, command: ["sleep", "3600"] }],
            },
          },
        },
      });
      await ctx.cluster.create({
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "owner-db", namespace: ns },
        spec: {
          replicas: 1,
          serviceName: "owner-db",
          selector: { matchLabels: { app: "owner-db" } },
          template: {
            metadata: { labels: { app: "owner-db", role: "member" } },
            spec: {
              terminationGracePeriodSeconds: 0,
              containers: [{ name: "main", image: ctx.image, command: ["sleep", "3600"] }],
            },
          },
        },
      });
      await ctx.cluster.waitFor(
        { group: "apps", version: "v1", resource: "deployments", namespace: ns, name: "owner-web" },
        (d) => (d?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 2,
        { timeoutMs: 120_000 },
      );
      await ctx.cluster.waitFor(
        { group: "apps", version: "v1", resource: "statefulsets", namespace: ns, name: "owner-db" },
        (d) => (d?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 1,
        { timeoutMs: 120_000 },
      );
      const web = await ctx.cluster.selectPods(ns, {
        selector: "role=member",
        owner: { kind: "Deployment", name: "owner-web" },
      });
      expect(web).toHaveLength(2);
      expect(web.every((p) => p.metadata?.labels?.app === "owner-web")).toBe(true);
      const db = await ctx.cluster.selectPods(ns, { owner: { kind: "StatefulSet", name: "owner-db" } });
      expect(names(db)).toEqual(["owner-db-0"]);
      expect(await ctx.cluster.selectPods(ns, { owner: { kind: "Deployment", name: "owner-db" } })).toEqual(
        [],
      );
      expect(await ctx.cluster.selectPods(ns, { owner: { kind: "DaemonSet", name: "owner-web" } })).toEqual(
        [],
      );
    });
  });
}
