/**
 * The object-store credentials a Profile carries, per location type, as Kanister extracts them
 * (pkg/restic/restic.go resticS3CredentialArgs / resticAzureArgs / resticGCSArgs, pkg/location
 * getOSSecret, pkg/secrets ExtractAWSCredentials / ExtractAzureCredentials).
 */
import type { SecretParams } from "../template-params.js";
import { secretName, secretType, secretValue } from "./secret-data.js";
import { CredentialTypes, type Profile, SecretTypes } from "./types.js";
import { profileError, validateCredentialSecret } from "./validate.js";

/** S3 credentials. */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Azure storage account credentials. */
export interface AzureCredentials {
  storageAccount: string;
  storageKey: string;
  /** `azure_storage_environment` of a Secret credential ("" when absent). */
  environment: string;
}

/** Google Cloud Storage credentials: the project and the service account key (JSON). */
export interface GcsCredentials {
  projectId: string;
  serviceKey: string;
}

const text = secretValue;

function credentialSecret(profile: Profile, where: string, type: string): SecretParams {
  const secret = profile.Credential.Secret;
  if (!secret) throw profileError(where, "credential.secret", "empty");
  validateCredentialSecret(secret, where);
  if (secretType(secret) !== type) {
    // Kanister pkg/secrets/errors IncompatibleSecretTypeErrorMsg.
    throw profileError(
      where,
      "credential.secret.type",
      `incompatible secret type: expected ${type} in Secret ${secretName(secret)}, found ${JSON.stringify(secretType(secret))}`,
    );
  }
  return secret;
}

/**
 * S3 credentials of a Profile: a key pair's ID and secret, or the `aws_access_key_id` and
 * `aws_secret_access_key` of a `secrets.kanister.io/aws` Secret. A Secret with a `role` would make
 * Kanister assume that IAM role first; quiesce does not, and says so.
 */
export function s3Credentials(profile: Profile, where = "(given)"): S3Credentials {
  const c = profile.Credential;
  if (c.Type === CredentialTypes.KEY_PAIR && c.KeyPair) {
    return { accessKeyId: c.KeyPair.ID, secretAccessKey: c.KeyPair.Secret };
  }
  if (c.Type === CredentialTypes.SECRET) {
    const secret = credentialSecret(profile, where, SecretTypes.AWS);
    if (text(secret, "role")) {
      throw profileError(
        where,
        "credential.secret",
        `Secret ${secretName(secret)} names an IAM role to assume; quiesce does not assume roles (use a key pair)`,
      );
    }
    const accessKeyId = text(secret, "aws_access_key_id");
    const secretAccessKey = text(secret, "aws_secret_access_key");
    if (!accessKeyId)
      throw profileError(
        where,
        "credential.secret",
        `Secret ${secretName(secret)} has no "aws_access_key_id"`,
      );
    if (!secretAccessKey)
      throw profileError(
        where,
        "credential.secret",
        `Secret ${secretName(secret)} has no "aws_secret_access_key"`,
      );
    return { accessKeyId, secretAccessKey };
  }
  throw profileError(
    where,
    "credential.type",
    `${JSON.stringify(c.Type)} credentials cannot reach an S3 location`,
  );
}

/**
 * Azure credentials of a Profile: a key pair (account name, account key), or the
 * `azure_storage_account_id` / `azure_storage_key` of a `secrets.kanister.io/azure` Secret.
 * Federated identity (no key; a SAS token file Kanister's controller injects) is not supported.
 */
export function azureCredentials(profile: Profile, where = "(given)"): AzureCredentials {
  const c = profile.Credential;
  if (c.Type === CredentialTypes.KEY_PAIR && c.KeyPair) {
    return { storageAccount: c.KeyPair.ID, storageKey: c.KeyPair.Secret, environment: "" };
  }
  if (c.Type === CredentialTypes.SECRET) {
    const secret = credentialSecret(profile, where, SecretTypes.AZURE);
    const federated = (text(secret, "azure_federated_identity") ?? "").toLowerCase() === "true";
    if (federated) {
      throw profileError(
        where,
        "credential.secret",
        `Secret ${secretName(secret)} asks for federated identity, which quiesce does not support`,
      );
    }
    const storageAccount = text(secret, "azure_storage_account_id") ?? "";
    const storageKey = text(secret, "azure_storage_key") ?? "";
    if (!storageAccount || !storageKey) {
      // Kanister pkg/secrets/azure.go ExtractAzureCredentials.
      throw profileError(
        where,
        "credential.secret",
        `Azure Secret ${secretName(secret)} is missing storage account ID or storage key`,
      );
    }
    return { storageAccount, storageKey, environment: text(secret, "azure_storage_environment") ?? "" };
  }
  throw profileError(
    where,
    "credential.type",
    `${JSON.stringify(c.Type)} credentials cannot reach an Azure location`,
  );
}

/**
 * GCS credentials of a Profile: Kanister takes them from a key pair only (project ID, service
 * account key); its restic and object-store code read `Credential.KeyPair` for gcs whatever the
 * credential type, so a `secret` credential is refused here with an error instead.
 */
export function gcsCredentials(profile: Profile, where = "(given)"): GcsCredentials {
  const c = profile.Credential;
  if (c.Type === CredentialTypes.KEY_PAIR && c.KeyPair) {
    return { projectId: c.KeyPair.ID, serviceKey: c.KeyPair.Secret };
  }
  throw profileError(
    where,
    "credential.type",
    `gcs locations need a keyPair credential (project ID, service account key), not ${JSON.stringify(c.Type)}`,
  );
}
