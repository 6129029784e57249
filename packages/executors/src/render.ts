/**
 * Rendering of an action's templated fields as KubeStash renders them (stashed/apimachinery
 * pkg/hooks/hook.go: only exec commands and the httpPost body, only strings holding `{{`, sprig v3,
 * `missingkey=default`, the output passed through strings.TrimSpace).
 */
import { type RenderBounds, render, renderArgs, type TemplateOptions, withBounds } from "@quiesce/template";
import type { Action } from "./action-schema.js";

/** The template options KubeStash renders hooks with: sprig v3's TxtFuncMap, `missingkey=default`. */
export const KUBESTASH_TEMPLATE_OPTIONS: Readonly<TemplateOptions> = Object.freeze({
  dialect: "sprig3",
  missingKey: "default",
});

// Go's unicode.IsSpace, which (unlike String.prototype.trim) counts U+0085 and not U+FEFF.
const GO_SPACE = "[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const TRIM = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, "g");

/**
 * Go's strings.TrimSpace, which KubeStash applies to every rendered hook template.
 *
 * @example
 * ```ts
 * goTrimSpace("\n  {\"text\": \"done\"}\n"); // '{"text": "done"}'
 * ```
 */
export function goTrimSpace(text: string): string {
  return text.replace(TRIM, "");
}

const renderField = (source: string, data: unknown, options: TemplateOptions) =>
  source.includes("{{") ? goTrimSpace(render(source, data, options)) : source;

/**
 * Returns a copy of `action` whose `exec.command` elements and `httpPost.body` are rendered as
 * KubeStash renders them over `data` (typically its session summary). Other fields are used
 * verbatim, as in KubeStash. Throws the template engine's QuiesceError (`QUIESCE_TEMPLATE_*`) on a
 * bad template; the command's elements share one budget of `bounds.limits` (`QUIESCE_TEMPLATE_LIMIT`).
 *
 * @example
 * ```ts
 * renderAction({ exec: { command: ["echo", "{{ .Namespace }}"] } }, { Namespace: "prod" });
 * // { exec: { command: ["echo", "prod"] } }
 * ```
 */
export function renderAction(action: Action, data: unknown, bounds?: RenderBounds): Action {
  const options = withBounds(KUBESTASH_TEMPLATE_OPTIONS, bounds);
  // stashed/apimachinery pkg/hooks/hook.go renderHookTemplate: the exec command, then the httpPost
  // body — both when the action has both handlers.
  let out = action;
  if (action.exec) {
    const command = action.exec.command;
    // One renderArgs call: the elements share one budget (strings without `{{` are left as they are).
    const rendered = renderArgs(command, data, options) as string[];
    out = {
      ...out,
      exec: {
        ...action.exec,
        command: rendered.map((r, i) => (command[i]?.includes("{{") ? goTrimSpace(r) : r)),
      },
    };
  }
  if (action.httpPost?.body !== undefined) {
    out = {
      ...out,
      httpPost: { ...action.httpPost, body: renderField(action.httpPost.body, data, options) },
    };
  }
  return out;
}
