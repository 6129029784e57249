// With the process runtime a snapshot is a copy of the claim's host directory, and a claim restored
// from it starts with that copy (the local stand-in for CSI CreateSnapshot / CreateVolume from a snapshot).
import { mkdir, readFile, readlink, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type LocalCluster, startLocalCluster } from "../local-cluster.js";
import type { ProcessRuntime } from "../runtime/process.js";
import { claim, snapshotClass, snapshotOf, VS, waitBound, waitReady } from "./test-support/snapshots.js";

let lc: LocalCluster<ProcessRuntime>;
const ns = "proc";

beforeAll(async () => {
  lc = await startLocalCluster({ runtime: "process", namespaces: [ns] });
  await lc.cluster.create(snapshotClass("fast"));
});
afterAll(() => lc.stop());

it("copies the claim's directory at that moment; later writes stay out of the snapshot", async () => {
  await lc.cluster.create(claim(ns, "data"));
  await waitBound(lc, ns, "data");
  const dir = lc.runtime.pvcDir(ns, "data");
  await mkdir(join(dir, "db"), { recursive: true });
  await writeFile(join(dir, "db", "table"), "row 1\n");
  await symlink("db/table", join(dir, "current"));
  await lc.cluster.create(snapshotOf(ns, "snap", "data", "fast"));
  await waitReady(lc, ns, "snap");
  await writeFile(join(dir, "db", "table"), "row 1\nrow 2\n");

  // A claim restored from it (larger than the snapshot, as a restore may be) holds the copy.
  await lc.cluster.create(claim(ns, "restored", "2Gi", "snap"));
  await waitBound(lc, ns, "restored");
  const restored = lc.runtime.pvcDir(ns, "restored");
  expect(await readFile(join(restored, "db", "table"), "utf8")).toBe("row 1\n");
  expect(await readlink(join(restored, "current"))).toBe("db/table");
  expect(await readFile(join(dir, "db", "table"), "utf8")).toBe("row 1\nrow 2\n");

  // The physical snapshot goes with the VolumeSnapshot (Delete policy), its directory too.
  const [held] = lc.csi!.snapshots();
  await lc.cluster.delete(
    { ...VS, namespace: ns, name: "snap" },
    { waitForDeletion: true, timeoutMs: 10_000 },
  );
  await expect.poll(() => lc.csi!.snapshots().length).toBe(0);
  await expect(readFile(join(lc.tmpDir, "snapshots", held!.handle, "db", "table"))).rejects.toThrow();
});
