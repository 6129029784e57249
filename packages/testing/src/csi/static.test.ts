// Pre-provisioned snapshots, default classes, final CSI errors and the CRDs' validation rules
// (external-snapshotter pkg/common-controller/snapshot_controller.go syncUnreadySnapshot,
// checkandBindSnapshotContent, SetDefaultSnapshotClass; client/config/crd; client/hack/cel-tests).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalCluster, startLocalCluster } from "../local-cluster.js";
import { SNAPSHOT_API_VERSION } from "./crds.js";
import { LOCAL_CSI_DRIVER } from "./index.js";
import { BEING_CREATED_ANNOTATION, DEFAULT_CLASS_ANNOTATION } from "./objects.js";
import {
  claim,
  snapshotClass,
  snapshotOf,
  statusOf,
  VS,
  VSC,
  VSCLASS,
  waitBound,
  waitReady,
} from "./test-support/snapshots.js";

let lc: LocalCluster;
const ns = "static";

beforeAll(async () => {
  lc = await startLocalCluster({
    namespaces: [ns],
    csi: { retryIntervalStartMs: 20, retryIntervalMaxMs: 200 },
  });
  await lc.cluster.create(snapshotClass("keep", "Retain"));
  await lc.cluster.create(claim(ns, "data"));
  await waitBound(lc, ns, "data");
});
afterAll(() => lc.stop());

function staticContent(name: string, handle: string, snapshot: string, className = "keep") {
  return {
    apiVersion: SNAPSHOT_API_VERSION,
    kind: "VolumeSnapshotContent",
    metadata: { name },
    spec: {
      volumeSnapshotRef: { kind: "VolumeSnapshot", name: snapshot, namespace: ns },
      deletionPolicy: "Delete",
      driver: LOCAL_CSI_DRIVER,
      source: { snapshotHandle: handle },
      volumeSnapshotClassName: className,
    },
  };
}

describe("pre-provisioned snapshots", () => {
  it("bind a content made for them (uid filled in) and become ready from ListSnapshots", async () => {
    lc.runtime.claimFiles(ns, "data").write("/f", "v1");
    await lc.cluster.create(snapshotOf(ns, "origin", "data", "keep"));
    const origin = await waitReady(lc, ns, "origin");
    const dynamic = await lc.cluster.get({ ...VSC, name: statusOf(origin).boundVolumeSnapshotContentName! });
    const handle = (dynamic.status as { snapshotHandle: string }).snapshotHandle;

    await lc.cluster.create(staticContent("imported", handle, "imported-snap"));
    const snapshot = await lc.cluster.create({
      apiVersion: SNAPSHOT_API_VERSION,
      kind: "VolumeSnapshot",
      metadata: { name: "imported-snap", namespace: ns },
      spec: { source: { volumeSnapshotContentName: "imported" }, volumeSnapshotClassName: "keep" },
    });
    const ready = await waitReady(lc, ns, "imported-snap");
    expect(statusOf(ready)).toMatchObject({ boundVolumeSnapshotContentName: "imported", restoreSize: "1Gi" });
    const content = await lc.cluster.get({ ...VSC, name: "imported" });
    expect((content.spec as { volumeSnapshotRef: { uid: string } }).volumeSnapshotRef.uid).toBe(
      snapshot.metadata?.uid,
    );
    expect(content.status).toMatchObject({ snapshotHandle: handle, readyToUse: true });

    // Restores from it hold the same data.
    await lc.cluster.create(claim(ns, "from-imported", "1Gi", "imported-snap"));
    await waitBound(lc, ns, "from-imported");
    expect(lc.runtime.claimFiles(ns, "from-imported").readText("/f")).toBe("v1");
  });

  it("report a handle the driver does not know, and a content that is missing", async () => {
    await lc.cluster.create(staticContent("ghost", "no-such-handle", "ghost-snap"));
    await lc.cluster.create({
      apiVersion: SNAPSHOT_API_VERSION,
      kind: "VolumeSnapshot",
      metadata: { name: "ghost-snap", namespace: ns },
      spec: { source: { volumeSnapshotContentName: "ghost" } },
    });
    const content = await lc.cluster.waitFor(
      { ...VSC, name: "ghost" },
      (o) => !!(o?.status as { error?: unknown })?.error,
    );
    expect((content?.status as { error?: { message?: string } } | undefined)?.error?.message).toBe(
      'Failed to check and update snapshot content: failed to list snapshot for content ghost: "can not find snapshot for snapshotID no-such-handle"',
    );
    const snapshot = await lc.cluster.waitFor(
      { ...VS, namespace: ns, name: "ghost-snap" },
      (o) => !!statusOf(o).error,
    );
    expect(statusOf(snapshot).error?.message).toContain(
      "can not find snapshot for snapshotID no-such-handle",
    );

    await lc.cluster.create({
      apiVersion: SNAPSHOT_API_VERSION,
      kind: "VolumeSnapshot",
      metadata: { name: "lost", namespace: ns },
      spec: { source: { volumeSnapshotContentName: "never-made" } },
    });
    const lost = await lc.cluster.waitFor({ ...VS, namespace: ns, name: "lost" }, (o) => !!statusOf(o).error);
    expect(statusOf(lost)).toMatchObject({
      readyToUse: false,
      error: { message: "VolumeSnapshotContent is missing" },
    });
  });
});

describe("classes", () => {
  it("a snapshot without a class gets the driver's default class; two defaults are an error", async () => {
    const orphan = await startLocalCluster({
      namespaces: [ns],
      csi: { retryIntervalStartMs: 20, retryIntervalMaxMs: 200 },
    });
    try {
      await orphan.cluster.create(claim(ns, "d"));
      await waitBound(orphan, ns, "d");
      await orphan.cluster.create(
        snapshotClass("one", "Delete", { annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } }),
      );
      await orphan.cluster.create(
        snapshotClass("other-driver", "Delete", {
          driver: "ebs.csi.aws.com",
          annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" },
        }),
      );
      await orphan.cluster.create(snapshotOf(ns, "defaulted", "d"));
      const ready = await waitReady(orphan, ns, "defaulted");
      expect((ready.spec as { volumeSnapshotClassName?: string }).volumeSnapshotClassName).toBe("one");

      await orphan.cluster.create(
        snapshotClass("two", "Delete", { annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } }),
      );
      await orphan.cluster.create(snapshotOf(ns, "ambiguous", "d"));
      const failed = await orphan.cluster.waitFor(
        { ...VS, namespace: ns, name: "ambiguous" },
        (o) => !!statusOf(o).error,
      );
      expect(statusOf(failed).error?.message).toBe(
        "Failed to set default snapshot class with error 2 default snapshot classes were found",
      );
    } finally {
      await orphan.stop();
    }
  });

  it("a content of a driver nobody serves never becomes ready", async () => {
    await lc.cluster.create(snapshotClass("elsewhere", "Delete", { driver: "ebs.csi.aws.com" }));
    await lc.cluster.create(snapshotOf(ns, "unserved", "data", "elsewhere"));
    const bound = await lc.cluster.waitFor(
      { ...VS, namespace: ns, name: "unserved" },
      (o) => !!statusOf(o).boundVolumeSnapshotContentName,
    );
    await new Promise((r) => setTimeout(r, 200));
    const content = await lc.cluster.get({ ...VSC, name: statusOf(bound).boundVolumeSnapshotContentName! });
    expect(content.status).toBeUndefined();
    expect(statusOf(await lc.cluster.get({ ...VS, namespace: ns, name: "unserved" })).readyToUse).toBe(false);
  });

  it("a final CSI error takes the being-created mark off the content", async () => {
    const fault = lc.csi!.addFault({ pvc: "data", code: "Internal", message: "disk full", times: Infinity });
    await lc.cluster.create(snapshotClass("fast"));
    await lc.cluster.create(snapshotOf(ns, "final", "data", "fast"));
    const failed = await lc.cluster.waitFor(
      { ...VS, namespace: ns, name: "final" },
      (o) => !!statusOf(o).error,
      { timeoutMs: 10_000 },
    );
    expect(statusOf(failed).error?.message).toMatch(/"rpc error: code = Internal desc = disk full"$/);
    const content = await lc.cluster.get({ ...VSC, name: statusOf(failed).boundVolumeSnapshotContentName! });
    expect(content.metadata?.annotations?.[BEING_CREATED_ANNOTATION]).toBeUndefined();
    fault.remove();
    await waitReady(lc, ns, "final");
  });
});

describe("the CRDs' validation rules", () => {
  const invalid = async (write: Promise<unknown>, message: string) => {
    await expect(write).rejects.toMatchObject({ code: "QUIESCE_KUBE_INVALID" });
    await write.catch((err: Error) => expect(err.message).toContain(message));
  };

  it("rejects what the CEL rules and required fields reject", async () => {
    await invalid(
      lc.cluster.create({
        apiVersion: SNAPSHOT_API_VERSION,
        kind: "VolumeSnapshot",
        metadata: { name: "both", namespace: ns },
        spec: { source: { persistentVolumeClaimName: "data", volumeSnapshotContentName: "x" } },
      }),
      "exactly one of volumeSnapshotContentName and persistentVolumeClaimName must be set",
    );
    await invalid(
      lc.cluster.create(snapshotOf(ns, "empty-class", "data", "")),
      "volumeSnapshotClassName must not be the empty string when set",
    );
    await invalid(
      lc.cluster.create({
        ...staticContent("two-handles", "h", "s"),
        spec: { ...staticContent("x", "h", "s").spec, source: { snapshotHandle: "h", volumeHandle: "v" } },
      }),
      "exactly one of volumeHandle and snapshotHandle must be set",
    );
    await invalid(
      lc.cluster.create({
        ...staticContent("no-ns", "h", "s"),
        spec: { ...staticContent("x", "h", "s").spec, volumeSnapshotRef: { name: "s" } },
      }),
      "both spec.volumeSnapshotRef.name and spec.volumeSnapshotRef.namespace must be set",
    );
    await invalid(
      lc.cluster.create({
        apiVersion: SNAPSHOT_API_VERSION,
        kind: "VolumeSnapshotClass",
        metadata: { name: "bad" },
        driver: "d",
        deletionPolicy: "Keep",
      }),
      'deletionPolicy: Unsupported value: "Keep": supported values: "Delete", "Retain"',
    );
    await invalid(
      lc.cluster.create({
        apiVersion: SNAPSHOT_API_VERSION,
        kind: "VolumeSnapshotClass",
        metadata: { name: "bad" },
        deletionPolicy: "Delete",
      }),
      "driver: Required value",
    );
  });

  it("keeps a snapshot's source immutable", async () => {
    await lc.cluster.create(snapshotOf(ns, "fixed", "data", "keep"));
    await invalid(
      lc.cluster.patch(
        { ...VS, namespace: ns, name: "fixed" },
        { spec: { source: { persistentVolumeClaimName: "other" } } },
        "merge",
      ),
      "persistentVolumeClaimName is immutable",
    );
    await invalid(
      lc.cluster.patch(
        { ...VS, namespace: ns, name: "fixed" },
        { spec: { source: { persistentVolumeClaimName: null, volumeSnapshotContentName: "c" } } },
        "merge",
      ),
      "persistentVolumeClaimName is required once set",
    );
    expect(await lc.cluster.get({ ...VSCLASS, name: "keep" })).toMatchObject({ deletionPolicy: "Retain" });
  });
});
