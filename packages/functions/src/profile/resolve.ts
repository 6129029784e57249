/** The runner's `profile` option: a reference to a Profile resource, or a Profile already built. */
import type { Cluster } from "@quiesce/kube";
import type { SecretScope } from "../secrets.js";
import { loadProfile } from "./load.js";
import type { Profile, ProfileRef } from "./types.js";

/** What `runBlueprintAction`/`runWithHooks` accept as `profile`. */
export type ProfileInput = ProfileRef | Profile;

/** True for `{ namespace, name }` (a reference), as opposed to a built Profile. */
export function isProfileRef(value: unknown): value is ProfileRef {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === "string" && typeof v.namespace === "string" && !("Location" in v);
}

/**
 * `.Profile` for an action: a reference is loaded with {@link loadProfile} (a coded error naming the
 * field when it cannot be), a built Profile is used as given; nothing gives `null`. Templates see
 * it as Kanister's `*param.Profile` (go-params/template-data.ts).
 */
export async function resolveProfile(
  cluster: Cluster,
  input: unknown,
  options: { signal?: AbortSignal | undefined; secretScope?: SecretScope | undefined } = {},
): Promise<unknown> {
  if (input === undefined || input === null) return null;
  if (isProfileRef(input)) {
    const profile = await loadProfile(cluster, input, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.secretScope ? { secretScope: options.secretScope } : {}),
    });
    return profile;
  }
  return input;
}

/** The action's Profile (`.Profile`), or null when it has none. */
export function profileOf(value: unknown): Profile | null {
  return value === null || value === undefined || typeof value !== "object" ? null : (value as Profile);
}
