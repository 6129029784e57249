/** Starts the local cluster's controllers and kubelet over one store, and the PodIO the API server serves. */
import { type Logger, toLogger } from "@quiesce/core";
import type { ObjectStore, PodIO } from "../api/seams.js";
import type { LocalCsiDriver } from "../csi/driver.js";
import { type LocalCsiOptions, startCsi } from "../csi/index.js";
import { createPodIO } from "../runtime/pod-io.js";
import { Sandboxes } from "../runtime/sandboxes.js";
import type { ContainerRuntime } from "../runtime/types.js";
import type { Controller } from "./controller.js";
import { createDaemonSetController } from "./daemonset-controller.js";
import { createDeploymentController } from "./deployment-controller.js";
import { createJobController } from "./job-controller.js";
import type { NodeFaults } from "./node-faults.js";
import { PodController, type PodControllerOptions } from "./pod-controller.js";
import { createPvcController } from "./pvc-controller.js";
import { createReplicaSetController } from "./replicaset-controller.js";
import { createStatefulSetController } from "./statefulset-controller.js";
import { coreTypes } from "./util.js";

/** Timing and addressing of the simulated node. */
export interface ControllerOptions {
  /** Delay between a pod being scheduled and its containers starting (default 20 ms). */
  podStartDelayMs?: number;
  /** Delay between a container starting and becoming Ready (default 10 ms). */
  readyDelayMs?: number;
  /** Delay between a deleted pod's containers stopping and the pod disappearing (default 10 ms). */
  terminationDelayMs?: number;
  /** status.podIP of every pod (default 127.0.0.1, so HTTP hooks reach servers on loopback). */
  podIP?: string;
  /** status.hostIP (default 127.0.0.1). */
  hostIP?: string;
  /** spec.nodeName given to pods (default "quiesce-local"). */
  nodeName?: string;
  /** Images that fail to pull; default: images whose tag is `does-not-exist` or that start with `invalid.example/`. */
  imagePullFailures?: (image: string) => boolean;
  /** Bytes of log kept per container (default 4 MiB, the newest). */
  logLimitBytes?: number;
  /** First container restart delay for restartPolicy Always/OnFailure (default 50 ms, doubling, at most 5 s). */
  restartBackoffMs?: number;
  /**
   * Volume snapshots: the snapshot controller, the local CSI driver's sidecar and its restore
   * provisioner run when the store serves the snapshot.storage.k8s.io/v1 CRDs, unless `false`.
   */
  csi?: LocalCsiOptions | false;
  logger?: Logger;
  /** Fault injection the kubelet consults (a lost node, deletions held in Terminating). */
  faults?: NodeFaults;
}

/** The default bad-image rule. */
export function defaultImagePullFailure(image: string): boolean {
  return /:does-not-exist$/.test(image) || image.startsWith("invalid.example/");
}

/** Running controllers. */
export interface RunningControllers {
  podIO: PodIO;
  /** The local CSI driver, when volume snapshots are served. */
  csi?: LocalCsiDriver;
  /** Stops controllers, then every container and exec session. */
  stop(): Promise<void>;
}

/**
 * Starts the pod lifecycle (kubelet), ReplicaSet, Deployment, StatefulSet, DaemonSet, Job and PVC
 * controllers, and the volume snapshot controllers when the store serves the snapshot CRDs.
 *
 * @example
 * ```ts
 * const store = createObjectStore();
 * const controllers = startControllers(store, createScriptedRuntime(), { podStartDelayMs: 0 });
 * // … create objects in the store …
 * await controllers.stop();
 * ```
 */
export function startControllers(
  store: ObjectStore,
  runtime: ContainerRuntime,
  options: ControllerOptions = {},
): RunningControllers {
  const logger = toLogger(options.logger);
  const types = coreTypes(store);
  const sandboxes = new Sandboxes();
  const podOptions: PodControllerOptions = {
    podStartDelayMs: options.podStartDelayMs ?? 20,
    readyDelayMs: options.readyDelayMs ?? 10,
    terminationDelayMs: options.terminationDelayMs ?? 10,
    podIP: options.podIP ?? "127.0.0.1",
    hostIP: options.hostIP ?? "127.0.0.1",
    nodeName: options.nodeName ?? "quiesce-local",
    imagePullFailure: options.imagePullFailures ?? defaultImagePullFailure,
    logLimitBytes: options.logLimitBytes ?? 4 * 1024 * 1024,
    restartBackoffMs: options.restartBackoffMs ?? 50,
    logger,
    faults: options.faults,
  };
  const kubelet = new PodController(store, types, runtime, sandboxes, podOptions);
  const csi =
    options.csi === false
      ? undefined
      : startCsi(store, types, runtime.volumeSnapshots, options.csi ?? {}, logger);
  const controllers: Controller[] = [
    createPvcController(store, types, logger, (claim) => csi?.provisions(claim) ?? false),
    createReplicaSetController(store, types, logger),
    createDeploymentController(store, types, logger),
    createStatefulSetController(store, types, logger),
    createJobController(store, types, logger),
  ];
  const daemonsets = createDaemonSetController(store, types, logger);
  if (daemonsets) controllers.push(daemonsets);
  kubelet.start();
  for (const c of controllers) c.start();
  return {
    podIO: createPodIO(sandboxes, runtime),
    ...(csi ? { csi: csi.driver } : {}),
    async stop() {
      for (const c of controllers) c.stop();
      await csi?.stop();
      await kubelet.stop();
    },
  };
}
