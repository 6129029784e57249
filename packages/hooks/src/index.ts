/**
 * @quiesce/hooks — KubeStash HookTemplates (schema, references, usage policy, params, sources),
 * Velero hook declarations ({@link loadVeleroHooks}, {@link resolveVeleroBackupHooks}), and the
 * hook lifecycle runner {@link runWithHooks} with KubeStash, K10 and Velero semantics.
 *
 * @example
 * ```ts
 * import { inMemoryTemplates, loadHookTemplate, runWithHooks } from "@quiesce/hooks";
 * const result = await runWithHooks(
 *   {
 *     cluster,
 *     subject: { kind: "StatefulSet", namespace: "demo", name: "db" },
 *     templates: inMemoryTemplates([loadHookTemplate(freezeYaml)]),
 *     hooks: { pre: [{ name: "freeze", hookTemplate: { name: "freeze", namespace: "demo" } }] },
 *   },
 *   async () => ({ copied: true }),
 * );
 * ```
 * @module @quiesce/hooks
 * @packageDocumentation
 */
export type { AttemptSettings } from "./attempts.js";
export type { HookEventInfo, LifecycleEmitter, LifecycleEvents } from "./events.js";
export { createLifecycleEvents } from "./events.js";
export type {
  ExecutionPolicy,
  HookReference,
  HookReferenceInput,
  HookSet,
  LoadedHookReferences,
} from "./hook-reference.js";
export {
  durationStringSchema,
  hookReferenceSchema,
  loadHookReferences,
  parseHookReference,
} from "./hook-reference.js";
export type {
  BlueprintHookSpec,
  FunctionHookSpec,
  HookInvoker,
  HookRetrySettings,
  HookRunContext,
  HookRunOutput,
  HookSpec,
  HookSubject,
  InlineHookSpec,
  KubeStashHookSpec,
  SessionStatusView,
} from "./hook-spec.js";
export type { HookTemplate, ParamDefinition, UsagePolicy } from "./hook-template.js";
export {
  allowedNamespacesSchema,
  hookTemplateSchema,
  loadHookTemplate,
  paramDefinitionSchema,
  usagePolicySchema,
} from "./hook-template.js";
export type { Artifact, HookJournal, JournalEntry } from "./journal.js";
export { InMemoryHookJournal, JsonFileHookJournal } from "./journal.js";
export type { KubeStashSessionRef } from "./kubestash-status.js";
export type { LabelSelector } from "./label-selector.js";
export { labelSelectorSchema, matchesLabelSelector } from "./label-selector.js";
export { runWithHooks } from "./lifecycle.js";
export type { LifecycleHooks, RunWithHooksOptions, Step, StepContext } from "./lifecycle-options.js";
export { INVALID_PARAMS, resolveParams } from "./params.js";
export type { ActionTransformInfo } from "./prepare-settings.js";
export { recoverSessions } from "./recovery/recover-sessions.js";
export {
  createRecoveryEvents,
  type RecoveredSession,
  type RecoverSessionsOptions,
  type RecoveryEmitter,
  type RecoveryEvents,
  type RecoveryReport,
} from "./recovery/recovery-options.js";
export type {
  AttemptRecord,
  DecidedBy,
  HookKind,
  HookPhase,
  HookRecord,
  HookStatus,
  SessionRecordInfo,
  SessionResult,
  SkipReason,
  StepRecord,
  StepTargetRecord,
  TargetRecord,
  VeleroHookStatus,
} from "./result.js";
export type { StepTarget } from "./session/unit.js";
export { hookSummary, KUBESTASH_GROUP } from "./summary.js";
export type { HookTemplateSource, TemplateRef } from "./template-source.js";
export {
  clusterTemplates,
  fileTemplates,
  HOOK_TEMPLATE_NOT_FOUND,
  inMemoryTemplates,
} from "./template-source.js";
export type { UsagePolicyOptions } from "./usage-policy.js";
export { checkUsagePolicy } from "./usage-policy.js";
export type { ResolvedVariables, Variable } from "./variables.js";
export { envVarSourceSchema, resolveVariables, variableSchema } from "./variables.js";
export * from "./velero/index.js";
