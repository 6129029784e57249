import { afterEach, describe, expect, it } from "vitest";
import type { StoredObject } from "../api/seams.js";
import { container, type Harness, phase, podReady, startHarness } from "./test-support/harness.js";
import { isControlledBy } from "./util.js";

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

function template(labels: Record<string, string>, image = "nginx:1.27", extra: Record<string, unknown> = {}) {
  return { metadata: { labels }, spec: { containers: [container("app", image)], ...extra } };
}

const status = (o: StoredObject | undefined) => (o?.status ?? {}) as Record<string, unknown>;

describe("Deployment → ReplicaSet → Pods", () => {
  it("rolls out Ready pods, then replaces them with a new ReplicaSet on a template change", async () => {
    h = startHarness();
    h.store.create(h.types.deployments, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "default" },
      spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: template({ app: "web" }) },
    });
    const ready = await h.waitFor(
      h.types.deployments,
      "default",
      "web",
      (d) => status(d).readyReplicas === 2 && status(d).updatedReplicas === 2,
    );
    expect(ready?.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("1");
    expect(status(ready).conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "Available", status: "True" }),
        expect.objectContaining({ type: "Progressing", status: "True" }),
      ]),
    );
    expect(status(ready).observedGeneration).toBe(ready?.metadata.generation);
    const [rs1] = h.store.list(h.types.replicasets, "default").items;
    const hash1 = rs1?.metadata.labels?.["pod-template-hash"];
    expect(rs1?.metadata.name).toBe(`web-${hash1}`);
    const pods1 = h.store.list(h.types.pods, "default").items;
    expect(pods1).toHaveLength(2);
    for (const p of pods1) {
      expect(p.metadata.name).toMatch(new RegExp(`^web-${hash1}-[a-z0-9]{5}$`));
      expect(p.metadata.labels).toEqual({ app: "web", "pod-template-hash": hash1 });
      expect(isControlledBy(p, rs1?.metadata.uid ?? "")).toBe(true);
    }

    let minReady = Number.POSITIVE_INFINITY;
    const unwatch = h.store.watch(h.types.deployments, "default", h.store.currentResourceVersion(), (e) => {
      minReady = Math.min(minReady, Number(status(e.object).readyReplicas ?? 0));
    });
    h.store.mutate(h.types.deployments, "default", "web", (d) => {
      (d.spec as { template: unknown }).template = template({ app: "web" }, "nginx:1.28");
    });
    const rolled = await h.waitFor(
      h.types.deployments,
      "default",
      "web",
      (d) =>
        d?.metadata.annotations?.["deployment.kubernetes.io/revision"] === "2" &&
        status(d).readyReplicas === 2 &&
        status(d).updatedReplicas === 2 &&
        status(d).replicas === 2,
    );
    unwatch();
    expect(status(rolled).updatedReplicas).toBe(2);
    // RollingUpdate: the old pods kept serving until the new ones were available.
    expect(minReady).toBe(2);
    const sets = h.store.list(h.types.replicasets, "default").items;
    expect(sets).toHaveLength(2);
    const old = sets.find((s) => s.metadata.uid === rs1?.metadata.uid);
    expect(((old as StoredObject).spec as { replicas: number }).replicas).toBe(0);
    const pods2 = await h.waitForList(
      h.types.pods,
      "default",
      (items) => items.length === 2 && items.every((p) => p.metadata.labels?.["pod-template-hash"] !== hash1),
    );
    expect(pods2.every(podReady)).toBe(true);
  });

  it("scales a ReplicaSet down by deleting the newest pods first", async () => {
    h = startHarness();
    h.store.create(h.types.replicasets, {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: "rs", namespace: "default" },
      spec: { replicas: 1, selector: { matchLabels: { app: "rs" } }, template: template({ app: "rs" }) },
    });
    const [first] = await h.waitForList(
      h.types.pods,
      "default",
      (items) => items.length === 1 && items.every(podReady),
    );
    h.store.mutate(h.types.replicasets, "default", "rs", (rs) => {
      (rs.spec as { replicas: number }).replicas = 3;
    });
    await h.waitFor(h.types.replicasets, "default", "rs", (rs) => status(rs).readyReplicas === 3);
    h.store.mutate(h.types.replicasets, "default", "rs", (rs) => {
      (rs.spec as { replicas: number }).replicas = 1;
    });
    const left = await h.waitForList(h.types.pods, "default", (items) => items.length === 1);
    expect(left[0]?.metadata.uid).toBe(first?.metadata.uid);
    await h.waitFor(
      h.types.replicasets,
      "default",
      "rs",
      (rs) => status(rs).replicas === 1 && status(rs).availableReplicas === 1,
    );
  });

  it("deletes a Deployment's ReplicaSets and pods with it", async () => {
    h = startHarness();
    h.store.create(h.types.deployments, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "gone", namespace: "default" },
      spec: { replicas: 1, selector: { matchLabels: { app: "gone" } }, template: template({ app: "gone" }) },
    });
    await h.waitFor(h.types.deployments, "default", "gone", (d) => status(d).readyReplicas === 1);
    h.store.delete(h.types.deployments, "default", "gone");
    await h.waitForList(h.types.pods, "default", (items) => items.length === 0);
    expect(h.store.list(h.types.replicasets, "default").items).toEqual([]);
  });
});

describe("StatefulSet", () => {
  it("creates pods in order, each after the previous is Ready, with PVCs per claim template", async () => {
    h = startHarness();
    const order: string[] = [];
    const unwatch = h.store.watch(h.types.pods, "default", h.store.currentResourceVersion(), (e) => {
      if (e.type === "ADDED") order.push(`add ${e.object.metadata.name}`);
      if (e.type === "MODIFIED" && podReady(e.object) && !order.includes(`ready ${e.object.metadata.name}`))
        order.push(`ready ${e.object.metadata.name}`);
    });
    h.store.create(h.types.statefulsets, {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "db", namespace: "default" },
      spec: {
        replicas: 3,
        serviceName: "db",
        selector: { matchLabels: { app: "db" } },
        template: template({ app: "db" }, "postgres:16", {}),
        volumeClaimTemplates: [
          {
            metadata: { name: "data" },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
          },
        ],
      },
    });
    const done = await h.waitFor(h.types.statefulsets, "default", "db", (s) => status(s).readyReplicas === 3);
    unwatch();
    expect(order).toEqual(["add db-0", "ready db-0", "add db-1", "ready db-1", "add db-2", "ready db-2"]);
    expect(status(done)).toMatchObject({
      replicas: 3,
      currentReplicas: 3,
      observedGeneration: done?.metadata.generation,
    });
    const claims = await h.waitForList(
      h.types.pvcs,
      "default",
      (items) => items.length === 3 && items.every((c) => status(c).phase === "Bound"),
    );
    expect(claims.map((c) => c.metadata.name).sort()).toEqual(["data-db-0", "data-db-1", "data-db-2"]);
    const db1 = h.store.get(h.types.pods, "default", "db-1");
    expect(((db1 as StoredObject).spec as { volumes: unknown[] }).volumes).toEqual([
      { name: "data", persistentVolumeClaim: { claimName: "data-db-1" } },
    ]);

    const deletions: string[] = [];
    const unwatch2 = h.store.watch(h.types.pods, "default", h.store.currentResourceVersion(), (e) => {
      if (e.type === "DELETED") deletions.push(e.object.metadata.name);
    });
    h.store.mutate(h.types.statefulsets, "default", "db", (s) => {
      (s.spec as { replicas: number }).replicas = 1;
    });
    await h.waitFor(
      h.types.statefulsets,
      "default",
      "db",
      (s) => status(s).replicas === 1 && status(s).readyReplicas === 1,
    );
    unwatch2();
    expect(deletions).toEqual(["db-2", "db-1"]);
    expect(h.store.list(h.types.pvcs, "default").items).toHaveLength(3);
  });
});

describe("Job", () => {
  it("completes when its pod succeeds, with job-name labels and times", async () => {
    h = startHarness();
    h.runtime.onRun({ image: "busybox" }, () => ({ stdout: "ok\n" }));
    h.store.create(h.types.jobs, {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "once", namespace: "default" },
      spec: { template: { spec: { restartPolicy: "Never", containers: [container("main", "busybox")] } } },
    });
    const done = await h.waitFor(h.types.jobs, "default", "once", (j) =>
      ((status(j).conditions ?? []) as { type: string }[]).some((c) => c.type === "Complete"),
    );
    expect(status(done)).toMatchObject({
      succeeded: 1,
      failed: 0,
      active: 0,
      startTime: expect.any(String),
      completionTime: expect.any(String),
    });
    const [p] = h.store.list(h.types.pods, "default").items;
    expect(p?.metadata.labels).toMatchObject({ "job-name": "once", "batch.kubernetes.io/job-name": "once" });
    expect(phase(p)).toBe("Succeeded");
  });

  it("retries failed pods up to backoffLimit, then fails with BackoffLimitExceeded", async () => {
    h = startHarness();
    let attempts = 0;
    h.runtime.onRun({ container: "main" }, () => {
      attempts++;
      return { exitCode: 2 };
    });
    h.store.create(h.types.jobs, {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "flaky", namespace: "default" },
      spec: {
        backoffLimit: 2,
        template: { spec: { restartPolicy: "Never", containers: [container("main", "busybox")] } },
      },
    });
    const failed = await h.waitFor(h.types.jobs, "default", "flaky", (j) =>
      ((status(j).conditions ?? []) as { type: string }[]).some((c) => c.type === "Failed"),
    );
    expect(attempts).toBe(3);
    expect(status(failed)).toMatchObject({ failed: 3, succeeded: 0, active: 0 });
    expect(status(failed).conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "Failed", status: "True", reason: "BackoffLimitExceeded" }),
      ]),
    );
  });
});

describe("Job deadlines and Deployment Recreate", () => {
  it("fails a Job that runs past activeDeadlineSeconds and stops its pod", async () => {
    h = startHarness();
    h.runtime.onRun(
      { container: "main" },
      (ctx) =>
        new Promise((resolve) => ctx.signal.addEventListener("abort", () => resolve({ exitCode: 137 }))),
    );
    h.store.create(h.types.jobs, {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "slow", namespace: "default" },
      spec: {
        activeDeadlineSeconds: 1,
        template: { spec: { restartPolicy: "Never", containers: [container("main")] } },
      },
    });
    const failed = await h.waitFor(h.types.jobs, "default", "slow", (j) =>
      ((status(j).conditions ?? []) as { type: string }[]).some((c) => c.type === "Failed"),
    );
    expect(status(failed).conditions).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: "Failed", reason: "DeadlineExceeded" })]),
    );
    await h.waitForList(h.types.pods, "default", (items) => items.length === 0);
  });

  it("retires the old ReplicaSet at once under the Recreate strategy", async () => {
    h = startHarness();
    const spec = (image: string) => ({
      replicas: 1,
      strategy: { type: "Recreate" },
      selector: { matchLabels: { app: "r" } },
      template: template({ app: "r" }, image),
    });
    h.store.create(h.types.deployments, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "r", namespace: "default" },
      spec: spec("a:1"),
    });
    await h.waitFor(h.types.deployments, "default", "r", (d) => status(d).readyReplicas === 1);
    const [oldPod] = h.store.list(h.types.pods, "default").items;
    const order: string[] = [];
    const unwatch = h.store.watch(h.types.pods, "default", h.store.currentResourceVersion(), (e) => {
      const name = e.object.metadata.name;
      if (name === oldPod?.metadata.name && (e.type === "DELETED" || e.object.metadata.deletionTimestamp)) {
        if (!order.includes("old stopping")) order.push("old stopping");
      } else if (name !== oldPod?.metadata.name && podReady(e.object) && !order.includes("new ready")) {
        order.push("new ready");
      }
    });
    h.store.mutate(h.types.deployments, "default", "r", (d) => {
      d.spec = spec("a:2");
    });
    await h.waitFor(
      h.types.deployments,
      "default",
      "r",
      (d) =>
        d?.metadata.annotations?.["deployment.kubernetes.io/revision"] === "2" &&
        status(d).updatedReplicas === 1 &&
        status(d).readyReplicas === 1 &&
        status(d).replicas === 1,
    );
    unwatch();
    expect(order).toEqual(["old stopping", "new ready"]);
  });
});

describe("StatefulSet updates and Job parallelism", () => {
  it("replaces StatefulSet pods from the highest ordinal down when the template changes", async () => {
    h = startHarness();
    const spec = (image: string) => ({
      replicas: 3,
      serviceName: "kv",
      selector: { matchLabels: { app: "kv" } },
      template: template({ app: "kv" }, image),
    });
    h.store.create(h.types.statefulsets, {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "kv", namespace: "default" },
      spec: spec("kv:1"),
    });
    await h.waitFor(h.types.statefulsets, "default", "kv", (s) => status(s).readyReplicas === 3);
    const deleted: string[] = [];
    const unwatch = h.store.watch(h.types.pods, "default", h.store.currentResourceVersion(), (e) => {
      if (e.type === "DELETED") deleted.push(e.object.metadata.name);
    });
    h.store.mutate(h.types.statefulsets, "default", "kv", (s) => {
      s.spec = spec("kv:2");
    });
    const pods = await h.waitForList(
      h.types.pods,
      "default",
      (items) =>
        items.length === 3 &&
        items.every(
          (p) =>
            podReady(p) && (p.spec as { containers: { image: string }[] }).containers[0]?.image === "kv:2",
        ),
    );
    unwatch();
    expect(deleted).toEqual(["kv-2", "kv-1", "kv-0"]);
    expect(new Set(pods.map((p) => p.metadata.labels?.["controller-revision-hash"])).size).toBe(1);
  });

  it("runs a Job to its completions with at most `parallelism` pods at a time", async () => {
    h = startHarness();
    let running = 0;
    let most = 0;
    let arrived = () => {};
    h.runtime.onRun({ container: "main" }, async () => {
      running++;
      most = Math.max(most, running);
      arrived();
      // Wait (briefly) for a partner, so that pods allowed to overlap do overlap.
      if (running < 2) {
        await new Promise<void>((resolve) => {
          arrived = resolve;
          setTimeout(resolve, 500);
        });
      }
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return { exitCode: 0 };
    });
    h.store.create(h.types.jobs, {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "batch", namespace: "default" },
      spec: {
        completions: 4,
        parallelism: 2,
        template: { spec: { restartPolicy: "Never", containers: [container("main")] } },
      },
    });
    const done = await h.waitFor(h.types.jobs, "default", "batch", (j) =>
      ((status(j).conditions ?? []) as { type: string }[]).some((c) => c.type === "Complete"),
    );
    expect(status(done)).toMatchObject({ succeeded: 4, active: 0 });
    expect(most).toBe(2);
  });
});

describe("DaemonSet", () => {
  it("runs one pod on the node and replaces it when the template changes", async () => {
    h = startHarness();
    const daemonsets = h.store.typeFor("apps", "v1", "daemonsets");
    if (!daemonsets) throw new Error("daemonsets not served");
    h.store.create(daemonsets, {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "agent", namespace: "default" },
      spec: { selector: { matchLabels: { app: "agent" } }, template: template({ app: "agent" }, "agent:1") },
    });
    await h.waitFor(daemonsets, "default", "agent", (d) => status(d).numberReady === 1);
    const [first] = h.store.list(h.types.pods, "default").items;
    expect(
      first && isControlledBy(first, h.store.get(daemonsets, "default", "agent")?.metadata.uid ?? ""),
    ).toBe(true);
    h.store.mutate(daemonsets, "default", "agent", (d) => {
      (d.spec as { template: unknown }).template = template({ app: "agent" }, "agent:2");
    });
    const [second] = await h.waitForList(
      h.types.pods,
      "default",
      (items) => items.length === 1 && items[0]?.metadata.uid !== first?.metadata.uid && podReady(items[0]),
    );
    expect(second?.spec).toMatchObject({ containers: [{ image: "agent:2" }] });
  });
});
