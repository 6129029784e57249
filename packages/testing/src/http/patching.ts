/** Chooses and applies a patch by its Content-Type, as the API server's PATCH does. */
import { parse as parseYaml } from "yaml";
import { ApiStatusError } from "../api/errors.js";
import type { ResourceType } from "../api/seams.js";
import { applyJsonPatch } from "../patch/json-patch.js";
import { applyMergePatch } from "../patch/merge-patch.js";
import { applyStrategicMergePatch } from "../patch/strategic-merge-patch.js";
import { parseJson } from "./respond.js";

/** The patch types the server accepts. */
export type PatchKind = "merge" | "json" | "strategic" | "apply";

const BUILTIN_GROUPS = new Set([
  "",
  "apps",
  "batch",
  "autoscaling",
  "coordination.k8s.io",
  "policy",
  "networking.k8s.io",
  "rbac.authorization.k8s.io",
  "storage.k8s.io",
  "apiextensions.k8s.io",
]);

/** The patch kind named by a Content-Type, or 415 UnsupportedMediaType. */
export function patchKind(contentType: string | undefined, type: ResourceType): PatchKind {
  const media = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  switch (media) {
    case "application/merge-patch+json":
      return "merge";
    case "application/json-patch+json":
      return "json";
    case "application/strategic-merge-patch+json":
      if (!BUILTIN_GROUPS.has(type.group)) {
        throw new ApiStatusError(
          415,
          "UnsupportedMediaType",
          "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
        );
      }
      return "strategic";
    case "application/apply-patch+yaml":
    case "application/apply-patch+json":
      return "apply";
    default:
      throw new ApiStatusError(
        415,
        "UnsupportedMediaType",
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml${BUILTIN_GROUPS.has(type.group) ? ", application/strategic-merge-patch+json" : ""}`,
      );
  }
}

/** Parses the patch document for its kind. */
export function parsePatch(kind: PatchKind, text: string): unknown {
  if (kind !== "apply") return parseJson(text);
  try {
    return parseYaml(text);
  } catch (err) {
    throw ApiStatusError.badRequest(`error decoding YAML: ${(err as Error).message}`);
  }
}

/**
 * Applies a patch document to `target`. Server-side apply is approximated: the applied
 * configuration is merged like a strategic merge patch (no field ownership is tracked).
 */
export function applyPatch(kind: PatchKind, type: ResourceType, target: unknown, patch: unknown): unknown {
  switch (kind) {
    case "merge":
      return applyMergePatch(target, patch);
    case "json":
      return applyJsonPatch(target, patch);
    case "strategic":
      return applyStrategicMergePatch(target, patch);
    case "apply":
      return BUILTIN_GROUPS.has(type.group)
        ? applyStrategicMergePatch(target, patch)
        : applyMergePatch(target, patch);
  }
}
