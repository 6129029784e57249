/**
 * The corpus's csi-snapshot Blueprint, unedited, on the local cluster with the process runtime: a
 * Deployment whose claim holds real files; backup snapshots it, restore replaces the claim with one
 * made from the snapshot (the pod sees the snapshot's data), delete removes the snapshot.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  LOCAL_CSI_DRIVER,
  type LocalCluster,
  type ProcessRuntime,
  startLocalCluster,
} from "@quiesce/testing";
import { CORPUS_TAG, readCorpus } from "@quiesce/testing/corpus";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBlueprint } from "../../blueprint/load.js";
import { validateBlueprint } from "../../blueprint/validate.js";
import { createRegistry } from "../../registry.js";
import { runBlueprintAction } from "../../runner/run-action.js";
import { registerBuiltins } from "../index.js";
import { VOLUME_SNAPSHOT_CONTENTS, VOLUME_SNAPSHOTS } from "./snapshot-api.js";

const ns = "shop";
const registry = createRegistry();
registerBuiltins(registry);

describe("corpus csi-snapshot Blueprint", { tags: [CORPUS_TAG] }, () => {
  let lc: LocalCluster<ProcessRuntime>;
  beforeAll(async () => {
    lc = await startLocalCluster({
      runtime: "process",
      namespaces: [ns],
      podStartDelayMs: 0,
      readyDelayMs: 0,
    });
    await lc.apply(`
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshotClass
metadata: { name: do-block-storage }
driver: ${LOCAL_CSI_DRIVER}
deletionPolicy: Delete
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: orders, namespace: ${ns} }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 5Gi } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: orders-api, namespace: ${ns} }
spec:
  replicas: 1
  selector: { matchLabels: { app: orders-api } }
  template:
    metadata: { labels: { app: orders-api } }
    spec:
      volumes: [{ name: data, persistentVolumeClaim: { claimName: orders } }]
      containers:
      - name: api
        image: example/orders-api:1
        command: [sleep, "3600"]
        volumeMounts: [{ name: data, mountPath: /var/lib/orders }]
`);
    await lc.cluster.waitFor(
      { group: "apps", version: "v1", resource: "deployments", namespace: ns, name: "orders-api" },
      (o) => (o?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 1,
    );
  });
  afterAll(() => lc.stop());

  it("validates clean, backs up, restores with the data verified in the pod, and deletes", async () => {
    const { blueprint } = loadBlueprint(readCorpus("kanister/csi-snapshot-csi-snapshot-blueprint.yaml"));
    expect(validateBlueprint(blueprint, { registry }).ok).toBe(true);
    const subject = { kind: "Deployment", namespace: ns, name: "orders-api" };
    const claimDir = lc.runtime.pvcDir(ns, "orders");
    await writeFile(join(claimDir, "orders.db"), "order 1\norder 2\n");

    const backup = await runBlueprintAction(blueprint, "backup", { cluster: lc.cluster, registry, subject });
    expect(backup.status).toBe("succeeded");
    const info = backup.outputArtifacts.snapshotInfo?.KeyValue ?? {};
    expect(info).toEqual({
      name: expect.stringMatching(/^orders-snapshot-[bcdfghjklmnpqrstvwxz2456789]{5}$/),
      pvc: "orders",
      namespace: ns,
      restoreSize: "5Gi",
      snapshotContent: expect.stringMatching(/^snapcontent-/),
    });

    // What the restore must undo.
    await writeFile(join(claimDir, "orders.db"), "corrupted\n");

    const restore = await runBlueprintAction(blueprint, "restore", {
      cluster: lc.cluster,
      registry,
      subject,
      artifacts: backup.outputArtifacts,
    });
    expect(restore.phases.map((p) => [p.name, p.status])).toEqual([
      ["scaleDownSS", "succeeded"],
      ["deleteOriginalPVC", "succeeded"],
      ["restorePVCFromSnapshot", "succeeded"],
      ["scaleUpSS", "succeeded"],
    ]);
    const pvc = await lc.cluster.get({
      version: "v1",
      resource: "persistentvolumeclaims",
      namespace: ns,
      name: "orders",
    });
    expect(pvc.spec).toMatchObject({
      dataSource: { apiGroup: "snapshot.storage.k8s.io", kind: "VolumeSnapshot", name: info.name },
      storageClassName: "do-block-storage",
      resources: { requests: { storage: "5Gi" } },
    });
    const [pod] = await lc.cluster.selectPods(ns, { selector: "app=orders-api", phase: "Running" });
    const seen = await lc.cluster.exec({ namespace: ns, pod: pod!.metadata!.name! }, [
      "cat",
      "var/lib/orders/orders.db",
    ]);
    expect(seen).toMatchObject({ exitCode: 0, stdout: "order 1\norder 2\n" });
    expect(await readFile(join(claimDir, "orders.db"), "utf8")).toBe("order 1\norder 2\n");

    const del = await runBlueprintAction(blueprint, "delete", {
      cluster: lc.cluster,
      registry,
      subject,
      artifacts: backup.outputArtifacts,
    });
    expect(del.status).toBe("succeeded");
    await expect(
      lc.cluster.get({ ...VOLUME_SNAPSHOTS, namespace: ns, name: info.name! }),
    ).rejects.toMatchObject({
      code: "QUIESCE_KUBE_NOT_FOUND",
    });
    await expect(
      lc.cluster.get({ ...VOLUME_SNAPSHOT_CONTENTS, name: info.snapshotContent! }),
    ).rejects.toMatchObject({
      code: "QUIESCE_KUBE_NOT_FOUND",
    });
    expect(lc.csi?.snapshots()).toEqual([]);
  });
});
