/**
 * The Profile as template data (`.Profile`), and the way back from that value to the Profile the
 * data functions read. The only place that knows how a Profile is represented in templates.
 */
import type { Profile } from "./types.js";

const profiles = new WeakMap<object, Profile>();

/** The value templates see as `.Profile` for `profile` (Go field names: `.Profile.Location.Bucket`). */
export function profileTemplateValue(profile: Profile): unknown {
  const value = profile;
  profiles.set(value, profile);
  return value;
}

/** The Profile behind a `.Profile` template value (`null` when the action has none). */
export function profileOf(value: unknown): Profile | null {
  if (value === null || value === undefined || typeof value !== "object") return null;
  return profiles.get(value) ?? (value as Profile);
}
