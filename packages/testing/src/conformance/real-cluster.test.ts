/**
 * The Cluster conformance suite against a real cluster: runs only with `KUBECONFIG` set and
 * `QUIESCE_CONFORMANCE_REAL=1`. It creates a fresh namespace (deleted afterwards) with busybox pods,
 * Deployments, StatefulSets with PVCs (a default StorageClass is needed), Jobs, and a CRD
 * (`widgets.conformance.quiesce.dev`, deleted afterwards), so it needs cluster-admin-like rights.
 * Exec with stdin needs a server speaking `v5.channel.k8s.io` (Kubernetes ≥ 1.30): on v4 the end of
 * stdin cannot be signalled. `QUIESCE_CONFORMANCE_IMAGE` overrides the busybox image.
 */
import { connect } from "@quiesce/kube";
import { describe, it } from "vitest";
import { describeClusterConformance } from "./cluster-suite.js";

const enabled = Boolean(process.env.KUBECONFIG) && process.env.QUIESCE_CONFORMANCE_REAL === "1";

if (enabled) {
  describeClusterConformance("client-node adapter on a real cluster", async () => {
    const cluster = connect();
    return {
      cluster,
      apply: async (objects) => {
        for (const o of objects) {
          try {
            await cluster.create(o);
          } catch (err) {
            if ((err as { code?: string }).code !== "QUIESCE_KUBE_CONFLICT") throw err;
          }
        }
      },
      ...(process.env.QUIESCE_CONFORMANCE_IMAGE ? { image: process.env.QUIESCE_CONFORMANCE_IMAGE } : {}),
      cleanup: async () => {},
    };
  });
} else {
  describe("Cluster conformance: client-node adapter on a real cluster", () => {
    it.skip("needs KUBECONFIG and QUIESCE_CONFORMANCE_REAL=1 (it creates objects in a fresh namespace)", () => {});
  });
}
