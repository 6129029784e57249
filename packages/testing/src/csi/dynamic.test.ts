// Dynamic provisioning and deletion policies, checked against external-snapshotter
// pkg/common-controller/snapshot_controller.go and pkg/sidecar-controller/snapshot_controller.go.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalCluster, startLocalCluster } from "../local-cluster.js";
import { LOCAL_CSI_DRIVER } from "./index.js";
import {
  AS_SOURCE_FINALIZER,
  BEING_DELETED_ANNOTATION,
  BOUND_FINALIZER,
  CONTENT_FINALIZER,
  PVC_FINALIZER,
} from "./objects.js";
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
const ns = "snaps";

beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: [ns],
  });
  await lc.cluster.create(snapshotClass("fast", "Delete"));
  await lc.cluster.create(snapshotClass("keep", "Retain"));
});
afterAll(() => lc.stop());

describe("the snapshot API", () => {
  it("is served as snapshot.storage.k8s.io/v1 with the CRDs' scopes", async () => {
    expect(await lc.cluster.resolveResource("snapshot.storage.k8s.io/v1", "VolumeSnapshot")).toMatchObject({
      resource: "volumesnapshots",
      namespaced: true,
    });
    expect(
      await lc.cluster.resolveResource("snapshot.storage.k8s.io/v1", "VolumeSnapshotContent"),
    ).toMatchObject({ resource: "volumesnapshotcontents", namespaced: false });
    expect(
      await lc.cluster.resolveResource("snapshot.storage.k8s.io/v1", "VolumeSnapshotClass"),
    ).toMatchObject({
      resource: "volumesnapshotclasses",
      namespaced: false,
    });
    expect(lc.csi?.name).toBe(LOCAL_CSI_DRIVER);
  });

  it("is absent with csi: false, like a cluster without the snapshot CRDs", async () => {
    const bare = await startLocalCluster({ csi: false });
    try {
      await expect(
        bare.cluster.resolveResource("snapshot.storage.k8s.io/v1", "VolumeSnapshot"),
      ).rejects.toMatchObject({ code: "QUIESCE_KUBE_NOT_FOUND" });
      expect(bare.csi).toBeUndefined();
    } finally {
      await bare.stop();
    }
  });
});

describe("dynamic provisioning", () => {
  it("creates snapcontent-<uid>, binds both ways and copies the content's status", async () => {
    await lc.cluster.create(claim(ns, "data-a"));
    await waitBound(lc, ns, "data-a");
    const created = await lc.cluster.create(snapshotOf(ns, "snap-a", "data-a", "fast"));
    const ready = await waitReady(lc, ns, "snap-a");
    const uid = created.metadata?.uid;
    const status = statusOf(ready);
    expect(status.boundVolumeSnapshotContentName).toBe(`snapcontent-${uid}`);
    expect(status.restoreSize).toBe("1Gi");
    expect(status.creationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(status.error).toBeUndefined();
    expect(ready.metadata?.finalizers).toEqual([AS_SOURCE_FINALIZER, BOUND_FINALIZER]);

    const content = await lc.cluster.get({ ...VSC, name: `snapcontent-${uid}` });
    const pvc = await lc.cluster.get({ ...PVC, namespace: ns, name: "data-a" });
    expect(content.spec).toMatchObject({
      volumeSnapshotRef: { kind: "VolumeSnapshot", namespace: ns, name: "snap-a", uid },
      source: { volumeHandle: `pvc-${pvc.metadata?.uid}` },
      volumeSnapshotClassName: "fast",
      deletionPolicy: "Delete",
      driver: LOCAL_CSI_DRIVER,
    });
    expect(content.metadata?.finalizers).toEqual([CONTENT_FINALIZER]);
    expect(content.status).toMatchObject({ readyToUse: true, restoreSize: 1073741824 });
    expect(lc.csi?.snapshots().map((s) => s.handle)).toContain(
      (content.status as { snapshotHandle: string }).snapshotHandle,
    );
    // The claim is protected only while a snapshot of it is being cut.
    await lc.cluster.waitFor(
      { ...PVC, namespace: ns, name: "data-a" },
      (o) => !o?.metadata?.finalizers?.includes(PVC_FINALIZER),
    );
    expect(await eventsAbout(lc, ns, "snap-a")).toEqual(
      expect.arrayContaining([
        `CreatingSnapshot: Waiting for a snapshot ${ns}/snap-a to be created by the CSI driver.`,
        `SnapshotCreated: Snapshot ${ns}/snap-a was successfully created by the CSI driver.`,
        `SnapshotReady: Snapshot ${ns}/snap-a is ready to use.`,
      ]),
    );
  });

  it("takes a point-in-time copy of the claim; a claim restored from it starts with that copy", async () => {
    await lc.cluster.create(claim(ns, "data-b"));
    await waitBound(lc, ns, "data-b");
    const files = lc.runtime.claimFiles(ns, "data-b");
    files.write("/journal", "1\n2\n");
    await lc.cluster.create(snapshotOf(ns, "snap-b", "data-b", "fast"));
    await waitReady(lc, ns, "snap-b");
    files.write("/journal", "1\n2\n3 written after the snapshot\n");

    await lc.cluster.create(claim(ns, "restored-b", "1Gi", "snap-b"));
    const bound = await waitBound(lc, ns, "restored-b");
    expect((bound.status as { capacity?: unknown }).capacity).toEqual({ storage: "1Gi" });
    expect(lc.runtime.claimFiles(ns, "restored-b").readText("/journal")).toBe("1\n2\n");
    expect(files.readText("/journal")).toContain("3 written after");
    expect(await eventsAbout(lc, ns, "restored-b")).toEqual(
      expect.arrayContaining([
        `Provisioning: External provisioner is provisioning volume for claim "${ns}/restored-b"`,
        `ProvisioningSucceeded: Successfully provisioned volume pvc-${bound.metadata?.uid}`,
      ]),
    );
  });

  it("keeps a pod off the node until the claim it mounts is restored", async () => {
    await lc.cluster.create(claim(ns, "restored-late", "1Gi", "snap-later"));
    await lc.cluster.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "reader", namespace: ns },
      spec: {
        containers: [{ name: "c", image: "busybox", volumeMounts: [{ name: "d", mountPath: "/data" }] }],
        volumes: [{ name: "d", persistentVolumeClaim: { claimName: "restored-late" } }],
      },
    });
    const pending = await lc.cluster.waitFor(
      { version: "v1", resource: "pods", namespace: ns, name: "reader" },
      (p) =>
        ((p?.status as { conditions?: { type: string; status: string }[] })?.conditions ?? []).some(
          (c) => c.type === "PodScheduled" && c.status === "False",
        ),
    );
    expect(JSON.stringify(pending?.status)).toContain("pod has unbound immediate PersistentVolumeClaims");
    expect((await eventsAbout(lc, ns, "restored-late")).join("\n")).toContain(
      `ProvisioningFailed: failed to provision volume with StorageClass "local": error getting handle for DataSource Type VolumeSnapshot by Name snap-later: error getting snapshot snap-later from api server: volumesnapshots.snapshot.storage.k8s.io "snap-later" not found`,
    );
    lc.runtime.claimFiles(ns, "data-b").write("/journal", "late\n");
    await lc.cluster.create(snapshotOf(ns, "snap-later", "data-b", "fast"));
    await waitBound(lc, ns, "restored-late");
    await lc.cluster.waitFor(
      { version: "v1", resource: "pods", namespace: ns, name: "reader" },
      (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
      { timeoutMs: 10_000 },
    );
    expect(lc.runtime.claimFiles(ns, "restored-late").readText("/journal")).toBe("late\n");
  });

  it("refuses a restore into a claim smaller than the snapshot", async () => {
    await lc.cluster.create(claim(ns, "too-small", "512Mi", "snap-b"));
    await expect
      .poll(async () => (await eventsAbout(lc, ns, "too-small")).join("\n"))
      .toContain(
        "requested volume size 536870912 is less than the size 1073741824 for the source snapshot snap-b",
      );
    const pvc = await lc.cluster.get({ ...PVC, namespace: ns, name: "too-small" });
    expect((pvc.status as { phase?: string }).phase).toBe("Pending");
    await lc.cluster.delete({ ...PVC, namespace: ns, name: "too-small" }, { waitForDeletion: true });
  });
});

describe("deletion", () => {
  it("Delete: the content and the physical snapshot go with the VolumeSnapshot", async () => {
    const ready = await waitReady(lc, ns, "snap-a");
    const contentName = statusOf(ready).boundVolumeSnapshotContentName!;
    const content = await lc.cluster.get({ ...VSC, name: contentName });
    const handle = (content.status as { snapshotHandle: string }).snapshotHandle;
    await lc.cluster.delete(
      { ...VS, namespace: ns, name: "snap-a" },
      { waitForDeletion: true, timeoutMs: 10_000 },
    );
    await lc.cluster.waitFor({ ...VSC, name: contentName }, (o) => o === undefined, { timeoutMs: 10_000 });
    expect(lc.csi?.snapshots().some((s) => s.handle === handle)).toBe(false);
  });

  it("Retain: the content and the physical snapshot stay, marked as their snapshot being deleted", async () => {
    await lc.cluster.create(claim(ns, "data-r"));
    await waitBound(lc, ns, "data-r");
    await lc.cluster.create(snapshotOf(ns, "snap-r", "data-r", "keep"));
    const ready = await waitReady(lc, ns, "snap-r");
    expect(ready.metadata?.finalizers).toEqual([AS_SOURCE_FINALIZER]); // no bound finalizer with Retain
    const contentName = statusOf(ready).boundVolumeSnapshotContentName!;
    await lc.cluster.delete(
      { ...VS, namespace: ns, name: "snap-r" },
      { waitForDeletion: true, timeoutMs: 10_000 },
    );
    const content = await lc.cluster.get({ ...VSC, name: contentName });
    expect(content.metadata?.annotations?.[BEING_DELETED_ANNOTATION]).toBe("yes");
    expect(content.metadata?.deletionTimestamp).toBeUndefined();
    const handle = (content.status as { snapshotHandle: string }).snapshotHandle;
    expect(lc.csi?.snapshots().find((s) => s.handle === handle)?.claim).toBe("data-r");
    // Deleting the retained content removes the object; Retain keeps the physical snapshot.
    await lc.cluster.delete({ ...VSC, name: contentName }, { waitForDeletion: true, timeoutMs: 10_000 });
    expect(lc.csi?.snapshots().some((s) => s.handle === handle)).toBe(true);
  });

  it("waits while a claim is being restored from the snapshot", async () => {
    await lc.cluster.create(claim(ns, "data-w"));
    await waitBound(lc, ns, "data-w");
    await lc.cluster.create(snapshotOf(ns, "snap-w", "data-w", "fast"));
    await waitReady(lc, ns, "snap-w");
    await lc.cluster.create(claim(ns, "stuck-w", "1Mi", "snap-w")); // too small: stays Pending
    await lc.cluster.waitFor(
      { ...PVC, namespace: ns, name: "stuck-w" },
      (o) => (o?.status as { phase?: string })?.phase === "Pending",
    );
    await lc.cluster.delete({ ...VS, namespace: ns, name: "snap-w" });
    await expect
      .poll(async () => (await eventsAbout(lc, ns, "snap-w")).join("\n"))
      .toContain("SnapshotDeletePending: Snapshot is being used to restore a PVC");
    expect(
      (await lc.cluster.get({ ...VS, namespace: ns, name: "snap-w" })).metadata?.deletionTimestamp,
    ).toBeTruthy();
    await lc.cluster.delete({ ...PVC, namespace: ns, name: "stuck-w" });
    await lc.cluster.waitFor({ ...VS, namespace: ns, name: "snap-w" }, (o) => o === undefined, {
      timeoutMs: 10_000,
    });
  });
});
