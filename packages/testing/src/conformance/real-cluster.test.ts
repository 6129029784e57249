/**
 * The Cluster conformance suite against a real cluster: runs only with `KUBECONFIG` set and
 * `QUIESCE_CONFORMANCE_REAL=1` (it creates a namespace, pods with busybox, a CRD, deployments and jobs).
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
