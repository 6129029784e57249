/** The built-in Kanister functions and `registerBuiltins`. */
import { dataFunctions } from "../data/index.js";
import type { FunctionRegistry } from "../registry.js";
import {
  createCSISnapshot,
  createCSISnapshotStatic,
  deleteCSISnapshot,
  deleteCSISnapshotContent,
  restoreCSISnapshot,
} from "./csi/index.js";
import { kubeExec } from "./kube-exec.js";
import { kubeExecAll } from "./kube-exec-all.js";
import { kubeOps } from "./kube-ops.js";
import { kubeTask } from "./kube-task.js";
import { multiContainerRun } from "./multi-container-run.js";
import { prepareData } from "./prepare-data.js";
import { scaleWorkload } from "./scale-workload.js";
import { wait, waitV2 } from "./wait.js";

export {
  backupData,
  backupDataAll,
  backupDataStats,
  checkRepository,
  copyVolumeData,
  DataErrorCodes,
  DEFAULT_ENCRYPTION_KEY,
  dataFunctions,
  deleteData,
  deleteDataAll,
  KANISTER_TOOLS_IMAGE,
  locationDelete,
  restoreData,
  restoreDataAll,
} from "../data/index.js";
export {
  createCSISnapshot,
  createCSISnapshotStatic,
  deleteCSISnapshot,
  deleteCSISnapshotContent,
  restoreCSISnapshot,
  SNAPSHOT_API_MISSING,
  SNAPSHOT_FAILED,
  sanitizeTags,
} from "./csi/index.js";
export { kubeExec } from "./kube-exec.js";
export { createKubeExecAll, type KubeExecAllOptions, kubeExecAll } from "./kube-exec-all.js";
export { type KubeOpsOutput, kubeOps } from "./kube-ops.js";
export { kubeTask } from "./kube-task.js";
export {
  BACKGROUND_CONTAINER,
  INIT_CONTAINER,
  multiContainerRun,
  OUTPUT_CONTAINER,
} from "./multi-container-run.js";
export {
  KANISTER_CREATED_BY,
  labelValueErrors,
  type PodMetadata,
  type PodMetadataProblem,
  podMetadata,
  podMetadataArgs,
  podMetadataProblem,
  qualifiedNameErrors,
} from "./pod-metadata.js";
export { actionPodOverride, type PodOverride } from "./pod-override.js";
export { defaultVolumes, prepareData } from "./prepare-data.js";
export { runTaskPod, type TaskPodOptions } from "./run-task-pod.js";
export { scaleWorkload } from "./scale-workload.js";
export { wait, waitV2 } from "./wait.js";

/** Every built-in function: the data functions and the CSI snapshot functions included (RDS ones are not among them). */
export const builtinFunctions = [
  kubeExec,
  kubeExecAll,
  kubeTask,
  multiContainerRun,
  scaleWorkload,
  prepareData,
  wait,
  waitV2,
  kubeOps,
  createCSISnapshot,
  createCSISnapshotStatic,
  restoreCSISnapshot,
  deleteCSISnapshot,
  deleteCSISnapshotContent,
  ...dataFunctions,
] as const;

/**
 * Registers the built-in functions on `registry`; returns an undo function. Registering them twice
 * on one registry is harmless (same objects).
 *
 * @example
 * ```ts
 * const registry = createRegistry();
 * registerBuiltins(registry);
 * registry.names(); // ["KubeExec", "KubeExecAll", "KubeOps", ...]
 * ```
 */
export function registerBuiltins(registry: FunctionRegistry): () => void {
  const undos = builtinFunctions.map((fn) => registry.register(fn));
  return () => {
    for (const undo of undos) undo();
  };
}
