/** The one place this package calls @quiesce/template (Kanister dialect: Go text/template + sprig, missingkey=error). */
import {
  compile,
  type RenderBounds,
  render,
  renderArgs,
  type TemplateOptions,
  withBounds,
} from "@quiesce/template";
import { kanisterTemplateData } from "./go-params/template-data.js";
import { kanisterRenderError } from "./kanister-render-error.js";
import type { TemplateParams } from "./template-params.js";

export type { RenderBounds };

// One options object per use, so @quiesce/template's compiled-template cache is reused across calls.
// Kanister's function set: sprig v2.22.0 wrapped by pkg/ksprig (pkg/param/render.go renderStringArg).
// Kanister names every template it renders "config" (pkg/param/render.go, pkg/function/wait.go), so
// Go's errors read `template: config:1:3: executing "config" at <…>`.
const ARGS: TemplateOptions = Object.freeze({ name: "config", dialect: "kanister" });
const TEXT: TemplateOptions = Object.freeze({ name: "config", dialect: "kanister" });
const CONDITION: TemplateOptions = Object.freeze({
  name: "config",
  missingKey: "zero",
  dialect: "kanister",
});

/** Renders every string (and map key) of an argument tree against Kanister's Go-typed parameters. */
export function renderTree(value: unknown, params: TemplateParams, bounds?: RenderBounds): unknown {
  if (!isTemplated(value)) return value;
  try {
    return renderArgs(value, kanisterTemplateData(params), withBounds(ARGS, bounds));
  } catch (err) {
    throw kanisterRenderError(err);
  }
}

/** Renders one template string against Kanister's Go-typed parameters. */
export function renderString(source: string, params: TemplateParams, bounds?: RenderBounds): string {
  if (!source.includes("{{")) return source;
  try {
    return render(source, kanisterTemplateData(params), withBounds(TEXT, bounds));
  } catch (err) {
    throw kanisterRenderError(err);
  }
}

/**
 * Renders a Wait condition with `missingkey=zero`, as Kanister does: a field the object does not
 * have (yet) prints `<no value>` instead of failing, so the condition is simply not "true".
 */
export function renderCondition(source: string, data: unknown, bounds?: RenderBounds): string {
  return render(source, data, withBounds(CONDITION, bounds));
}

/** The parse error of `source`, or undefined when it compiles. */
export function templateSyntaxError(source: string): Error | undefined {
  if (!source.includes("{{")) return undefined;
  try {
    compile(source, TEXT);
    return undefined;
  } catch (err) {
    return err as Error;
  }
}

/** The function a parse error says is not defined (`function "toRawJson" not defined`), if any. */
export function undefinedFunction(err: Error): string | undefined {
  return /function "([^"]+)" not defined/.exec(err.message)?.[1];
}

/** True when a value (deeply) holds a template action. */
export function isTemplated(value: unknown): boolean {
  if (typeof value === "string") return value.includes("{{");
  if (Array.isArray(value)) return value.some(isTemplated);
  if (value !== null && typeof value === "object") {
    return Object.entries(value).some(([k, v]) => k.includes("{{") || isTemplated(v));
  }
  return false;
}
