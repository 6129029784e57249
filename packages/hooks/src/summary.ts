/** The data KubeStash exposes to templated exec commands and httpPost bodies. */
import { formatDuration } from "@quiesce/core";
import type { HookRunContext } from "./hook-spec.js";

/**
 * Builds the template data of a KubeStash hook: `.Name` (the session), `.Namespace`,
 * `.Target.{Kind,Name,Namespace}`, `.Params`, and for hooks after the step
 * `.Status.{Phase,Duration,Error}` — absent before the step, so a pre hook that reads `.Status`
 * fails with a missing-key error instead of seeing a made-up phase.
 *
 * @example
 * ```ts
 * // in a post hook body: {{ if eq .Status.Phase "Succeeded" }}ok{{ else }}{{ .Status.Error }}{{ end }}
 * ```
 */
export function hookSummary(
  ctx: HookRunContext,
  params: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const data: Record<string, unknown> = {
    Name: ctx.sessionName,
    Namespace: ctx.namespace,
    Target: {
      Kind: ctx.subject.kind,
      Name: ctx.subject.name,
      Namespace: ctx.subject.namespace ?? ctx.namespace,
    },
    Params: { ...params },
  };
  if (ctx.status) {
    data.Status = {
      Phase: ctx.status.phase,
      Duration: formatDuration(Math.round(ctx.status.durationMs)),
      Error: ctx.status.error,
    };
  }
  return data;
}
