import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { KubeObject, OwnerReference } from "./cluster.js";
import { assertRunning, resolveContainer } from "./exec.js";
import { memoizeLoader, ownedBy } from "./owner-chain.js";
import { pickPod } from "./pick-pod.js";
import { exitCodeOf, stuckReason } from "./pod-status.js";
import { pvcMounts } from "./workloads.js";

function pod(name: string, extra: { phase?: string; ready?: boolean; deleting?: boolean } = {}): V1Pod {
  return {
    metadata: { name, namespace: "ns", ...(extra.deleting ? { deletionTimestamp: new Date() } : {}) },
    status: {
      phase: extra.phase ?? "Running",
      conditions: [{ type: "Ready", status: extra.ready ? "True" : "False" }],
    },
  };
}

describe("pickPod", () => {
  it("prefers Ready, then Running, then the name", () => {
    expect(pickPod([pod("c", { ready: true }), pod("a"), pod("b", { ready: true })])?.metadata?.name).toBe(
      "b",
    );
    expect(pickPod([pod("b"), pod("a", { phase: "Pending" })])?.metadata?.name).toBe("b");
    expect(pickPod([pod("b", { phase: "Pending" }), pod("a", { phase: "Pending" })])?.metadata?.name).toBe(
      "a",
    );
    expect(pickPod([pod("a", { ready: true, deleting: true }), pod("z")])?.metadata?.name).toBe("z");
    expect(pickPod([])).toBeUndefined();
  });

  it("does not depend on the input order", () => {
    const pods = [
      pod("x", { ready: true }),
      pod("m"),
      pod("a", { phase: "Pending" }),
      pod("k", { ready: true }),
    ];
    expect(pickPod(pods)?.metadata?.name).toBe("k");
    expect(pickPod([...pods].reverse())?.metadata?.name).toBe("k");
  });
});

function owned(name: string, kind: string, owner: string, uid = `${owner}-uid`): KubeObject {
  const ref: OwnerReference = { apiVersion: "apps/v1", kind, name: owner, uid, controller: true };
  return { metadata: { name, namespace: "ns", uid: `${name}-uid`, ownerReferences: [ref] } };
}

describe("owner chain", () => {
  const store = new Map<string, KubeObject>([
    ["ReplicaSet/web-abc", owned("web-abc", "Deployment", "web")],
    ["Job/nightly-1", owned("nightly-1", "CronJob", "nightly")],
  ]);
  const reads: string[] = [];
  const load = async (_ns: string, ref: OwnerReference) => {
    reads.push(`${ref.kind}/${ref.name}`);
    return store.get(`${ref.kind}/${ref.name}`);
  };

  it("follows Pod → ReplicaSet → Deployment and Pod → Job → CronJob", async () => {
    const p = owned("web-abc-1", "ReplicaSet", "web-abc");
    expect(await ownedBy(p, { kind: "Deployment", name: "web" }, load)).toBe(true);
    expect(await ownedBy(p, { kind: "deployment", name: "web" }, load)).toBe(true);
    expect(await ownedBy(p, { kind: "ReplicaSet", name: "web-abc" }, load)).toBe(true);
    expect(await ownedBy(p, { kind: "Deployment", name: "api" }, load)).toBe(false);
    const j = owned("nightly-1-x", "Job", "nightly-1", "nightly-1-uid");
    expect(await ownedBy(j, { kind: "CronJob", name: "nightly" }, load)).toBe(true);
    expect(await ownedBy(owned("db-0", "StatefulSet", "db"), { kind: "StatefulSet", name: "db" }, load)).toBe(
      true,
    );
    expect(await ownedBy({ metadata: { name: "bare" } }, { kind: "Deployment", name: "web" }, load)).toBe(
      false,
    );
  });

  it("does not follow a recreated owner with another uid", async () => {
    const p = owned("web-abc-2", "ReplicaSet", "web-abc", "old-uid");
    expect(await ownedBy(p, { kind: "Deployment", name: "web" }, load)).toBe(false);
  });

  it("reads each owner once per call when memoised", async () => {
    reads.length = 0;
    const memo = memoizeLoader(load);
    await Promise.all(
      ["1", "2", "3"].map((n) =>
        ownedBy(owned(`web-abc-${n}`, "ReplicaSet", "web-abc"), { kind: "Deployment", name: "nope" }, memo),
      ),
    );
    expect(reads).toEqual(["ReplicaSet/web-abc", "Deployment/web"]);
  });
});

describe("exec target checks", () => {
  const base: V1Pod = {
    metadata: { name: "p", namespace: "ns", annotations: {} },
    spec: { containers: [{ name: "app" }, { name: "sidecar" }] },
    status: { phase: "Running" },
  };

  it("defaults to the annotated container, else the first", () => {
    expect(resolveContainer(base)).toBe("app");
    const annotated = {
      ...base,
      metadata: { ...base.metadata, annotations: { "kubectl.kubernetes.io/default-container": "sidecar" } },
    };
    expect(resolveContainer(annotated)).toBe("sidecar");
    expect(resolveContainer(annotated, "app")).toBe("app");
  });

  it("takes an init container by name, as the API server does (a running sidecar)", () => {
    const withSidecar: V1Pod = {
      ...base,
      spec: { ...base.spec, initContainers: [{ name: "proxy" }] },
    } as V1Pod;
    expect(resolveContainer(withSidecar, "proxy")).toBe("proxy");
    expect(() =>
      assertRunning(
        {
          ...withSidecar,
          status: {
            phase: "Running",
            initContainerStatuses: [{ name: "proxy", state: { terminated: {} } } as never],
          },
        },
        "proxy",
      ),
    ).toThrowError(/container "proxy" terminated/);
  });

  it("names the containers that exist when the requested one does not", () => {
    expect(() => resolveContainer(base, "nope")).toThrowError(/container "nope" not found .*app, sidecar/);
  });

  it("refuses a pod that is not running", () => {
    expect(() => assertRunning({ ...base, status: { phase: "Pending" } }, "app")).toThrowError(
      /it is Pending/,
    );
    expect(() =>
      assertRunning(
        {
          ...base,
          status: {
            phase: "Running",
            containerStatuses: [{ name: "app", state: { waiting: { reason: "CrashLoopBackOff" } } } as never],
          },
        },
        "app",
      ),
    ).toThrowError(/CrashLoopBackOff/);
    expect(() => assertRunning(base, "app")).not.toThrow();
  });
});

describe("one-off pod status", () => {
  it("recognises pods that cannot start", () => {
    expect(
      stuckReason({
        status: {
          phase: "Pending",
          containerStatuses: [
            {
              name: "c",
              state: { waiting: { reason: "ImagePullBackOff", message: "no such image" } },
            } as never,
          ],
        },
      }),
    ).toEqual({ reason: "ImagePullBackOff", message: 'container "c": no such image' });
    expect(
      stuckReason({
        status: {
          phase: "Pending",
          conditions: [
            { type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes" },
          ],
        },
      }),
    ).toEqual({ reason: "Unschedulable", message: "0/3 nodes" });
    // Waiting for its claims to be bound is not stuck: Kanister's WaitForPodReady waits while a PVC is Pending.
    expect(
      stuckReason({
        status: {
          phase: "Pending",
          conditions: [
            {
              type: "PodScheduled",
              status: "False",
              reason: "Unschedulable",
              message:
                "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
            },
          ],
        },
      }),
    ).toBeUndefined();
    expect(
      stuckReason({
        status: {
          phase: "Pending",
          containerStatuses: [{ name: "c", state: { waiting: { reason: "ContainerCreating" } } } as never],
        },
      }),
    ).toBeUndefined();
  });

  it("reads the exit code of the container", () => {
    const p: V1Pod = {
      status: {
        phase: "Failed",
        containerStatuses: [{ name: "c", state: { terminated: { exitCode: 7 } } } as never],
      },
    };
    expect(exitCodeOf(p, "c")).toBe(7);
    expect(exitCodeOf({ status: { phase: "Failed" } }, "c")).toBe(-1);
  });
});

describe("pvcMounts", () => {
  it("maps each claim to its first mount path", () => {
    const p: V1Pod = {
      spec: {
        volumes: [
          { name: "data", persistentVolumeClaim: { claimName: "data-db-0" } },
          { name: "cfg", configMap: { name: "x" } },
          { name: "wal", persistentVolumeClaim: { claimName: "wal-db-0" } },
        ],
        containers: [
          {
            name: "a",
            volumeMounts: [
              { name: "cfg", mountPath: "/etc/x" },
              { name: "wal", mountPath: "/wal" },
            ],
          },
          {
            name: "b",
            volumeMounts: [
              { name: "data", mountPath: "/var/lib/data" },
              { name: "wal", mountPath: "/other" },
            ],
          },
        ],
      },
    };
    expect(pvcMounts(p)).toEqual({ "data-db-0": "/var/lib/data", "wal-db-0": "/wal" });
  });
});
