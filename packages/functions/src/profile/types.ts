/**
 * Kanister's `param.Profile` (pkg/param/param.go): where a Blueprint's data goes and the
 * credentials to reach it, as templates see it under `.Profile` (Go field names).
 */
import type { SecretParams } from "../template-params.js";

/** Location types of a Profile (Kanister pkg/apis/cr/v1alpha1/types.go LocationType). */
export const LocationTypes = {
  S3_COMPLIANT: "s3Compliant",
  GCS: "gcs",
  AZURE: "azure",
  /** Loaded, but no function here uses it. */
  KOPIA: "kopia",
} as const;

/** A location type: `s3Compliant`, `gcs`, `azure` or `kopia`. */
export type LocationType = (typeof LocationTypes)[keyof typeof LocationTypes];

/** Credential types (Kanister pkg/param/param.go CredentialType). */
export const CredentialTypes = { KEY_PAIR: "keyPair", SECRET: "secret", KOPIA: "kopia" } as const;

/** A credential type: `keyPair`, `secret` or `kopia`. */
export type CredentialType = (typeof CredentialTypes)[keyof typeof CredentialTypes];

/** Secret types a `secret` credential may have (Kanister pkg/secrets). */
export const SecretTypes = {
  AWS: "secrets.kanister.io/aws",
  GCP: "secrets.kanister.io/gcp",
  AZURE: "secrets.kanister.io/azure",
  /** Accepted by Kanister's validation (no credentials needed); no function here can use it. */
  FILESTORE: "secrets.kanister.io/filestore",
} as const;

/** `Profile.Location`: Kanister's crv1alpha1.Location (JSON names are lower case). */
export interface ProfileLocation {
  Type: LocationType;
  Bucket: string;
  Endpoint: string;
  Prefix: string;
  Region: string;
}

/** `Profile.Credential.KeyPair`: the two values read from the key pair's Secret. */
export interface ProfileKeyPair {
  ID: string;
  Secret: string;
}

/** `Profile.Credential.KopiaServerSecret` (Kanister's KopiaServerCreds). */
export interface ProfileKopiaServerCreds {
  Username: string;
  Hostname: string;
  Password: string;
  Cert: string;
  ConnectOptions: Record<string, number> | null;
}

/** `Profile.Credential`: exactly one of KeyPair, Secret, KopiaServerSecret is set, after `Type`. */
export interface ProfileCredential {
  Type: CredentialType;
  KeyPair: ProfileKeyPair | null;
  /** The whole credential Secret (type `secrets.kanister.io/aws|gcp|azure`), data as bytes (a `*corev1.Secret` in templates). */
  Secret: SecretParams | null;
  KopiaServerSecret: ProfileKopiaServerCreds | null;
}

/**
 * Kanister's `param.Profile`: what `runBlueprintAction` puts under `.Profile`, built by
 * `loadProfile` from a `cr.kanister.io/v1alpha1` Profile and its credential Secret.
 */
export interface Profile {
  Location: ProfileLocation;
  Credential: ProfileCredential;
  SkipSSLVerify: boolean;
}

/** A Profile custom resource by namespace and name (an ActionSet's `profile`, the CLI's `--profile ns/name`). */
export interface ProfileRef {
  namespace: string;
  name: string;
}
