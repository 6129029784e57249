/**
 * `loadProfile`: a `cr.kanister.io/v1alpha1` Profile and its credential Secret(s) made into
 * Kanister's `param.Profile` (pkg/param/param.go fetchProfile / fetchCredential), every problem a
 * QUIESCE_PROFILE_INVALID error naming the field — before anything runs.
 */
import type { Cluster } from "@quiesce/kube";
import { z } from "zod";
import { formatPath } from "../blueprint/issues.js";
import type { SecretScope } from "../secrets.js";
import { readSecret, type SecretParams } from "../template-params.js";
import { secretName, secretValue } from "./secret-data.js";
import {
  CredentialTypes,
  type LocationType,
  type Profile,
  type ProfileCredential,
  type ProfileRef,
} from "./types.js";
import { profileError, validateCredentialSecret } from "./validate.js";

const ObjectRef = z.looseObject({ name: z.string().optional(), namespace: z.string().optional() });
const SecretKeyRef = z.looseObject({ key: z.string().optional(), secret: ObjectRef.nullish() });

/** The Profile custom resource's fields Kanister reads (pkg/apis/cr/v1alpha1/types.go). */
const ProfileResource = z.looseObject({
  location: z
    .looseObject({
      type: z.string().optional(),
      bucket: z.string().optional(),
      endpoint: z.string().optional(),
      prefix: z.string().optional(),
      region: z.string().optional(),
    })
    .optional(),
  credential: z
    .looseObject({
      type: z.string().optional(),
      keyPair: z
        .looseObject({
          idField: z.string().optional(),
          secretField: z.string().optional(),
          secret: ObjectRef.optional(),
        })
        .nullish(),
      secret: ObjectRef.nullish(),
      kopiaServerSecret: z
        .looseObject({
          username: z.string().optional(),
          hostname: z.string().optional(),
          userPassphrase: SecretKeyRef.nullish(),
          tlsCert: SecretKeyRef.nullish(),
          connectOptions: z.record(z.string(), z.number().int()).nullish(),
        })
        .nullish(),
    })
    .optional(),
  skipSSLVerify: z.boolean().optional(),
});

type ProfileResource = z.infer<typeof ProfileResource>;

/** Options of {@link loadProfile}. */
export interface LoadProfileOptions {
  signal?: AbortSignal;
  /** Registers the credentials for redaction (the action runner passes its own scope). */
  secretScope?: SecretScope;
}

/**
 * Reads the Profile `ref` and the Secret(s) its credential names and returns Kanister's
 * `param.Profile` (`.Profile` in templates). Location types `s3Compliant`, `gcs`, `azure` and
 * `kopia` (loaded; no function here uses it); credential types `keyPair` (the values under
 * `idField`/`secretField`), `secret` (a Secret of type `secrets.kanister.io/aws|gcp|azure`, checked
 * as Kanister checks it) and `kopia`. Any problem Kanister's fetchProfile finds — Profile or Secret
 * missing, a key not in the Secret, an unknown credential type, a `secret` Kanister refuses — is a
 * QUIESCE_PROFILE_INVALID error whose message and `details.field` name the field
 * (`credential.keyPair.idField`, …). The location (its type too) and empty credential values are
 * taken as they are, as Kanister takes them: the data functions refuse them when they run
 * (ValidateProfile). Credentials are registered for redaction when a `secretScope` is given.
 *
 * @example
 * ```ts
 * const profile = await loadProfile(cluster, { namespace: "kanister", name: "s3-profile" });
 * profile.Location.Bucket; // "backups"
 * await runBlueprintAction(blueprint, "backup", { cluster, subject, profile });
 * ```
 */
export async function loadProfile(
  cluster: Cluster,
  ref: ProfileRef,
  options: LoadProfileOptions = {},
): Promise<Profile> {
  const where = `${ref.namespace}/${ref.name}`;
  if (!ref.namespace || !ref.name) {
    throw profileError(
      where,
      ref.name ? "namespace" : "name",
      "a Profile reference needs a namespace and a name",
    );
  }
  let object: unknown;
  try {
    object = await cluster.get(
      {
        group: "cr.kanister.io",
        version: "v1alpha1",
        resource: "profiles",
        namespace: ref.namespace,
        name: ref.name,
      },
      { signal: options.signal },
    );
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw profileError(where, "metadata.name", `cannot read the Profile: ${(err as Error).message}`, err);
  }
  return profileFromResource(cluster, object, where, options);
}

/**
 * Builds `param.Profile` from a Profile custom resource already in hand (its Secrets are read from
 * the cluster). `where` names it in errors.
 */
export async function profileFromResource(
  cluster: Cluster,
  object: unknown,
  where: string,
  options: LoadProfileOptions = {},
): Promise<Profile> {
  const parsed = ProfileResource.safeParse(object);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw profileError(where, formatPath(issue?.path ?? []) || "(root)", issue?.message ?? "invalid");
  }
  const cr = parsed.data;
  // Kanister pkg/param/param.go fetchProfile takes the location as it is: a type the data functions
  // do not know fails there (ValidateProfile "Location type not supported"), not here.
  const type = cr.location?.type ?? "";
  const read = (
    field: string,
    secretRef: { name?: string | undefined; namespace?: string | undefined } | null | undefined,
  ) => readCredentialSecret(cluster, where, field, secretRef, options);
  const credential = await fetchCredential(where, cr, read);
  const profile: Profile = {
    Location: {
      Type: type as LocationType,
      Bucket: cr.location?.bucket ?? "",
      Endpoint: cr.location?.endpoint ?? "",
      Prefix: cr.location?.prefix ?? "",
      Region: cr.location?.region ?? "",
    },
    Credential: credential,
    SkipSSLVerify: cr.skipSSLVerify ?? false,
  };
  // fetchSecretCredential checks a `secret` credential's Secret (secrets.ValidateCredentials); empty
  // key-pair or kopia values are left to the data functions' ValidateProfile, as in Kanister.
  if (credential.Type === CredentialTypes.SECRET && credential.Secret) {
    validateCredentialSecret(credential.Secret, where);
  }
  return profile;
}

type ReadSecret = (
  field: string,
  ref: { name?: string | undefined; namespace?: string | undefined } | null | undefined,
) => Promise<SecretParams>;

// Kanister pkg/param/param.go fetchCredential.
async function fetchCredential(
  where: string,
  cr: ProfileResource,
  read: ReadSecret,
): Promise<ProfileCredential> {
  const c = cr.credential;
  const none = { KeyPair: null, Secret: null, KopiaServerSecret: null };
  switch (c?.type) {
    case CredentialTypes.KEY_PAIR: {
      // fetchKeyPairCredential: both keys must be in the Secret.
      if (!c.keyPair) throw profileError(where, "credential.keyPair", "required for credential type keyPair");
      const secret = await read("credential.keyPair.secret", c.keyPair.secret);
      const id = lookup(secret, c.keyPair.idField ?? "");
      if (id === undefined)
        throw profileError(
          where,
          "credential.keyPair.idField",
          `key ${JSON.stringify(c.keyPair.idField ?? "")} not found in Secret ${secretName(secret)}`,
        );
      const value = lookup(secret, c.keyPair.secretField ?? "");
      if (value === undefined)
        throw profileError(
          where,
          "credential.keyPair.secretField",
          `key ${JSON.stringify(c.keyPair.secretField ?? "")} not found in Secret ${secretName(secret)}`,
        );
      return { ...none, Type: "keyPair", KeyPair: { ID: id, Secret: value } };
    }
    case CredentialTypes.SECRET:
      return { ...none, Type: "secret", Secret: await read("credential.secret", c.secret) };
    case CredentialTypes.KOPIA: {
      // fetchKopiaCredential.
      const k = c.kopiaServerSecret;
      if (!k) throw profileError(where, "credential.kopiaServerSecret", "required for credential type kopia");
      if (!k.userPassphrase?.secret)
        throw profileError(where, "credential.kopiaServerSecret.userPassphrase.secret", "required");
      const pass = await read("credential.kopiaServerSecret.userPassphrase.secret", k.userPassphrase.secret);
      const password = lookup(pass, k.userPassphrase.key ?? "");
      if (password === undefined)
        throw profileError(
          where,
          "credential.kopiaServerSecret.userPassphrase.key",
          `key ${JSON.stringify(k.userPassphrase.key ?? "")} not found in Secret ${secretName(pass)}`,
        );
      if (!k.tlsCert?.secret)
        throw profileError(where, "credential.kopiaServerSecret.tlsCert.secret", "required");
      const tls = await read("credential.kopiaServerSecret.tlsCert.secret", k.tlsCert.secret);
      const cert = lookup(tls, k.tlsCert.key ?? "");
      if (cert === undefined)
        throw profileError(
          where,
          "credential.kopiaServerSecret.tlsCert.key",
          `key ${JSON.stringify(k.tlsCert.key ?? "")} not found in Secret ${secretName(tls)}`,
        );
      return {
        ...none,
        Type: "kopia",
        KopiaServerSecret: {
          Username: k.username ?? "",
          Hostname: k.hostname ?? "",
          Password: password,
          Cert: cert,
          ConnectOptions: k.connectOptions ?? null,
        },
      };
    }
    default:
      throw profileError(
        where,
        "credential.type",
        `${JSON.stringify(c?.type ?? "")} is not supported (expected one of ${Object.values(CredentialTypes).join(", ")})`,
      );
  }
}

const lookup = secretValue;

async function readCredentialSecret(
  cluster: Cluster,
  where: string,
  field: string,
  ref: { name?: string | undefined; namespace?: string | undefined } | null | undefined,
  options: LoadProfileOptions,
): Promise<SecretParams> {
  if (!ref) throw profileError(where, field, "required");
  if (!ref.name) throw profileError(where, `${field}.name`, "required");
  if (!ref.namespace) throw profileError(where, `${field}.namespace`, "required");
  try {
    return await readSecret(
      cluster,
      { namespace: ref.namespace, name: ref.name },
      options.secretScope,
      options.signal,
    );
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw profileError(
      where,
      field,
      `cannot read Secret ${ref.namespace}/${ref.name}: ${(err as Error).message}`,
      err,
    );
  }
}
