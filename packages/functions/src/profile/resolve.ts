/** The runner's `profile` option: a reference to a Profile resource, or a Profile already built. */
import type { Cluster } from "@quiesce/kube";
import type { SecretScope } from "../secrets.js";
import { loadProfile } from "./load.js";
import { profileTemplateValue } from "./template-value.js";
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
 * field when it cannot be), a built Profile is used as given; nothing gives `null`.
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
    return profileTemplateValue(profile);
  }
  if (typeof input === "object" && "Location" in input && "Credential" in input) {
    return profileTemplateValue(input as Profile);
  }
  return input;
}
