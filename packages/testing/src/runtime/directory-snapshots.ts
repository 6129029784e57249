/** Snapshots of the process runtime's claims: a copy of the claim's host directory (and its in-memory files). */
import { cp, mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { MemoryVolumes } from "./memory-files.js";
import { noSnapshot } from "./scripted.js";
import type { VolumeSnapshots } from "./types.js";

/**
 * Snapshots kept as directories `<root>/snapshots/<handle>`. A snapshot copies the claim's
 * directory as it is at that moment (symlinks as links, never followed out of it); a restore
 * empties the claim's directory — keeping the directory itself, which pods link to — and copies
 * the snapshot in.
 */
export function directorySnapshots(
  root: string,
  pvcDir: (namespace: string, claim: string) => string,
  memory: MemoryVolumes,
): VolumeSnapshots {
  const snapshotDir = (handle: string) => join(root, "snapshots", handle);
  return {
    async snapshotClaim(namespace, claim, handle) {
      const source = pvcDir(namespace, claim);
      await mkdir(source, { recursive: true });
      const target = snapshotDir(handle);
      await rm(target, { recursive: true, force: true });
      await cp(source, target, { recursive: true, verbatimSymlinks: true, errorOnExist: false });
      memory.snapshotClaim(namespace, claim, handle);
    },
    async restoreClaim(handle, namespace, claim) {
      const source = snapshotDir(handle);
      const found = await stat(source).catch(() => undefined);
      if (!found?.isDirectory()) throw noSnapshot(handle);
      const target = pvcDir(namespace, claim);
      await mkdir(target, { recursive: true });
      for (const entry of await readdir(target))
        await rm(join(target, entry), { recursive: true, force: true });
      await cp(source, target, { recursive: true, verbatimSymlinks: true });
      memory.restoreClaim(handle, namespace, claim);
    },
    async deleteSnapshot(handle) {
      await rm(snapshotDir(handle), { recursive: true, force: true });
      memory.deleteSnapshot(handle);
    },
  };
}
