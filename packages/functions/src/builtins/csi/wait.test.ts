// The wait of CreateCSISnapshot against a snapshot controller played by the test, written from
// Kanister pkg/kube/snapshot/snapshot_stable.go isReadyToUse and snapshot.go waitOnReadyToUse.
import { type LocalCluster, snapshotCrds, startLocalCluster } from "@quiesce/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createRegistry } from "../../registry.js";
import type { ActionResult } from "../../runner/result.js";
import { runBlueprintAction } from "../../runner/run-action.js";
import { blueprintOf } from "../../test-support/local.js";
import { registerBuiltins } from "../index.js";
import { VOLUME_SNAPSHOTS } from "./snapshot-api.js";

let lc: LocalCluster;
const ns = "w";
const registry = createRegistry();
registerBuiltins(registry);

beforeAll(async () => {
  // The snapshot API without its controllers: the test writes the statuses.
  lc = await startLocalCluster({ csi: false, namespaces: [ns] });
  await lc.apply(snapshotCrds());
  await lc.apply(
    "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: data, namespace: w }\nspec: { resources: { requests: { storage: 1Gi } } }",
  );
});
afterAll(() => lc.stop());

function start(name: string): { result: Promise<ActionResult>; settled: () => boolean } {
  let done = false;
  const result = runBlueprintAction(
    blueprintOf([
      {
        func: "CreateCSISnapshot",
        name: "snap",
        args: { name, pvc: "data", namespace: ns, snapshotClass: "c" },
      },
    ]),
    "run",
    { cluster: lc.cluster, registry, subject: { kind: "Namespace", name: ns }, phaseTimeout: "5m" },
  ).finally(() => {
    done = true;
  });
  return { result, settled: () => done };
}

const ref = (name: string) => ({ ...VOLUME_SNAPSHOTS, namespace: ns, name });
const setStatus = async (name: string, status: Record<string, unknown>) => {
  await lc.cluster.waitFor(ref(name), (o) => o !== undefined);
  await lc.cluster.patch(ref(name), { status }, "merge", { subresource: "status" });
};
const pause = () => new Promise((r) => setTimeout(r, 150));

it("needs readyToUse and creationTime, waits out transient errors, and outputs Go's canonical restoreSize", async () => {
  const run = start("t1");
  await setStatus("t1", { readyToUse: true, boundVolumeSnapshotContentName: "c1" });
  await pause();
  expect(run.settled()).toBe(false); // ready without creationTime is not ready (isReadyToUse)
  await setStatus("t1", { readyToUse: false, error: { message: "VolumeSnapshotContent is missing" } });
  await pause();
  expect(run.settled()).toBe(false); // a transient error is waited out
  await lc.cluster.patch(ref("t1"), [{ op: "remove", path: "/status/error" }], "json", {
    subresource: "status",
  });
  await setStatus("t1", { readyToUse: true, creationTime: "2024-05-01T10:00:00Z", restoreSize: "1024Mi" });
  const result = await run.result;
  expect(result.status).toBe("succeeded");
  expect(result.phases[0]!.output).toEqual({
    name: "t1",
    pvc: "data",
    namespace: ns,
    restoreSize: "1Gi",
    snapshotContent: "c1",
  });
});

it("fails on the first error that is not transient, with its message", async () => {
  const run = start("t2");
  await setStatus("t2", { readyToUse: false, error: { message: "SnapshotFinalizerError: try again" } });
  await pause();
  expect(run.settled()).toBe(false);
  await setStatus("t2", { error: { message: "the storage is on fire" } });
  const result = await run.result;
  expect(result.phases[0]!.error).toMatchObject({
    code: "QUIESCE_CSI_SNAPSHOT_FAILED",
    message: "the storage is on fire",
  });
});

it('outputs restoreSize "<nil>" when the snapshot reports none, as a nil Quantity prints in Go', async () => {
  const run = start("t3");
  await setStatus("t3", {
    readyToUse: true,
    creationTime: "2024-05-01T10:00:00Z",
    boundVolumeSnapshotContentName: "c3",
  });
  const result = await run.result;
  expect(result.phases[0]!.output.restoreSize).toBe("<nil>");
});

it("fails when the snapshot is deleted while it is awaited", async () => {
  const run = start("t4");
  await lc.cluster.waitFor(ref("t4"), (o) => o !== undefined);
  await lc.cluster.delete(ref("t4"));
  const result = await run.result;
  expect(result.phases[0]!.error).toMatchObject({
    code: "QUIESCE_KUBE_NOT_FOUND",
    message: 'volumesnapshots.snapshot.storage.k8s.io "t4" not found',
  });
});
