/** What the action runner and the recovery of a recorded action share: artifacts, Profile secrets, phase time limits. */
import { toMilliseconds } from "@quiesce/core";
import type { Blueprint, BlueprintAction } from "../blueprint/schema.js";
import type { SecretScope } from "../secrets.js";
import { type RenderBounds, renderString } from "../template-engine.js";
import type { Artifact, TemplateParams } from "../template-params.js";
import { PHASE_TIMEOUT_ANNOTATION, type RunActionOptions } from "./options.js";

/** Renders the action's output artifacts (only once everything succeeded). */
export function renderArtifacts(
  action: BlueprintAction,
  params: TemplateParams,
  bounds?: RenderBounds,
): Record<string, Artifact> {
  const out: Record<string, Artifact> = {};
  for (const [name, artifact] of Object.entries(action.outputArtifacts ?? {})) {
    // Kanister pkg/param/render.go RenderArtifacts: values rendered (not keys); no KeyValue map
    // when there is nothing in it.
    const rendered: Artifact = {};
    for (const [k, v] of Object.entries(artifact.keyValue ?? {})) {
      rendered.KeyValue ??= {};
      rendered.KeyValue[k] = renderString(v, params, bounds);
    }
    if (artifact.kopiaSnapshot) rendered.KopiaSnapshot = renderString(artifact.kopiaSnapshot, params, bounds);
    out[name] = rendered;
  }
  return out;
}

/** Credentials of the Profile (a key pair's secret, a Secret's data) are redacted like Secret data. */
export function registerProfileSecrets(profile: unknown, scope: SecretScope): void {
  const credential = (profile as { Credential?: Record<string, unknown> } | null | undefined)?.Credential;
  if (!credential) return;
  const keyPair = credential.KeyPair as { Secret?: unknown } | undefined;
  if (typeof keyPair?.Secret === "string") scope.add(keyPair.Secret);
  const data = (credential.Secret as { Data?: Record<string, unknown> } | undefined)?.Data ?? {};
  for (const value of Object.values(data)) {
    if (typeof value === "string") scope.add(value);
    else if (value instanceof Uint8Array) scope.add(Buffer.from(value).toString("utf8"));
  }
}

/**
 * The time limit of a phase without one of its own: `phaseTimeout`, else the Blueprint annotation,
 * else none — Kanister pkg/controller/controller.go runs a phase with the ActionSet's context only.
 */
export function resolveDefaultTimeout(bp: Blueprint, opts: RunActionOptions): number {
  if (opts.phaseTimeout !== undefined) return toMilliseconds(opts.phaseTimeout);
  const annotated = bp.metadata.annotations?.[PHASE_TIMEOUT_ANNOTATION];
  if (annotated) return toMilliseconds(annotated);
  return Number.POSITIVE_INFINITY;
}
