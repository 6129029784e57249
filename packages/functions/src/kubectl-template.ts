/**
 * Templates as kubectl's go-template printer runs them (k8s.io/cli-runtime pkg/printers
 * template.go), which Kanister's WaitV2 uses for its conditions: the object as JSON, missing keys
 * printing "<no value>", and the printer's two functions `exists` and `base64decode`.
 */
import {
  compile,
  type FuncMap,
  GoFuncError,
  type RenderBounds,
  render,
  type TemplateOptions,
  withBounds,
} from "@quiesce/template";

function isNil(v: unknown): boolean {
  return v === null || v === undefined;
}

/**
 * kubectl's `exists` (pkg/printers/jsonpath.go): true when `index item a b …` would reach a value
 * that is not nil — a list or string index in range, a map key present with a non-null value.
 */
export function exists(item: unknown, ...indices: unknown[]): boolean {
  let v = item;
  for (const index of indices) {
    if (isNil(v)) return false;
    if (Array.isArray(v) || typeof v === "string") {
      if (typeof index !== "number" || !Number.isInteger(index)) return false;
      if (index < 0 || index >= v.length) return false;
      v = v[index];
    } else if (typeof v === "object") {
      if (typeof index !== "string") return false;
      v = Object.hasOwn(v as object, index) ? (v as Record<string, unknown>)[index] : undefined;
    } else {
      return false;
    }
  }
  return !isNil(v);
}

/** kubectl's `base64decode`: standard base64, an error naming the problem otherwise. */
export function base64decode(v: unknown): string {
  if (typeof v !== "string") throw new GoFuncError(`wrong type for value; expected string; got ${typeof v}`);
  // Go's StdEncoding: padded, newlines ignored.
  const text = v.replace(/[\r\n]/g, "");
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
    throw new GoFuncError("base64 decode failed: illegal base64 data");
  }
  return Buffer.from(text, "base64").toString("utf8");
}

const KUBECTL_FUNCS: FuncMap = Object.freeze({ exists, base64decode });
// One options object, so the compiled-template cache is shared across calls. NewGoTemplatePrinter:
// template.New("output").Funcs({exists, base64decode}) — text/template's builtins and those two, no
// sprig; Kanister's WaitV2 leaves missingkey at Go's default.
const OPTIONS: TemplateOptions = Object.freeze({
  name: "output",
  missingKey: "default",
  dialect: "builtins",
  funcs: KUBECTL_FUNCS,
});

/**
 * Renders `source` over `object` as kubectl's printer does, with its function set: text/template's
 * builtins, `exists` and `base64decode` (a sprig function does not parse, as there).
 */
export function renderKubectlTemplate(source: string, object: unknown, bounds?: RenderBounds): string {
  return render(source, object, withBounds(OPTIONS, bounds));
}

/** The parse error of `source` as kubectl's printer would meet it, or undefined. */
export function kubectlTemplateSyntaxError(source: string): Error | undefined {
  if (!source.includes("{{")) return undefined;
  try {
    compile(source, OPTIONS);
    return undefined;
  } catch (err) {
    return err as Error;
  }
}
