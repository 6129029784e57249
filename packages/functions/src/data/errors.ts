/** Error codes of the data functions (restic and object-store failures). */

/** Codes a data function's error may carry, besides the shared ones of @quiesce/core. */
export const DataErrorCodes = {
  /** restic could not open the repository with the encryption key ("wrong password or no key found"). */
  RESTIC_PASSWORD_INCORRECT: "QUIESCE_RESTIC_PASSWORD_INCORRECT",
  /**
   * No repository at the location, or the location cannot be reached (restic: "Is there a
   * repository at the following location?").
   */
  RESTIC_REPOSITORY_UNAVAILABLE: "QUIESCE_RESTIC_REPOSITORY_UNAVAILABLE",
  /** Any other restic failure (the error carries the command, exit code and output tails). */
  RESTIC_FAILED: "QUIESCE_RESTIC_FAILED",
  /** The object store refused or failed a request of LocationDelete. */
  OBJECT_STORE_FAILED: "QUIESCE_OBJECT_STORE_FAILED",
} as const;
