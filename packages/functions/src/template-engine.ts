/** The one place this package calls @quiesce/template (Kanister dialect: Go text/template + sprig, missingkey=error). */
import { compile, render, renderArgs, type TemplateOptions } from "@quiesce/template";

// One options object per use, so @quiesce/template's compiled-template cache is reused across calls.
const ARGS: TemplateOptions = Object.freeze({ name: "args" });
const TEXT: TemplateOptions = Object.freeze({ name: "template" });
const CONDITION: TemplateOptions = Object.freeze({ name: "condition", missingKey: "zero" });

/** Renders every string (and map key) of an argument tree. */
export function renderTree(value: unknown, data: unknown): unknown {
  return renderArgs(value, data, ARGS);
}

/** Renders one template string. */
export function renderString(source: string, data: unknown): string {
  return source.includes("{{") ? render(source, data, TEXT) : source;
}

/**
 * Renders a Wait condition with `missingkey=zero`, as Kanister does: a field the object does not
 * have (yet) prints `<no value>` instead of failing, so the condition is simply not "true".
 */
export function renderCondition(source: string, data: unknown): string {
  return render(source, data, CONDITION);
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

/** True when a value (deeply) holds a template action. */
export function isTemplated(value: unknown): boolean {
  if (typeof value === "string") return value.includes("{{");
  if (Array.isArray(value)) return value.some(isTemplated);
  if (value !== null && typeof value === "object") {
    return Object.entries(value).some(([k, v]) => k.includes("{{") || isTemplated(v));
  }
  return false;
}
