/** Kanister's checks of a Profile and its credential Secret, as coded errors that name the field. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { SecretParams } from "../template-params.js";
import { secretKeys, secretName, secretType } from "./secret-data.js";
import { CredentialTypes, LocationTypes, type Profile, SecretTypes } from "./types.js";

/** A QUIESCE_PROFILE_INVALID error about `field` of Profile `where` (`namespace/name`, or "(given)"). */
export function profileError(where: string, field: string, message: string, cause?: unknown): QuiesceError {
  return new QuiesceError(ErrorCodes.PROFILE_INVALID, `Profile ${where}: ${field}: ${message}`, {
    details: { profile: where, field },
    ...(cause !== undefined ? { cause } : {}),
  });
}

const invalid = profileError;

/** A value quoted for a message: a string as JSON, anything else (a host's object, maybe cyclic) by its type. */
function quoted(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  return value === null
    ? "null"
    : Array.isArray(value)
      ? "a list"
      : typeof value === "object"
        ? "an object"
        : String(value);
}

// Kanister pkg/secrets/{aws,azure,gcp}.go: the keys each Secret type may hold.
export const AWS_KEYS = ["aws_access_key_id", "aws_secret_access_key", "role"];
export const AZURE_KEYS = [
  "azure_storage_account_id",
  "azure_storage_key",
  "azure_storage_environment",
  "azure_federated_identity",
];
export const GCP_REQUIRED = ["gcp_project_id", "service-account.json"];

/**
 * Kanister's secrets.ValidateCredentials (pkg/secrets/secrets.go): the Secret's type must be one of
 * `secrets.kanister.io/aws|azure|gcp|filestore`; an aws or azure Secret holds no key beyond its
 * known ones; a gcp Secret holds `gcp_project_id` and `service-account.json`.
 */
export function validateCredentialSecret(
  secret: SecretParams,
  where: string,
  field = "credential.secret",
): void {
  // A Profile built by a host may hold anything here: a coded error, not a TypeError.
  const shape = secret as unknown as Partial<Record<string, unknown>> | null;
  const data = shape?.Data;
  if (
    typeof shape !== "object" ||
    shape === null ||
    typeof shape.Name !== "string" ||
    typeof shape.Namespace !== "string" ||
    typeof data !== "object" ||
    data === null
  ) {
    throw invalid(where, field, "not a Secret (expected Name, Namespace, Type and Data)");
  }
  const keys = secretKeys(secret);
  const name = secretName(secret);
  const type = secretType(secret);
  switch (type) {
    case SecretTypes.AWS:
    case SecretTypes.AZURE: {
      const known = type === SecretTypes.AWS ? AWS_KEYS : AZURE_KEYS;
      const unknown = keys.filter((k) => !known.includes(k));
      if (unknown.length > 0) {
        throw invalid(
          where,
          field,
          `Secret ${name} has an unknown field ${JSON.stringify(unknown[0])} (allowed: ${known.join(", ")})`,
        );
      }
      return;
    }
    case SecretTypes.GCP:
      if (keys.length === 0) throw invalid(where, field, `Secret ${name} is empty`);
      for (const key of GCP_REQUIRED) {
        if (!keys.includes(key))
          throw invalid(where, field, `Secret ${name} is missing the required field ${JSON.stringify(key)}`);
      }
      return;
    case SecretTypes.FILESTORE:
      return;
    default:
      throw invalid(
        where,
        `${field}.type`,
        `Secret ${name} has type ${quoted(type)} (expected one of ${Object.values(SecretTypes).join(", ")})`,
      );
  }
}

/**
 * Kanister's ValidateProfile (pkg/function/utils.go): the credential is complete for its type and
 * the location type is known. Data functions call it before they start anything.
 */
export function validateProfile(
  profile: Profile | null | undefined,
  where = "(given)",
): asserts profile is Profile {
  if (!profile) throw invalid(where, "(root)", "a Profile is required (runBlueprintAction option `profile`)");
  const c = profile.Credential;
  switch (c?.Type) {
    case CredentialTypes.KEY_PAIR:
      if (!c.KeyPair) throw invalid(where, "credential.keyPair", "empty");
      if (!c.KeyPair.ID) throw invalid(where, "credential.keyPair.idField", "the access key ID is empty");
      if (!c.KeyPair.Secret)
        throw invalid(where, "credential.keyPair.secretField", "the secret access key is empty");
      break;
    case CredentialTypes.SECRET:
      if (!c.Secret) throw invalid(where, "credential.secret", "empty");
      validateCredentialSecret(c.Secret, where);
      break;
    case CredentialTypes.KOPIA: {
      const k = c.KopiaServerSecret;
      if (!k) throw invalid(where, "credential.kopiaServerSecret", "empty");
      if (!k.Username) throw invalid(where, "credential.kopiaServerSecret.username", "not set");
      if (!k.Password) throw invalid(where, "credential.kopiaServerSecret.userPassphrase", "not set");
      if (!k.Hostname) throw invalid(where, "credential.kopiaServerSecret.hostname", "not set");
      if (!k.Cert) throw invalid(where, "credential.kopiaServerSecret.tlsCert", "not set");
      break;
    }
    default:
      throw invalid(where, "credential.type", `${quoted(c?.Type ?? "")} is not supported`);
  }
  if (!(Object.values(LocationTypes) as string[]).includes(profile.Location?.Type)) {
    throw invalid(where, "location.type", `${quoted(profile.Location?.Type ?? "")} is not supported`);
  }
}
