/**
 * @quiesce/template — Go text/template (Kanister/KubeStash dialect with sprig functions and
 * `missingkey=error`), a strict mustache engine, `${VAR:=default}` substitution, and deep
 * rendering of argument trees.
 * @module @quiesce/template
 * @packageDocumentation
 */

export type { RenderBounds, TemplateOptions } from "./api.js";
export {
  compile,
  createEngineRegistry,
  DEFAULT_LIMITS,
  globalEngineRegistry,
  registerEngine,
  withBounds,
} from "./api.js";
export type { ResolvedLimits } from "./budget.js";
export { BudgetExceeded, RenderBudget, resolveLimits } from "./budget.js";
export type {
  CompiledTemplate,
  EngineCompileOptions,
  RenderOptions,
  TemplateDialect,
  TemplateEngine,
  TemplateLimits,
} from "./engine.js";
export { EngineRegistry } from "./engine.js";
export type { TemplateEnvironment } from "./environment.js";
export { createTemplateEnvironment } from "./environment.js";
export type { TemplateErrorInfo } from "./errors.js";
export { TemplateError } from "./errors.js";
export type { FuncMap, TemplateFunction } from "./functions.js";
export { GoArgError, GoFuncError } from "./go/call-error.js";
export type { ExecLimits } from "./go/exec-state.js";
export { formatValue, sprint, sprintf, sprintln } from "./go/fmt.js";
export {
  GoNamed,
  GoNil,
  GoPointer,
  GoStruct,
  goStringMap,
  goTime,
  goTypeOf,
  goValue,
  isGoNil,
  zeroValue,
} from "./go/typed.js";
export { goValueFromJson } from "./go/typed-json.js";
export type {
  GoBasicType,
  GoField,
  GoFieldSpec,
  GoInterfaceType,
  GoMapType,
  GoMethodImpl,
  GoPointerType,
  GoSliceType,
  GoStructType,
  GoTimeType,
  GoType,
  GoTypeBase,
  GoTypeKind,
  GoTypeMethods,
} from "./go/types.js";
export { GoRawJson, goTypes, mapOf, namedType, pointerTo, sliceOf, structType } from "./go/types.js";
export type { GoKind, GoMethodHost } from "./go/values.js";
export { goTypeName, isTrue, kindOf } from "./go/values.js";
export { goEngine } from "./go-engine.js";
export { mustacheEngine } from "./mustache-engine.js";
export { render } from "./render.js";
export { renderArgs } from "./render-args.js";
export type { CivilTime } from "./sprig/civil.js";
export { GoTime, kanisterFunctions, SPRIG_V3_ONLY, sprigFunctions } from "./sprig/index.js";
export { substituteVars } from "./substitute.js";
