/**
 * @quiesce/testing — an embedded Kubernetes cluster for tests: {@link startLocalCluster} runs an
 * API server on 127.0.0.1 speaking the real wire protocol (REST, watch, patch, exec and log over
 * WebSocket), controllers for Deployments, ReplicaSets, StatefulSets, Jobs and pods, a pluggable
 * container runtime (scripted handlers, or host processes), and fault injection.
 *
 * @example
 * ```ts
 * import { startLocalCluster } from "@quiesce/testing";
 * await using lc = await startLocalCluster({ podStartDelayMs: 0, readyDelayMs: 0 });
 * lc.runtime.onExec({ command: "pg_isready" }, () => ({ stdout: "accepting connections\n" }));
 * await lc.apply("apiVersion: v1\nkind: Pod\nmetadata: { name: db }\nspec: { containers: [{ name: db, image: postgres }] }");
 * ```
 * @module @quiesce/testing
 * @packageDocumentation
 */

export type {
  ApiServer,
  ApiServerOptions,
  ExecDropMatch,
  ExecFault,
  ExecFaultState,
  ExecRequest,
  ExecStreams,
  FaultHandle,
  FaultMatch,
  FaultRule,
  FaultVerb,
  GracefulDeletionHook,
  HistoryExpirer,
  KubeconfigOptions,
  ListSelectors,
  LocalObjectStore,
  LogRequest,
  NodeFaultListener,
  ObjectStore,
  ObjectStoreOptions,
  PodIO,
  RequestRecord,
  ResourceType,
  StatusBody,
  StatusCause,
  StoredMeta,
  StoredObject,
  TerminationMatch,
  WatchEvent,
  WatchEventType,
} from "./api/index.js";
export {
  ApiStatusError,
  builtinResourceTypes,
  createApiServer,
  createFaults,
  createObjectStore,
  Faults,
  kubeconfigFor,
  LOCAL_CONTEXT,
} from "./api/index.js";
export type { ApplyOptions, Manifest, ManifestInput } from "./apply.js";
export { applyManifests, deleteManifests, parseManifests } from "./apply.js";
export type { ControllerOptions, RunningControllers } from "./controllers/manager.js";
export { defaultImagePullFailure, startControllers } from "./controllers/manager.js";
export type { NodeFaults } from "./controllers/node-faults.js";
export { PodGoneError } from "./controllers/pod-errors.js";
export { SNAPSHOT_API_VERSION, SNAPSHOT_GROUP, snapshotCrds } from "./csi/crds.js";
export type { CsiCall, CsiFaultRule, CsiSnapshotInfo, GrpcCode, LocalCsiDriver } from "./csi/driver.js";
export { LOCAL_CSI_DRIVER, type LocalCsiOptions } from "./csi/index.js";
export type { SelfSignedCertificate } from "./http/self-signed.js";
export { selfSignedCertificate } from "./http/self-signed.js";
export type { LocalCluster, LocalClusterOptions } from "./local-cluster.js";
export { startLocalCluster } from "./local-cluster.js";
export { RESTIC_TAG, resticTestsUnavailable } from "./restic-tests.js";
export type { EmitBytesOptions } from "./runtime/emit-bytes.js";
export { emitBytes } from "./runtime/emit-bytes.js";
export type { Handler, HandlerContext, HandlerMatch, HandlerResult } from "./runtime/handlers.js";
export type { IsolatedMount, IsolationRule } from "./runtime/isolation.js";
export { isolationAvailable } from "./runtime/isolation.js";
export type { PodFiles } from "./runtime/memory-files.js";
export type { ProcessRuntime, ProcessRuntimeOptions } from "./runtime/process.js";
export { createProcessRuntime } from "./runtime/process.js";
export type { ScriptableRuntime } from "./runtime/scripted.js";
export { createScriptedRuntime, UNSCRIPTED_EXIT_CODE } from "./runtime/scripted.js";
export type {
  ContainerInfo,
  ContainerRuntime,
  ExecIO,
  MountInfo,
  PodInfo,
  ProcessExit,
  ProcessOutput,
  VolumeSnapshots,
} from "./runtime/types.js";
export {
  KANISTER_PROFILE_CRD,
  type KanisterProfileOptions,
  kanisterProfileManifests,
} from "./s3/kanister-profile.js";
export type { ObjectStoreServer, ObjectStoreServerOptions } from "./s3/object-store.js";
export { startObjectStore } from "./s3/object-store.js";
export { type ResticRun, runResticOnHost } from "./s3/restic-host.js";
export { takeLeaseOver } from "./take-lease.js";
export { yamlAliasBomb, yamlOversize } from "./yaml-attacks.js";
