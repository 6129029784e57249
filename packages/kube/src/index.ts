/**
 * @quiesce/kube — the Cluster port (the only way quiesce touches Kubernetes) and its adapter on
 * `@kubernetes/client-node`: exec over the v5/v4 channel protocol, pod selection, workload facts,
 * watch-driven scaling and waits, one-off pods and jobs, generic objects, typed errors, retries and
 * client-side rate limiting.
 *
 * @example
 * ```ts
 * import { assertExitZero, connect, pickPod } from "@quiesce/kube";
 * const cluster = connect();
 * const pod = pickPod(await cluster.selectPods("db", { selector: "app=postgres" }));
 * if (pod?.metadata?.name) {
 *   assertExitZero(await cluster.exec({ namespace: "db", pod: pod.metadata.name }, ["pg_isready"]));
 * }
 * ```
 * @module @quiesce/kube
 * @packageDocumentation
 */
export type * from "./cluster.js";
export { type ConnectOptions, connect, connectAdapter, loadKubeConfig } from "./connect.js";
export {
  assertExitZero,
  codeForStatus,
  ExecFailedError,
  ExecTimeoutError,
  KubeApiError,
  type PartialOutput,
  type RequestFacts,
  WorkloadFailedError,
} from "./errors.js";
export {
  DEFAULT_CAPTURE_BYTES,
  DEFAULT_CONTAINER_ANNOTATION,
  DEFAULT_EXEC_TIMEOUT_MS,
  resolveContainer,
} from "./exec.js";
export { EXEC_PROTOCOLS, type ExecConnection } from "./exec-channel.js";
export type { DirectTarget } from "./exec-socket.js";
export {
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  DEFAULT_POD_CHECK_INTERVAL_MS,
  type HeartbeatOptions,
  type ResolvedHeartbeat,
} from "./heartbeat.js";
export { KubeCluster } from "./kube-cluster.js";
export {
  type KubeconfigSearch,
  kubeconfigCandidates,
  loadKubeconfigFiles,
  NO_KUBECONFIG,
} from "./kubeconfig-files.js";
export { trackLeaks } from "./leaks.js";
export { DEFAULT_WAIT_MS } from "./objects.js";
export {
  type CleanupOrphansOptions,
  type CleanupOrphansResult,
  cleanupOrphans,
  type OrphanRef,
} from "./orphans.js";
export { controllerOf, type OwnerLoader, ownedBy } from "./owner-chain.js";
export { isPodReady, pickPod } from "./pick-pod.js";
export { type JsonObject, mergePodOverride } from "./pod-override.js";
export { CONTAINER_PATCH_SCHEMA, POD_SPEC_PATCH_SCHEMA } from "./pod-spec-patch-schema.js";
export {
  canonicalQuantity,
  formatQuantity,
  isZeroQuantity,
  parseQuantity,
  type Quantity,
  type QuantityFormat,
  quantityOf,
  quantityValue,
} from "./quantity.js";
export { type RateLimit, TokenBucket } from "./rate-limiter.js";
export {
  type AttemptFailure,
  isConnectionReset,
  isRetryable,
  parseRetryAfter,
  type RetryPolicy,
  retryDelay,
} from "./retry.js";
export {
  DEFAULT_CONTAINER_NAME,
  DEFAULT_RUN_TIMEOUT_MS,
  jobOutcome,
  MANAGED_BY,
  ONE_OFF_LABEL,
} from "./run.js";
export {
  formatSelector,
  type LabelSelectorObject,
  matchesSelector,
  normalizeSelector,
  parseSelector,
  type SelectorRequirement,
  selectorObjectRequirements,
  selectorObjectToString,
} from "./selector.js";
export * from "./sessions/index.js";
export { type ExecOutcome, execOutcome, type KubeStatus, parseStatus, type StatusCause } from "./status.js";
export {
  type Json,
  type JsonMap,
  OPAQUE_SCHEMA,
  type PatchField,
  type PatchSchema,
  patchSchema,
  strategicMerge,
  stripDirectiveKeys,
} from "./strategic-merge.js";
export { DEFAULT_POD_READY_TIMEOUT_MS } from "./supervise.js";
export { TailBuffer } from "./tail-buffer.js";
export type { ApiRequest, OpenStream, Transport, TransportOptions } from "./transport.js";
export { DEFAULT_SCALE_TIMEOUT_MS, pvcMounts } from "./workloads.js";
