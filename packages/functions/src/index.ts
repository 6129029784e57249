/**
 * @quiesce/functions — the function registry (`register()`, like database/sql drivers), Kanister's
 * argument decoding helpers, the output parser, the Blueprint model and validation, Kanister's
 * TemplateParams, and the Blueprint action runner. The built-in functions register through
 * `@quiesce/functions/builtins`.
 * @module @quiesce/functions
 * @packageDocumentation
 */
export {
  duration,
  looseBool,
  looseInt,
  looseString,
  nameList,
  optionalBool,
  optionalString,
  podOverride,
  stringList,
  stringMap,
} from "./args.js";
export type { BlueprintIssue } from "./blueprint/issues.js";
export type { KanisterVerdict } from "./blueprint/kanister-verdict.js";
export { type LoadedBlueprint, loadBlueprint, UNNAMED_DEFER_PHASE } from "./blueprint/load.js";
export {
  ArtifactSchema,
  type Blueprint,
  type BlueprintAction,
  BlueprintActionSchema,
  type BlueprintArtifact,
  type BlueprintInput,
  type BlueprintPhase,
  BlueprintPhaseSchema,
  BlueprintSchema,
  type ObjectReference,
  ObjectReferenceSchema,
} from "./blueprint/schema.js";
export { type BlueprintValidation, type ValidateOptions, validateBlueprint } from "./blueprint/validate.js";
export { DEFAULT_ENCRYPTION_KEY } from "./data/restic.js";
export {
  type ArgsSchema,
  DEFAULT_FUNCTION_VERSION,
  defineFunction,
  type FunctionContext,
  type FunctionDefinition,
  type FunctionLookup,
  type FunctionOutput,
  type KanisterFunction,
  type ProgressUpdate,
} from "./define-function.js";
export * as kanisterGoTypes from "./go-params/kanister-types.js";
export * as kubeGoTypes from "./go-params/kube-types.js";
export {
  configMapGoValue,
  kanisterTemplateData,
  profileGoValue,
  secretGoValue,
} from "./go-params/template-data.js";
export { formatRFC3339Nano, type Instant, preciseNow, RFC3339_NANO } from "./go-time.js";
export { evaluateJsonPath, goPrint, jsonPathToString, resolveJsonPathArgs } from "./jsonpath.js";
export {
  type OutputParserOptions,
  PHASE_OUTPUT_MARKER,
  PhaseOutputParser,
  parsePhaseOutputs,
} from "./output-parser.js";
export { type LoadProfileOptions, loadProfile, profileFromResource } from "./profile/load.js";
export { isProfileRef, type ProfileInput } from "./profile/resolve.js";
export {
  type CredentialType,
  CredentialTypes,
  type LocationType,
  LocationTypes,
  type Profile,
  type ProfileCredential,
  type ProfileKeyPair,
  type ProfileKopiaServerCreds,
  type ProfileLocation,
  type ProfileRef,
  SecretTypes,
} from "./profile/types.js";
export { validateProfile } from "./profile/validate.js";
export { type AnyFunction, createRegistry, FunctionRegistry, globalRegistry, register } from "./registry.js";
export {
  type ActionRecordPayload,
  BLUEPRINT_ACTION_SESSION,
  profileWithoutCredentials,
  type RecordedDefer,
  type RecordedPhase,
} from "./runner/action-record.js";
export { type BlueprintEventMap, BlueprintEvents, type PhaseEventBase } from "./runner/events.js";
export { DEFAULT_DEFER_TIMEOUT_MS } from "./runner/options.js";
export { type RecoverActionOptions, recoverBlueprintAction } from "./runner/recover-action.js";
export type { ActionResult, PhaseResult, PhaseStatus } from "./runner/result.js";
export {
  PHASE_TIMEOUT_ANNOTATION,
  type RunActionOptions,
  runBlueprintAction,
} from "./runner/run-action.js";
export type { SecretScope } from "./secrets.js";
export {
  type Artifact,
  buildTemplateParams,
  type ConfigMapParams,
  emptyTemplateParams,
  type NamedObjectRef,
  type PhaseParams,
  type SecretParams,
  type Subject,
  type TemplateParams,
  type TemplateParamsOptions,
  UNINITIALISED_PHASE,
  type WorkloadParams,
} from "./template-params.js";
