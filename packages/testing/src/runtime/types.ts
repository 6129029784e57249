/** The container runtime contract of the local cluster: how a container's main process and exec sessions run. */

/** A volume mount of a container, resolved against the pod's volumes. */
export interface MountInfo {
  /** The pod volume's name. */
  name: string;
  mountPath: string;
  readOnly: boolean;
  /** Set when the volume is a persistentVolumeClaim. */
  claimName?: string;
}

/** What a runtime knows about one container of a pod. */
export interface ContainerInfo {
  namespace: string;
  pod: string;
  podUid: string;
  container: string;
  image: string;
  /** command + args of the container spec (empty when the image's default would run). */
  argv: string[];
  /** Environment from the container spec (`value` entries; references resolved where possible). */
  env: Record<string, string>;
  workingDir?: string;
  mounts: MountInfo[];
}

/** Output sinks of a process. A sink may return a promise: the writer awaits it (backpressure). */
export interface ProcessOutput {
  stdout(chunk: Uint8Array): void | Promise<void>;
  stderr(chunk: Uint8Array): void | Promise<void>;
}

/** Streams of an exec session. */
export interface ExecIO extends ProcessOutput {
  /** Stdin from the client; absent when stdin was not requested. */
  stdin?: AsyncIterable<Uint8Array> | undefined;
}

/** The end of a process. */
export interface ProcessExit {
  exitCode: number;
}

/**
 * A container runtime. The local cluster calls `startPod` once per pod before its containers start,
 * `run` for each container's main process, `exec` for exec sessions, and `stopPod` when the pod goes.
 * Every process must end promptly when its `signal` aborts.
 */
export interface ContainerRuntime {
  /** A short name, e.g. "scripted" or "process". */
  readonly name: string;
  /** Prepares per-pod state (directories, in-memory files). */
  startPod?(pod: PodInfo): Promise<void> | void;
  /**
   * Starts a container's main process. Returns `undefined` when there is nothing to run (no handler,
   * no command): the container then runs until its pod is deleted.
   */
  run(container: ContainerInfo, output: ProcessOutput, signal: AbortSignal): Promise<ProcessExit> | undefined;
  /** Runs a command in a running container. */
  exec(
    container: ContainerInfo,
    argv: readonly string[],
    io: ExecIO,
    signal: AbortSignal,
  ): Promise<ProcessExit>;
  /** Releases per-pod state once all its processes have ended. */
  stopPod?(pod: PodInfo): Promise<void> | void;
  /** Stops everything (the cluster is stopping). */
  close?(): Promise<void> | void;
  /** Point-in-time copies of claims' data, taken and restored by the local CSI driver. */
  readonly volumeSnapshots?: VolumeSnapshots;
}

/**
 * What the local CSI driver asks of a runtime to make a snapshot hold data: a copy of a claim's files
 * as they are at that moment, and a claim that starts with such a copy. A runtime without it still
 * gets snapshots (the API objects), only without data.
 */
export interface VolumeSnapshots {
  /** Copies the claim's current files under `handle` (an empty copy when the claim holds none). */
  snapshotClaim(namespace: string, claim: string, handle: string): Promise<void>;
  /** Replaces the claim's files with the copy under `handle`; rejects when there is no such copy. */
  restoreClaim(handle: string, namespace: string, claim: string): Promise<void>;
  /** Drops the copy under `handle` (nothing happens when there is none). */
  deleteSnapshot(handle: string): Promise<void>;
}

/** A pod as the runtime sees it. */
export interface PodInfo {
  namespace: string;
  pod: string;
  podUid: string;
  containers: ContainerInfo[];
  /** Init containers, run one after another before `containers` start. */
  initContainers?: ContainerInfo[];
}
