/** The Cluster conformance suite against the client-node adapter on the embedded local cluster. */
import { startLocalCluster } from "../index.js";
import { describeClusterConformance } from "./cluster-suite.js";

describeClusterConformance("client-node adapter on the local cluster", async () => {
  const lc = await startLocalCluster({ podStartDelayMs: 2, readyDelayMs: 2, terminationDelayMs: 2 });
  return {
    cluster: lc.cluster,
    apply: async (objects) => {
      await lc.apply(objects);
    },
    runtime: lc.runtime,
    cleanup: () => lc.stop(),
  };
});
