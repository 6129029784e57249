// Failures as the snapshot controller and the csi-snapshotter sidecar report them
// (external-snapshotter pkg/common-controller/snapshot_controller_base.go checkAndUpdateSnapshotClass,
// pkg/sidecar-controller/snapshot_controller.go createSnapshot / createSnapshotWrapper).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalCluster, startLocalCluster } from "../local-cluster.js";
import {
  claim,
  eventsAbout,
  PVC,
  snapshotClass,
  snapshotOf,
  statusOf,
  VS,
  VSC,
  waitBound,
  waitReady,
} from "./test-support/snapshots.js";

let lc: LocalCluster;
const ns = "faults";

beforeAll(async () => {
  lc = await startLocalCluster({
    namespaces: [ns],
    csi: { retryIntervalStartMs: 20, retryIntervalMaxMs: 200 },
  });
  await lc.cluster.create(snapshotClass("fast"));
  await lc.cluster.create(claim(ns, "data"));
  await waitBound(lc, ns, "data");
});
afterAll(() => lc.stop());

const withError = (ref: { namespace: string; name: string }) =>
  lc.cluster.waitFor({ ...VS, ...ref }, (o) => statusOf(o).error?.message !== undefined, {
    timeoutMs: 10_000,
  });

describe("CSI snapshot faults", () => {
  it("a class that does not exist: status.error at once, readyToUse untouched, retried until it appears", async () => {
    await lc.cluster.create(snapshotOf(ns, "no-class", "data", "missing"));
    const failed = await withError({ namespace: ns, name: "no-class" });
    expect(statusOf(failed)).toEqual({
      error: {
        message:
          'Failed to get snapshot class with error volumesnapshotclass.snapshot.storage.k8s.io "missing" not found',
        time: expect.any(String),
      },
    });
    expect(await eventsAbout(lc, ns, "no-class")).toContain(
      'GetSnapshotClassFailed: Failed to get snapshot class with error volumesnapshotclass.snapshot.storage.k8s.io "missing" not found',
    );
    await lc.cluster.create(snapshotClass("missing"));
    const ready = await waitReady(lc, ns, "no-class");
    expect(statusOf(ready).error).toBeUndefined();
  });

  it("a driver error: status.error carries the gRPC error; the retry that succeeds clears it", async () => {
    const pvc = await lc.cluster.get({ ...PVC, namespace: ns, name: "data" });
    const fault = lc.csi!.addFault({
      pvc: "data",
      code: "ResourceExhausted",
      message: "snapshot quota exceeded",
      times: Infinity,
    });
    await lc.cluster.create(snapshotOf(ns, "quota", "data", "fast"));
    const failed = await withError({ namespace: ns, name: "quota" });
    const message = `Failed to create snapshot: failed to take snapshot of the volume pvc-${pvc.metadata?.uid}: "rpc error: code = ResourceExhausted desc = snapshot quota exceeded"`;
    expect(statusOf(failed)).toMatchObject({ readyToUse: false, error: { message } });
    const content = await lc.cluster.get({ ...VSC, name: statusOf(failed).boundVolumeSnapshotContentName! });
    // ResourceExhausted is not final: the content stays marked as being created until an answer.
    expect(
      content.metadata?.annotations?.["snapshot.storage.kubernetes.io/volumesnapshot-being-created"],
    ).toBe("yes");
    expect(fault.hits).toBeGreaterThanOrEqual(1);
    fault.remove();
    const ready = await waitReady(lc, ns, "quota");
    expect(statusOf(ready).error).toBeUndefined();
    const after = await lc.cluster.get({ ...VSC, name: content.metadata!.name! });
    expect(
      after.metadata?.annotations?.["snapshot.storage.kubernetes.io/volumesnapshot-being-created"],
    ).toBeUndefined();
  });

  it("a snapshot that never becomes ready: cut (creationTime), readyToUse false, until the fault goes", async () => {
    const fault = lc.csi!.addFault({ pvc: "data", neverReady: true, times: Infinity });
    await lc.cluster.create(snapshotOf(ns, "slow", "data", "fast"));
    const cut = await lc.cluster.waitFor(
      { ...VS, namespace: ns, name: "slow" },
      (o) => statusOf(o).creationTime !== undefined,
      { timeoutMs: 10_000 },
    );
    expect(statusOf(cut)).toMatchObject({ readyToUse: false, restoreSize: "1Gi" });
    await new Promise((r) => setTimeout(r, 300));
    expect(statusOf(await lc.cluster.get({ ...VS, namespace: ns, name: "slow" })).readyToUse).toBe(false);
    expect(lc.csi!.snapshots().find((s) => s.claim === "data" && !s.readyToUse)).toBeDefined();
    fault.remove();
    await waitReady(lc, ns, "slow");
  });

  it("a claim that does not exist: the source-claim error of the controller", async () => {
    await lc.cluster.create(snapshotOf(ns, "orphan", "no-such-claim", "fast"));
    const failed = await withError({ namespace: ns, name: "orphan" });
    expect(statusOf(failed).error?.message).toBe(
      "Failed to create snapshot content with error snapshot controller failed to update orphan on API server: cannot get claim from snapshot",
    );
    expect(statusOf(failed).readyToUse).toBe(false);
  });
});
