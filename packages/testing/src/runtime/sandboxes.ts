/** Live state of the pods whose containers the local cluster runs: shared by the pod controller and PodIO. */
import type { LogBuffer } from "./log-buffer.js";
import type { ContainerInfo, PodInfo } from "./types.js";

export type ContainerRunState = "waiting" | "running" | "terminated";

export interface ContainerSandbox {
  info: ContainerInfo;
  log: LogBuffer;
  state: ContainerRunState;
}

/** One pod's running containers, its exec sessions' shared signal, and its logs. */
export interface PodSandbox {
  uid: string;
  info: PodInfo;
  /** Aborted when the pod is deleted or the cluster stops: ends main processes and exec sessions. */
  controller: AbortController;
  containers: Map<string, ContainerSandbox>;
  /** Exec sessions and main processes in flight, awaited before the pod's state is released. */
  processes: Set<Promise<unknown>>;
}

/** Sandboxes by `namespace/name`. */
export class Sandboxes {
  readonly #byKey = new Map<string, PodSandbox>();

  get(namespace: string, name: string, uid?: string): PodSandbox | undefined {
    const sandbox = this.#byKey.get(`${namespace}/${name}`);
    return sandbox && (uid === undefined || sandbox.uid === uid) ? sandbox : undefined;
  }

  set(sandbox: PodSandbox): void {
    this.#byKey.set(`${sandbox.info.namespace}/${sandbox.info.pod}`, sandbox);
  }

  remove(sandbox: PodSandbox): void {
    const key = `${sandbox.info.namespace}/${sandbox.info.pod}`;
    if (this.#byKey.get(key) === sandbox) this.#byKey.delete(key);
  }

  all(): PodSandbox[] {
    return [...this.#byKey.values()];
  }

  /** Tracks a process so teardown can wait for it. */
  track(sandbox: PodSandbox, process: Promise<unknown>): void {
    const settled = process.then(
      () => undefined,
      () => undefined,
    );
    sandbox.processes.add(settled);
    void settled.then(() => sandbox.processes.delete(settled));
  }
}
