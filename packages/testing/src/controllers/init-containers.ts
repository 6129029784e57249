/** Runs a pod's init containers one after another, as the kubelet does before starting its containers. */
import type { StoredObject } from "../api/seams.js";
import type { PodSandbox } from "../runtime/sandboxes.js";
import type { ContainerRuntime } from "../runtime/types.js";
import { type ContainerStatus, setCondition, statusOf } from "./pod-status.js";
import { timestamp } from "./util.js";

export type InitOutcome = "done" | "failed" | "aborted";

/** The `initContainerStatuses` entry of `name`, created when absent. */
function initStatus(pod: StoredObject, name: string, image: string): ContainerStatus {
  const status = statusOf(pod);
  const list = (
    Array.isArray(status.initContainerStatuses) ? status.initContainerStatuses : []
  ) as ContainerStatus[];
  status.initContainerStatuses = list;
  let entry = list.find((c) => c.name === name);
  if (!entry) {
    entry = {
      name,
      image,
      imageID: image,
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason: "PodInitializing" } },
      lastState: {},
    };
    list.push(entry);
  }
  return entry;
}

/**
 * Runs each init container's main process to its end. A container with nothing to run completes at
 * once. A failure is retried (with a doubling delay) unless `restartPolicy` is Never, in which case
 * the pod fails. A sidecar (an init container with `restartPolicy: Always`, named in `sidecars`) is
 * started and keeps running beside the pod's containers while the next init container runs.
 */
export async function runInitContainers(
  runtime: ContainerRuntime,
  sandbox: PodSandbox,
  restartPolicy: string,
  backoffMs: number,
  update: (change: (pod: StoredObject) => void) => void,
  sidecars: ReadonlySet<string> = new Set(),
): Promise<InitOutcome> {
  const signal = sandbox.controller.signal;
  const inits = sandbox.info.initContainers ?? [];
  for (const info of inits) {
    const entry = sandbox.containers.get(info.container);
    if (!entry) continue;
    if (sidecars.has(info.container)) {
      const startedAt = timestamp();
      entry.state = "running";
      update((p) => {
        const s = initStatus(p, info.container, info.image);
        s.state = { running: { startedAt } };
        s.started = true;
        s.ready = true;
      });
      const append = (chunk: Uint8Array) => entry.log.append(chunk);
      void runtime.run(info, { stdout: append, stderr: append }, signal)?.then(({ exitCode }) => {
        entry.state = "terminated";
        entry.log.end();
        if (signal.aborted) return;
        update((p) => {
          const s = initStatus(p, info.container, info.image);
          s.state = { terminated: { exitCode, reason: exitCode === 0 ? "Completed" : "Error", startedAt } };
          s.started = false;
          s.ready = false;
        });
      });
      continue;
    }
    for (let attempt = 0; ; attempt++) {
      const startedAt = timestamp();
      entry.state = "running";
      update((p) => {
        const s = initStatus(p, info.container, info.image);
        s.state = { running: { startedAt } };
        s.started = true;
        s.restartCount = attempt;
        setCondition(p, "Initialized", false, "ContainersNotInitialized");
      });
      const append = (chunk: Uint8Array) => entry.log.append(chunk);
      const process = runtime.run(info, { stdout: append, stderr: append }, signal);
      const exitCode = process ? (await process).exitCode : 0;
      entry.state = "terminated";
      entry.log.end();
      if (signal.aborted) return "aborted";
      const finishedAt = timestamp();
      update((p) => {
        const s = initStatus(p, info.container, info.image);
        s.state = {
          terminated: { exitCode, reason: exitCode === 0 ? "Completed" : "Error", startedAt, finishedAt },
        };
        s.started = false;
        s.ready = exitCode === 0;
        if (exitCode !== 0 && restartPolicy === "Never") {
          statusOf(p).phase = "Failed";
          setCondition(p, "Initialized", false, "ContainersNotInitialized");
        }
      });
      if (exitCode === 0) break;
      if (restartPolicy === "Never") return "failed";
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, backoffMs * 2 ** attempt)));
      if (signal.aborted) return "aborted";
      entry.log.reopen();
    }
  }
  return "done";
}
