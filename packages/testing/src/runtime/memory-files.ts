/** In-memory files for scripted containers: a pod's own files plus per-volume stores shared through PVCs. */
import type { MountInfo } from "./types.js";

// Decodes whole files (no streaming state): one for every pod's view, not one per exec.
const decoder = new TextDecoder();

/**
 * A pod's files as scripted handlers see them. Paths are absolute container paths; a path under a
 * PVC mount lives in that claim's store, so two pods mounting one claim see the same files.
 */
export interface PodFiles {
  read(path: string): Uint8Array | undefined;
  readText(path: string): string | undefined;
  write(path: string, data: string | Uint8Array): void;
  remove(path: string): boolean;
  /** Paths under `dir` (default "/"), sorted. */
  list(dir?: string): string[];
}

type Volume = Map<string, Uint8Array>;

function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** Holds every volume's files for one runtime. */
export class MemoryVolumes {
  readonly #volumes = new Map<string, Volume>();
  readonly #snapshots = new Map<string, Volume>();

  #volume(key: string): Volume {
    let volume = this.#volumes.get(key);
    if (!volume) {
      volume = new Map();
      this.#volumes.set(key, volume);
    }
    return volume;
  }

  /** The files view of a pod with the given mounts. */
  podFiles(namespace: string, podUid: string, mounts: readonly MountInfo[]): PodFiles {
    const sorted = mounts
      .map((m) => ({ ...m, mountPath: normalize(m.mountPath) }))
      .sort((a, b) => b.mountPath.length - a.mountPath.length);
    const resolve = (raw: string): { volume: Volume; rel: string; prefix: string } => {
      const path = normalize(raw);
      for (const m of sorted) {
        if (path === m.mountPath || path.startsWith(`${m.mountPath === "/" ? "" : m.mountPath}/`)) {
          const key = m.claimName ? `pvc:${namespace}/${m.claimName}` : `vol:${podUid}/${m.name}`;
          return {
            volume: this.#volume(key),
            rel: normalize(path.slice(m.mountPath.length)),
            prefix: m.mountPath,
          };
        }
      }
      return { volume: this.#volume(`root:${podUid}`), rel: path, prefix: "/" };
    };
    const join = (prefix: string, rel: string) => normalize(`${prefix}/${rel}`);
    return {
      read: (path) => {
        const { volume, rel } = resolve(path);
        return volume.get(rel);
      },
      readText: (path) => {
        const { volume, rel } = resolve(path);
        const data = volume.get(rel);
        return data === undefined ? undefined : decoder.decode(data);
      },
      write: (path, data) => {
        const { volume, rel } = resolve(path);
        volume.set(rel, typeof data === "string" ? new TextEncoder().encode(data) : data);
      },
      remove: (path) => {
        const { volume, rel } = resolve(path);
        return volume.delete(rel);
      },
      list: (dir = "/") => {
        const base = normalize(dir);
        const out = new Set<string>();
        const under = (p: string) => base === "/" || p === base || p.startsWith(`${base}/`);
        const views = [
          { volume: this.#volume(`root:${podUid}`), prefix: "/" },
          ...sorted.map((m) => ({ ...resolve(m.mountPath) })),
        ];
        for (const { volume, prefix } of views) {
          for (const rel of volume.keys()) {
            const full = join(prefix, rel);
            // A root-store path shadowed by a mount is not visible.
            if (prefix === "/" && sorted.some((m) => full.startsWith(`${m.mountPath}/`))) continue;
            if (under(full)) out.add(full);
          }
        }
        return [...out].sort();
      },
    };
  }

  /** The files of one claim, with the claim's root at "/". */
  claimFiles(namespace: string, claim: string): PodFiles {
    return this.podFiles(namespace, `claim:${namespace}/${claim}`, [
      { name: claim, mountPath: "/", readOnly: false, claimName: claim },
    ]);
  }

  /** Copies a claim's files (bytes included) under a snapshot handle. */
  snapshotClaim(namespace: string, claim: string, handle: string): void {
    const copy: Volume = new Map();
    for (const [path, data] of this.#volume(`pvc:${namespace}/${claim}`)) copy.set(path, data.slice());
    this.#snapshots.set(handle, copy);
  }

  /** Replaces a claim's files with a snapshot's; false when there is no snapshot `handle`. */
  restoreClaim(handle: string, namespace: string, claim: string): boolean {
    const snapshot = this.#snapshots.get(handle);
    if (!snapshot) return false;
    const volume = this.#volume(`pvc:${namespace}/${claim}`);
    volume.clear();
    for (const [path, data] of snapshot) volume.set(path, data.slice());
    return true;
  }

  /** Drops a snapshot's files. */
  deleteSnapshot(handle: string): void {
    this.#snapshots.delete(handle);
  }

  /** Drops a pod's own files (its PVC stores stay, like the claims). */
  releasePod(podUid: string, mounts: readonly MountInfo[]): void {
    this.#volumes.delete(`root:${podUid}`);
    for (const m of mounts) if (!m.claimName) this.#volumes.delete(`vol:${podUid}/${m.name}`);
  }
}
