/**
 * @quiesce/executors — KubeStash HookTemplate actions (`exec`, `httpGet`, `httpPost`, `tcpSocket`)
 * run by executor strategies (`Pod`, `Operator`, `Function`, or a host's own) behind one interface.
 * The entry point is {@link runAction}; the schemas (`actionSchema`, `executorSchema`) are the
 * source of truth for the documents' shapes.
 * @module @quiesce/executors
 * @packageDocumentation
 */

export type {
  Action,
  ActionKind,
  ExecAction,
  HttpGetAction,
  HttpPostAction,
  Port,
  TcpSocketAction,
} from "./action-schema.js";
export {
  actionKind,
  actionSchema,
  execActionSchema,
  formEntrySchema,
  httpGetActionSchema,
  httpHeaderSchema,
  httpPostActionSchema,
  portSchema,
  tcpSocketActionSchema,
} from "./action-schema.js";
export {
  builtinExecutors,
  createExecutorRegistry,
  defaultExecutorRegistry,
  registerExecutor,
} from "./default-registry.js";
export { ExecutorErrorCodes } from "./errors.js";
export type {
  ExecutionTarget,
  Executor,
  ExecutorContext,
  FunctionDefinition,
  ResolvedRunSettings,
  TlsOptions,
} from "./executor.js";
export type { EnvVar, ExecutorSpec, FunctionExecutorSpec, PodExecutorSpec } from "./executor-schema.js";
export {
  BUILTIN_EXECUTOR_TYPES,
  envVarSchema,
  executorSchema,
  functionExecutorSpecSchema,
  podExecutorSpecSchema,
  podOwnerSchema,
} from "./executor-schema.js";
export { FUNCTION_RESOURCE, functionExecutor } from "./executors/function.js";
export { operatorExecutor } from "./executors/operator.js";
export { podExecutor } from "./executors/pod.js";
export type {
  ContainerObject,
  ContainerRuntimeSettings,
  PodRuntimeSettings,
  RuntimeSettings,
} from "./executors/runtime-settings.js";
export {
  applyContainerRuntimeSettings,
  applyPodRuntimeSettings,
  containerRuntimeSettingsSchema,
  podRuntimeSettingsSchema,
  runtimeSettingsSchema,
} from "./executors/runtime-settings.js";
export { ExecutorRegistry } from "./registry.js";
export { goTrimSpace, KUBESTASH_TEMPLATE_OPTIONS, renderAction } from "./render.js";
export type {
  ActionRunResult,
  RunStatus,
  TargetKind,
  TargetOutcome,
  TargetResult,
  TargetStatus,
} from "./result.js";
export type { RunActionInput } from "./run-action.js";
export { RUN_ACTION_DEFAULTS, runAction } from "./run-action.js";
export { formatPath, parseAction, parseExecutor } from "./validate.js";
