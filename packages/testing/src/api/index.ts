/**
 * The local API server's building blocks: the object store, the HTTP/WebSocket server, fault
 * injection, selectors, and the kubeconfig writer. `startLocalCluster()` composes them.
 */

export type {
  ExecDropMatch,
  ExecFault,
  ExecFaultState,
  FaultHandle,
  FaultMatch,
  FaultRule,
  FaultVerb,
  HistoryExpirer,
  NodeFaultListener,
  RequestRecord,
  TerminationMatch,
} from "../faults/faults.js";
export { createFaults, Faults } from "../faults/faults.js";
export type { SelfSignedCertificate } from "../http/self-signed.js";
export { selfSignedCertificate } from "../http/self-signed.js";
export type { ApiServer, ApiServerOptions } from "../http/server.js";
export { createApiServer } from "../http/server.js";
export { applyJsonPatch } from "../patch/json-patch.js";
export { applyMergePatch } from "../patch/merge-patch.js";
export { applyStrategicMergePatch } from "../patch/strategic-merge-patch.js";
export type { FieldRequirement } from "../selectors/field-selector.js";
export { matchesFieldSelector, parseFieldSelector } from "../selectors/field-selector.js";
export type { LabelRequirement, LabelSelector } from "../selectors/label-selector.js";
export {
  formatSelectorObject,
  fromSelectorObject,
  matchesLabelSelector,
  parseLabelSelector,
} from "../selectors/label-selector.js";
export { apiVersionOf, builtinResourceTypes } from "../store/builtin-types.js";
export type { LocalObjectStore, ObjectStoreOptions } from "../store/object-store.js";
export { createObjectStore } from "../store/object-store.js";
export { kubeTimestamp } from "../store/time.js";
export type { StatusBody, StatusCause } from "./errors.js";
export { ApiStatusError } from "./errors.js";
export type { KubeconfigOptions } from "./kubeconfig.js";
export { kubeconfigFor, LOCAL_CONTEXT } from "./kubeconfig.js";
export type * from "./seams.js";
