// Kanister's CSI functions on the local cluster, written from Kanister pkg/function/*csi_snapshot*.go
// and pkg/kube/snapshot/snapshot_stable.go.
import type { KubeObject } from "@quiesce/kube";
import { LOCAL_CSI_DRIVER, startLocalCluster } from "@quiesce/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBlueprintAction } from "../../runner/run-action.js";
import { blueprintOf, startEnv, type TestEnv } from "../../test-support/local.js";
import { VOLUME_SNAPSHOT_CONTENTS, VOLUME_SNAPSHOTS } from "./snapshot-api.js";

let env: TestEnv;
const ns = "csi";
const PVCS = { version: "v1", resource: "persistentvolumeclaims" };

beforeAll(async () => {
  env = await startEnv([ns]);
  await env.lc.apply(`
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshotClass
metadata: { name: fast }
driver: ${LOCAL_CSI_DRIVER}
deletionPolicy: Delete
---
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshotClass
metadata: { name: keep }
driver: ${LOCAL_CSI_DRIVER}
deletionPolicy: Retain
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data, namespace: ${ns} }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 2Gi } } }
`);
  env.lc.runtime.claimFiles(ns, "data").write("/rows", "a\nb\n");
});
afterAll(() => env.lc.stop());

const run = (phases: unknown[], opts: { phaseTimeout?: string; cluster?: typeof env.lc.cluster } = {}) =>
  runBlueprintAction(blueprintOf(phases), "run", {
    cluster: opts.cluster ?? env.lc.cluster,
    registry: env.registry,
    subject: { kind: "Namespace", name: ns },
    ...(opts.phaseTimeout ? { phaseTimeout: opts.phaseTimeout } : {}),
  });

const phase = (func: string, args: Record<string, unknown>, name = "p") => ({ func, name, args });
const snapshotRef = (name: string) => ({ ...VOLUME_SNAPSHOTS, namespace: ns, name });

describe("CreateCSISnapshot", () => {
  it("creates the VolumeSnapshot, waits until it is ready and outputs what Kanister outputs", async () => {
    const result = await run([
      phase("CreateCSISnapshot", {
        pvc: "data",
        namespace: ns,
        snapshotClass: "fast",
        labels: { "app.kubernetes.io/name": "MySQL", Tier: "DB--" },
      }),
    ]);
    expect(result.status).toBe("succeeded");
    const output = result.phases[0]!.output;
    // Kanister defaultSnapshotName: <pvc>-snapshot-<rand.String(5)>.
    expect(output.name).toMatch(/^data-snapshot-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const snapshot = await env.lc.cluster.get(snapshotRef(output.name as string));
    const status = snapshot.status as { boundVolumeSnapshotContentName: string; readyToUse: boolean };
    expect(output).toEqual({
      name: output.name,
      pvc: "data",
      namespace: ns,
      restoreSize: "2Gi",
      snapshotContent: status.boundVolumeSnapshotContentName,
    });
    expect(status.readyToUse).toBe(true);
    expect(snapshot.spec).toEqual({
      source: { persistentVolumeClaimName: "data" },
      volumeSnapshotClassName: "fast",
    });
    // Kanister SanitizeTags: keys and values lower-cased, [a-z0-9_-] only, trailing _ and - trimmed.
    expect(snapshot.metadata?.labels).toEqual({ app_kubernetes_io_name: "mysql", tier: "db" });
  });

  it("uses the given name, and fails with Kanister's message when the PVC does not exist", async () => {
    const named = await run([
      phase("CreateCSISnapshot", { name: "mine", pvc: "data", namespace: ns, snapshotClass: "fast" }),
    ]);
    expect(named.phases[0]!.output.name).toBe("mine");
    const missing = await run([
      phase("CreateCSISnapshot", { pvc: "nope", namespace: ns, snapshotClass: "fast" }),
    ]);
    expect(missing.phases[0]!.error).toMatchObject({
      code: "QUIESCE_KUBE_NOT_FOUND",
      message: "Failed to find PVC",
    });
  });

  it("fails to create what the API server refuses: an empty class name, a name already taken", async () => {
    const empty = await run([phase("CreateCSISnapshot", { pvc: "data", namespace: ns, snapshotClass: "" })]);
    expect(empty.phases[0]!.error?.code).toBe("QUIESCE_KUBE_INVALID");
    expect(empty.phases[0]!.error?.message).toMatch(
      /^Failed to create snapshot resource: .*volumeSnapshotClassName must not be the empty string when set/,
    );
    await run([
      phase("CreateCSISnapshot", { name: "taken", pvc: "data", namespace: ns, snapshotClass: "fast" }),
    ]);
    const again = await run([
      phase("CreateCSISnapshot", { name: "taken", pvc: "data", namespace: ns, snapshotClass: "fast" }),
    ]);
    expect(again.phases[0]!.error?.code).toBe("QUIESCE_KUBE_CONFLICT");
    expect(again.phases[0]!.error?.message).toMatch(/^Failed to create snapshot resource: .*already exists/);
  });

  it("fails as soon as the snapshot controller reports an error: a class that does not exist", async () => {
    const result = await run(
      [
        phase("CreateCSISnapshot", {
          name: "no-class",
          pvc: "data",
          namespace: ns,
          snapshotClass: "missing",
        }),
      ],
      { phaseTimeout: "10m" },
    );
    expect(result.phases[0]!.error).toMatchObject({
      code: "QUIESCE_CSI_SNAPSHOT_FAILED",
      message:
        'Failed to get snapshot class with error volumesnapshotclass.snapshot.storage.k8s.io "missing" not found',
    });
  });

  it("fails as soon as the driver's error reaches status.error", async () => {
    const fault = env.lc.csi!.addFault({
      pvc: "data",
      code: "Internal",
      message: "disk full",
      times: Infinity,
    });
    try {
      const result = await run(
        [
          phase("CreateCSISnapshot", {
            name: "driver-error",
            pvc: "data",
            namespace: ns,
            snapshotClass: "fast",
          }),
        ],
        { phaseTimeout: "10m" },
      );
      expect(result.phases[0]!.error?.code).toBe("QUIESCE_CSI_SNAPSHOT_FAILED");
      expect(result.phases[0]!.error?.message).toMatch(
        /^Failed to create snapshot: failed to take snapshot of the volume pvc-[0-9a-f-]+: "rpc error: code = Internal desc = disk full"$/,
      );
    } finally {
      fault.remove();
    }
  });

  it("times out on a snapshot that never becomes ready, saying what it last saw", async () => {
    const fault = env.lc.csi!.addFault({ pvc: "data", neverReady: true, times: Infinity });
    try {
      const result = await run(
        [phase("CreateCSISnapshot", { name: "never", pvc: "data", namespace: ns, snapshotClass: "fast" })],
        { phaseTimeout: "1500ms" },
      );
      expect(result.phases[0]!.error?.code).toBe("QUIESCE_TIMEOUT");
      expect(result.phases[0]!.error?.message).toMatch(
        /^VolumeSnapshot csi\/never was not ready to use in time \(readyToUse: false, bound to: snapcontent-/,
      );
    } finally {
      fault.remove();
    }
  });
});

describe("CreateCSISnapshotStatic", () => {
  it("imports a snapshot handle as a content (the class's deletion policy) and snapshot pair", async () => {
    const origin = await run([
      phase("CreateCSISnapshot", { name: "origin", pvc: "data", namespace: ns, snapshotClass: "keep" }),
    ]);
    const content = await env.lc.cluster.get({
      ...VOLUME_SNAPSHOT_CONTENTS,
      name: origin.phases[0]!.output.snapshotContent as string,
    });
    const handle = (content.status as { snapshotHandle: string }).snapshotHandle;
    const result = await run([
      phase("CreateCSISnapshotStatic", {
        name: "imported",
        namespace: ns,
        driver: LOCAL_CSI_DRIVER,
        snapshotHandle: handle,
        snapshotClass: "keep",
      }),
    ]);
    expect(result.status).toBe("succeeded");
    const output = result.phases[0]!.output;
    expect(output).toEqual({
      name: "imported",
      namespace: ns,
      restoreSize: "2Gi",
      snapshotContent: expect.stringMatching(
        /^imported-content-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      ),
    });
    const imported = await env.lc.cluster.get({
      ...VOLUME_SNAPSHOT_CONTENTS,
      name: output.snapshotContent as string,
    });
    expect(imported.spec).toMatchObject({
      deletionPolicy: "Retain",
      driver: LOCAL_CSI_DRIVER,
      source: { snapshotHandle: handle },
      volumeSnapshotClassName: "keep",
      volumeSnapshotRef: { kind: "VolumeSnapshot", name: "imported", namespace: ns },
    });
    const snapshot = await env.lc.cluster.get(snapshotRef("imported"));
    expect(snapshot.spec).toEqual({
      source: { volumeSnapshotContentName: output.snapshotContent },
      volumeSnapshotClassName: "keep",
    });
  });

  it("needs the class for its deletion policy", async () => {
    const result = await run([
      phase("CreateCSISnapshotStatic", {
        name: "x",
        namespace: ns,
        driver: LOCAL_CSI_DRIVER,
        snapshotHandle: "h",
        snapshotClass: "missing",
      }),
    ]);
    expect(result.phases[0]!.error?.message).toMatch(
      /^Failed to get DeletionPolicy from VolumeSnapshotClass: Failed to find VolumeSnapshotClass: get volumesnapshotclasses.snapshot.storage.k8s.io "missing"/,
    );
  });
});

describe("RestoreCSISnapshot", () => {
  it("creates the PVC from the snapshot without waiting and without output; the data is the snapshot's", async () => {
    await run([
      phase("CreateCSISnapshot", { name: "to-restore", pvc: "data", namespace: ns, snapshotClass: "fast" }),
    ]);
    env.lc.runtime.claimFiles(ns, "data").write("/rows", "a\nb\nc\n");
    const result = await run([
      phase("RestoreCSISnapshot", {
        name: "to-restore",
        pvc: "restored",
        namespace: ns,
        storageClass: "standard",
        restoreSize: "2048Mi",
        labels: { restored: "yes" },
      }),
    ]);
    expect(result.status).toBe("succeeded");
    expect(result.phases[0]!.output).toEqual({});
    const pvc = await env.lc.cluster.get({ ...PVCS, namespace: ns, name: "restored" });
    expect(pvc.metadata?.labels).toEqual({ restored: "yes" });
    expect(pvc.spec).toEqual({
      accessModes: ["ReadWriteOnce"],
      volumeMode: "Filesystem",
      dataSource: { apiGroup: "snapshot.storage.k8s.io", kind: "VolumeSnapshot", name: "to-restore" },
      storageClassName: "standard",
      resources: { requests: { storage: "2Gi" } },
    });
    await env.lc.cluster.waitFor(
      { ...PVCS, namespace: ns, name: "restored" },
      (o: KubeObject | undefined) => (o?.status as { phase?: string } | undefined)?.phase === "Bound",
    );
    expect(env.lc.runtime.claimFiles(ns, "restored").readText("/rows")).toBe("a\nb\n");
  });

  it("validates access modes, volume mode and size as Kanister does", async () => {
    const base = { name: "s", pvc: "p", namespace: ns, storageClass: "standard", restoreSize: "1Gi" };
    const error = async (args: Record<string, unknown>) =>
      (await run([phase("RestoreCSISnapshot", { ...base, ...args })])).phases[0]!.error;
    expect(await error({ accessModes: ["ReadWriteOnce", "ReadWriteSometimes"] })).toMatchObject({
      code: "QUIESCE_VALIDATION",
      message: "RestoreCSISnapshot: Given accessMode ReadWriteSometimes is invalid",
    });
    expect((await error({ volumeMode: "Raw" }))?.message).toBe(
      "RestoreCSISnapshot: Given volumeMode Raw is invalid",
    );
    expect((await error({ restoreSize: "0Gi" }))?.message).toBe(
      "RestoreCSISnapshot: Failed to restore CSI snapshot. restoreSize argument cannot be zero",
    );
    expect((await error({ restoreSize: "<nil>" }))?.message).toMatch(
      /quantities must match the regular expression/,
    );
    // The API server's refusal comes back as it is.
    expect(await error({ pvc: "data" })).toMatchObject({ code: "QUIESCE_KUBE_CONFLICT" });
  });
});

describe("DeleteCSISnapshot and DeleteCSISnapshotContent", () => {
  it("deletes the snapshot and waits until it is gone (its content and physical snapshot with it)", async () => {
    const created = await run([
      phase("CreateCSISnapshot", { name: "doomed", pvc: "data", namespace: ns, snapshotClass: "fast" }),
    ]);
    const contentName = created.phases[0]!.output.snapshotContent as string;
    const before = env.lc.csi!.snapshots().length;
    const result = await run([phase("DeleteCSISnapshot", { name: "doomed", namespace: ns })]);
    expect(result.status).toBe("succeeded");
    await expect(env.lc.cluster.get(snapshotRef("doomed"))).rejects.toMatchObject({
      code: "QUIESCE_KUBE_NOT_FOUND",
    });
    await expect(
      env.lc.cluster.get({ ...VOLUME_SNAPSHOT_CONTENTS, name: contentName }),
    ).rejects.toMatchObject({
      code: "QUIESCE_KUBE_NOT_FOUND",
    });
    expect(env.lc.csi!.snapshots().length).toBe(before - 1);
    // A snapshot that is not there is not an error (Kanister deleteSnapshot).
    expect((await run([phase("DeleteCSISnapshot", { name: "doomed", namespace: ns })])).status).toBe(
      "succeeded",
    );
  });

  it("deletes a content without waiting; a missing one is not an error", async () => {
    const created = await run([
      phase("CreateCSISnapshot", { name: "kept", pvc: "data", namespace: ns, snapshotClass: "keep" }),
    ]);
    const contentName = created.phases[0]!.output.snapshotContent as string;
    expect((await run([phase("DeleteCSISnapshot", { name: "kept", namespace: ns })])).status).toBe(
      "succeeded",
    );
    await env.lc.cluster.get({ ...VOLUME_SNAPSHOT_CONTENTS, name: contentName }); // Retain: still there
    const result = await run([phase("DeleteCSISnapshotContent", { name: contentName })]);
    expect(result.status).toBe("succeeded");
    await env.lc.cluster.waitFor({ ...VOLUME_SNAPSHOT_CONTENTS, name: contentName }, (o) => o === undefined);
    expect((await run([phase("DeleteCSISnapshotContent", { name: contentName })])).status).toBe("succeeded");
  });
});

describe("a cluster without the snapshot API", () => {
  it("fails every CSI function with one clear error", async () => {
    const bare = await startLocalCluster({ csi: false, namespaces: [ns] });
    try {
      const calls = [
        phase("CreateCSISnapshot", { pvc: "data", namespace: ns, snapshotClass: "fast" }),
        phase("CreateCSISnapshotStatic", {
          name: "s",
          namespace: ns,
          driver: "d",
          snapshotHandle: "h",
          snapshotClass: "c",
        }),
        phase("RestoreCSISnapshot", {
          name: "s",
          pvc: "p",
          namespace: ns,
          storageClass: "c",
          restoreSize: "1Gi",
        }),
        phase("DeleteCSISnapshot", { name: "s", namespace: ns }),
        phase("DeleteCSISnapshotContent", { name: "c" }),
      ];
      for (const call of calls) {
        const result = await run([call], { cluster: bare.cluster });
        expect(result.phases[0]!.error?.code).toBe("QUIESCE_CSI_SNAPSHOT_API_MISSING");
        expect(result.phases[0]!.error?.message).toMatch(
          new RegExp(
            `^${call.func}: the cluster does not serve VolumeSnapshot(Class|Content)? in snapshot.storage.k8s.io/v1: install the CSI snapshot CRDs`,
          ),
        );
      }
    } finally {
      await bare.stop();
    }
  });
});
