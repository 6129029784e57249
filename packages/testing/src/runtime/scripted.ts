/** The scripted container runtime (the default): containers do what the test's handlers say. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { type Handler, type HandlerMatch, HandlerRegistry, runHandler } from "./handlers.js";
import { MemoryVolumes, type PodFiles } from "./memory-files.js";
import type {
  ContainerInfo,
  ContainerRuntime,
  ExecIO,
  PodInfo,
  ProcessExit,
  ProcessOutput,
  VolumeSnapshots,
} from "./types.js";

/** A runtime that tests can script: `onExec` answers exec sessions, `onRun` plays containers' main processes. */
export interface ScriptableRuntime extends ContainerRuntime {
  /**
   * Answers exec sessions matching `match` (the latest registration wins). Returns an undo function.
   * @example
   * ```ts
   * lc.runtime.onExec({ container: "db", command: /^pg_dump/ }, () => ({ stdout: "dump\n" }));
   * ```
   */
  onExec(match: HandlerMatch, handler: Handler): () => void;
  /**
   * Plays the main process of containers matching `match`; the container ends with the handler's
   * exit code. Containers without a handler run until their pod is deleted. Returns an undo function.
   */
  onRun(match: HandlerMatch, handler: Handler): () => void;
  /** The in-memory files handlers see in a pod (PVC paths shared between pods of one claim). */
  files(namespace: string, podUid: string, mounts?: ContainerInfo["mounts"]): PodFiles;
  /**
   * The in-memory files of a PVC as scripted handlers see them under its mount path, rooted at "/"
   * (e.g. to seed a claim before a restore, or to check what a backup wrote).
   */
  claimFiles(namespace: string, claim: string): PodFiles;
}

const encoder = new TextEncoder();

/** Snapshots of in-memory claims: a copy of every file of the claim. */
export function memorySnapshots(volumes: MemoryVolumes): VolumeSnapshots {
  return {
    async snapshotClaim(namespace, claim, handle) {
      volumes.snapshotClaim(namespace, claim, handle);
    },
    async restoreClaim(handle, namespace, claim) {
      if (!volumes.restoreClaim(handle, namespace, claim)) throw noSnapshot(handle);
    },
    async deleteSnapshot(handle) {
      volumes.deleteSnapshot(handle);
    },
  };
}

/** The error of a restore from a snapshot the runtime does not hold. */
export function noSnapshot(handle: string): QuiesceError {
  return new QuiesceError(ErrorCodes.VALIDATION, `the runtime holds no data for snapshot ${handle}`, {
    details: { handle },
  });
}

/** The stderr text of an exec nobody scripted, so test authors know what to register. */
export function unscriptedMessage(container: ContainerInfo, argv: readonly string[]): string {
  return `quiesce local cluster: no scripted handler for "${argv.join(" ")}" in ${container.pod}/${container.container}\n`;
}

/** Exit code of an exec with no handler (like a command that cannot be run). */
export const UNSCRIPTED_EXIT_CODE = 126;

/**
 * Creates the scripted runtime.
 *
 * @example
 * ```ts
 * const runtime = createScriptedRuntime();
 * runtime.onExec({ command: "echo hi" }, () => ({ stdout: "hi\n" }));
 * const lc = await startLocalCluster({ runtime });
 * ```
 */
export function createScriptedRuntime(): ScriptableRuntime {
  const execs = new HandlerRegistry();
  const runs = new HandlerRegistry();
  const volumes = new MemoryVolumes();
  return {
    name: "scripted",
    onExec: (match, handler) => execs.add(match, handler),
    onRun: (match, handler) => runs.add(match, handler),
    files: (namespace, podUid, mounts = []) => volumes.podFiles(namespace, podUid, mounts),
    claimFiles: (namespace, claim) => volumes.claimFiles(namespace, claim),
    volumeSnapshots: memorySnapshots(volumes),
    run(
      container: ContainerInfo,
      output: ProcessOutput,
      signal: AbortSignal,
    ): Promise<ProcessExit> | undefined {
      const handler = runs.find(container, container.argv);
      if (!handler) return undefined;
      const files = volumes.podFiles(container.namespace, container.podUid, container.mounts);
      return runHandler(handler, container, container.argv, output, files, signal);
    },
    async exec(
      container: ContainerInfo,
      argv: readonly string[],
      io: ExecIO,
      signal: AbortSignal,
    ): Promise<ProcessExit> {
      const handler = execs.find(container, argv);
      if (!handler) {
        await io.stderr(encoder.encode(unscriptedMessage(container, argv)));
        return { exitCode: UNSCRIPTED_EXIT_CODE };
      }
      const files = volumes.podFiles(container.namespace, container.podUid, container.mounts);
      return runHandler(handler, container, argv, io, files, signal);
    },
    stopPod(pod: PodInfo) {
      volumes.releasePod(
        pod.podUid,
        [...pod.containers, ...(pod.initContainers ?? [])].flatMap((c) => c.mounts),
      );
    },
  };
}
