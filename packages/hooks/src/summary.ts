/**
 * The data KubeStash renders hook templates over: its `Summary` struct
 * (kubestash/apimachinery apis/core/v1alpha1/summary_types.go), filled as
 * BackupSession/RestoreSession.GetSummary fills it (…/backupsession_helpers.go,
 * restoresession_helpers.go), as a Go-typed value so templates see Go's zero values, printing and
 * refusals.
 */
import { formatDuration } from "@quiesce/core";
import { goTypes, goValue, pointerTo, structType } from "@quiesce/template";
import type { HookRunContext } from "./hook-spec.js";

/** The API group of KubeStash's invokers (BackupConfiguration, RestoreSession). */
export const KUBESTASH_GROUP = "core.kubestash.com";

const str = (json: string) => ({ type: goTypes.string, json });

/** kmodules.xyz/client-go/api/v1 TypedObjectReference. */
const TypedObjectReference = structType("v1.TypedObjectReference", {
  APIGroup: str("apiGroup,omitempty"),
  Kind: str("kind,omitempty"),
  Namespace: str("namespace,omitempty"),
  Name: str("name"),
});

/** v1alpha1.TargetStatus. */
const TargetStatus = structType("v1alpha1.TargetStatus", {
  Phase: str("phase,omitempty"),
  Duration: str("duration,omitempty"),
  Error: str("error,omitempty"),
});

/** v1alpha1.Summary; templates get a `*Summary`. */
const Summary = structType("v1alpha1.Summary", {
  Name: str("name,omitempty"),
  Namespace: str("namespace,omitempty"),
  Invoker: { type: pointerTo(TypedObjectReference), json: "invoker,omitempty" },
  Target: { type: pointerTo(TypedObjectReference), json: "target,omitempty" },
  Status: { type: TargetStatus, json: "status,omitempty" },
});

function groupOf(subject: HookRunContext["subject"]): string {
  if (subject.apiGroup !== undefined) return subject.apiGroup;
  const apiVersion = subject.apiVersion ?? "";
  return apiVersion.includes("/") ? (apiVersion.split("/")[0] as string) : "";
}

/**
 * Builds the template data of a KubeStash hook: `.Name` (the session), `.Namespace` (the
 * invoker's when the run names one, else the hook's), `.Invoker`
 * and `.Target` (`{APIGroup, Kind, Namespace, Name}`; `.Invoker` is nil unless the run names an
 * invoker), and `.Status.{Phase,Duration,Error}`. As KubeStash's GetSummary computes it, the phase
 * is `Succeeded` until something has failed — so also in pre hooks — and `Failed` with the first
 * failure's message after; the duration is known only after the step. A field Summary does not
 * have (`.Params`, `.Foo`) is an error, as Go's template engine reports it.
 *
 * @example
 * ```ts
 * // in a post hook body: {{ if eq .Status.Phase "Succeeded" }}ok{{ else }}{{ .Status.Error }}{{ end }}
 * ```
 */
export function hookSummary(ctx: HookRunContext): unknown {
  const status = ctx.status;
  const invoker = ctx.invoker;
  return goValue(pointerTo(Summary), {
    Name: ctx.sessionName,
    // BackupSession/RestoreSession.GetSummary: the session's own namespace — the invoker's (a
    // BackupSession lives beside its BackupConfiguration), which may differ from the target's.
    Namespace: invoker?.namespace ?? ctx.namespace,
    Invoker: invoker
      ? {
          APIGroup: invoker.apiGroup ?? KUBESTASH_GROUP,
          Kind: invoker.kind,
          Namespace: invoker.namespace ?? ctx.namespace,
          Name: invoker.name,
        }
      : null,
    Target: {
      APIGroup: groupOf(ctx.subject),
      Kind: ctx.subject.kind,
      Namespace: ctx.subject.namespace ?? ctx.namespace,
      Name: ctx.subject.name,
    },
    Status: status
      ? {
          Phase: status.phase,
          Duration: formatDuration(Math.round(status.durationMs / 1000) * 1000),
          Error: status.error,
        }
      : { Phase: "Succeeded", Duration: "", Error: "" },
  });
}
