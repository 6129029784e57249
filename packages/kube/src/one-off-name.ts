/**
 * Client-side names for the pods and jobs quiesce creates. The server's generateName would name
 * them only in its answer, and a create aborted or cut off before that answer would leave an
 * object nobody can find to delete; a name chosen here is known whatever happens to the request.
 */
import { KubeApiError } from "./errors.js";

// Kubernetes' own alphabet for generated suffixes (no vowels, no look-alike digits).
const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
const SUFFIX_LENGTH = 5;
// Job names end up in the `job-name` label, whose values are at most 63 characters.
const MAX_NAME = 63;

/** `prefix` plus a random 5-character suffix, at most 63 characters in all. */
export function oneOffName(prefix: string, random: () => number = Math.random): string {
  let suffix = "";
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return `${prefix.slice(0, MAX_NAME - SUFFIX_LENGTH)}${suffix}`;
}

/**
 * False when the server definitely did not create the object (it answered with a 4xx Status);
 * true when the create may have happened (aborted, timed out, connection lost, 5xx), so the
 * object must be cleaned up by name.
 */
export function createMayHaveHappened(err: unknown): boolean {
  if (!(err instanceof KubeApiError) || err.statusCode === undefined) return true;
  return err.statusCode >= 500;
}

/** True for the 409 AlreadyExists a name collision produces. */
export function isNameTaken(err: unknown): boolean {
  return err instanceof KubeApiError && err.statusCode === 409 && err.reason === "AlreadyExists";
}
