/** A local cluster with the `db-0`/`db-1` pods of namespace `shop` running, their execs answered by `handler`. */
import { type Handler, type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { dbPods } from "./hook-documents.js";

export async function startShopCluster(handler: Handler): Promise<LocalCluster> {
  const lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: ["shop"],
  });
  lc.runtime.onExec({ namespace: "shop" }, handler);
  await lc.apply(dbPods("shop"));
  for (const pod of ["db-0", "db-1"]) {
    await lc.cluster.waitFor(
      { version: "v1", resource: "pods", namespace: "shop", name: pod },
      (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
    );
  }
  return lc;
}
