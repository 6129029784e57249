/** Rendering of an action's templated fields (KubeStash renders exec commands and the httpPost body with Go templates). */
import { render, type TemplateOptions } from "@quiesce/template";
import type { Action } from "./action-schema.js";

/** KubeStash renders hooks with sprig v3 (stashed/apimachinery pkg/hooks/hook.go: sprig/v3 TxtFuncMap). */
const KUBESTASH: TemplateOptions = Object.freeze({ dialect: "sprig3" });

/**
 * Returns a copy of `action` whose `exec.command` elements and `httpPost.body` are rendered as Go
 * templates over `data` (missing keys are errors). Other fields are used verbatim, as in KubeStash.
 * Throws the template engine's QuiesceError (`QUIESCE_TEMPLATE_*`) on a bad template.
 *
 * @example
 * ```ts
 * renderAction({ exec: { command: ["echo", "{{ .Namespace }}"] } }, { Namespace: "prod" });
 * // { exec: { command: ["echo", "prod"] } }
 * ```
 */
export function renderAction(action: Action, data: unknown): Action {
  if (action.exec) {
    return {
      ...action,
      exec: { ...action.exec, command: action.exec.command.map((c) => render(c, data, KUBESTASH)) },
    };
  }
  if (action.httpPost?.body !== undefined) {
    return {
      ...action,
      httpPost: { ...action.httpPost, body: render(action.httpPost.body, data, KUBESTASH) },
    };
  }
  return action;
}
