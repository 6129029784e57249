/**
 * @quiesce/functions — the function registry (`register()`, like database/sql drivers), Kanister's
 * argument decoding helpers, the output parser and Kanister's TemplateParams.
 * @packageDocumentation
 */
export { duration, looseBool, looseInt, looseString, nameList, podOverride, stringList, stringMap } from "./args.js";
export {
  type ArgsSchema,
  DEFAULT_FUNCTION_VERSION,
  defineFunction,
  type FunctionContext,
  type FunctionDefinition,
  type FunctionOutput,
  type KanisterFunction,
  type ProgressUpdate,
} from "./define-function.js";
export { evaluateJsonPath, goPrint, jsonPathToString, resolveJsonPathArgs } from "./jsonpath.js";
export { type OutputParserOptions, PHASE_OUTPUT_MARKER, PhaseOutputParser, parsePhaseOutputs } from "./output-parser.js";
export { createRegistry, FunctionRegistry, globalRegistry, register } from "./registry.js";
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
  type WorkloadParams,
} from "./template-params.js";
