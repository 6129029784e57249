/** Workload pods as Kanister lists them: tests written from pkg/kube/workload.go and pkg/param/param.go. */
import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "./cluster.js";
import { claimMountPaths, containerNames, runningPodsOf, workloadVolumeClaims } from "./workload-pods.js";

function pod(
  name: string,
  extra: { phase?: string; owner?: string; controller?: boolean; deleting?: boolean } = {},
): V1Pod {
  return {
    metadata: {
      name,
      ownerReferences: [
        {
          apiVersion: "apps/v1",
          kind: "StatefulSet",
          name: "db",
          uid: extra.owner ?? "u1",
          controller: extra.controller ?? true,
        },
      ],
      ...(extra.deleting ? { deletionTimestamp: new Date(0) } : {}),
    },
    status: { phase: extra.phase ?? "Running" },
  };
}

describe("FetchPods", () => {
  it("keeps the owner's Running pods — terminating ones too — in the API server's byte order", () => {
    const pods = [
      pod("db-2"),
      pod("db-10"),
      pod("db-1", { phase: "Pending" }),
      pod("db-3", { owner: "other" }),
      pod("db-4", { deleting: true }),
      pod("db-5", { controller: false }),
    ];
    // uidInOwnerRefs matches any ownerReference (controller or not); only PodRunning counts.
    expect(runningPodsOf(pods, "u1").map((p) => p.metadata?.name)).toEqual(["db-10", "db-2", "db-4", "db-5"]);
    expect(runningPodsOf(pods, undefined)).toEqual([]);
  });

  it("names containers from status.containerStatuses, in that order", () => {
    const p: V1Pod = {
      spec: { containers: [{ name: "db" }, { name: "agent" }] },
      status: { containerStatuses: [{ name: "agent" }, { name: "db" }] as never },
    };
    expect(containerNames(p)).toEqual(["agent", "db"]);
    // A pod whose statuses are not reported yet has no containers in Kanister's .Containers.
    expect(containerNames({ spec: { containers: [{ name: "db" }] } })).toEqual([]);
  });
});

describe("volumes", () => {
  const sts: KubeObject = {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "db" },
    spec: {
      template: {
        spec: {
          volumes: [
            { name: "shared", persistentVolumeClaim: { claimName: "shared-claim" } },
            { name: "cfg", configMap: { name: "x" } },
          ],
        },
      },
      volumeClaimTemplates: [{ metadata: { name: "data" } }, { metadata: { name: "wal" } }],
    },
  };

  it("derives a StatefulSet's claims as <claim>-<statefulset>-<ordinal> (StatefulSetVolumes)", () => {
    const claims = workloadVolumeClaims("StatefulSet", sts, "db-3");
    expect(Object.fromEntries(claims)).toEqual({
      // Kanister applies the claim-template naming even to a PVC the template names directly.
      shared: "shared-claim-db-3",
      data: "data-db-3",
      wal: "wal-db-3",
    });
    // getOrdinal: a pod name without "-<number>" has no claims.
    expect(workloadVolumeClaims("StatefulSet", sts, "db").size).toBe(0);
  });

  it("takes a Deployment's claims from its template (DeploymentVolumes)", () => {
    const dep: KubeObject = { ...sts, kind: "Deployment" };
    expect(Object.fromEntries(workloadVolumeClaims("Deployment", dep, "web-abc"))).toEqual({
      shared: "shared-claim",
    });
  });

  it("maps each claim to its mount path, the last mount winning", () => {
    const p: V1Pod = {
      spec: {
        containers: [
          {
            name: "a",
            volumeMounts: [
              { name: "data", mountPath: "/first" },
              { name: "cfg", mountPath: "/etc/x" },
            ],
          },
          {
            name: "b",
            volumeMounts: [
              { name: "data", mountPath: "/second" },
              { name: "wal", mountPath: "/wal" },
            ],
          },
        ],
      },
    };
    expect(claimMountPaths(p, workloadVolumeClaims("StatefulSet", sts, "db-0"))).toEqual({
      "data-db-0": "/second",
      "wal-db-0": "/wal",
    });
  });
});
