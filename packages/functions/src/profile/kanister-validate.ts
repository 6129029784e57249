/**
 * What Kanister's data functions say about a Profile they cannot use: the exact text of
 * pkg/function/utils.go ValidateProfile / ValidateCredentials and pkg/secrets ValidateCredentials.
 * The checks are those of {@link validateProfile}; only the words are Kanister's (the field a
 * problem concerns is in the error's details).
 */
import { secretKeys } from "./secret-data.js";
import { CredentialTypes, LocationTypes, type Profile, SecretTypes } from "./types.js";
import { AWS_KEYS, AZURE_KEYS, GCP_REQUIRED } from "./validate.js";

// pkg/secrets/errors/error.go. errkit.Wrap takes a message, not a format: the verbs stay as they
// are and the arguments go to the error's details, so Kanister prints them literally.
const VALIDATE_FAILED = "validation Failed";
const EMPTY_SECRET = "Empty secret. Expected at least one key value pair in the secret '%s:%s'";
const MISSING_FIELD = "Missing required field %s in the secret '%s:%s'";

function secretProblem(secret: Profile["Credential"]["Secret"]): string | undefined {
  // pkg/secrets/secrets.go ValidateCredentials.
  if (!secret) return "Nil secret";
  const keys = secretKeys(secret);
  switch (secret.Type) {
    // aws.go ValidateAWSCredentials / azure.go ValidateAzureCredentials: more keys than the known
    // ones present.
    case SecretTypes.AWS:
      return keys.length > keys.filter((k) => AWS_KEYS.includes(k)).length
        ? "Secret has an unknown field"
        : undefined;
    case SecretTypes.AZURE:
      return keys.length > keys.filter((k) => AZURE_KEYS.includes(k)).length
        ? "Secret has an unknown field"
        : undefined;
    // gcp.go ValidateGCPCredentials.
    case SecretTypes.GCP:
      if (keys.length === 0) return `${EMPTY_SECRET}: ${VALIDATE_FAILED}`;
      if (!GCP_REQUIRED.every((k) => keys.includes(k))) return `${MISSING_FIELD}: ${VALIDATE_FAILED}`;
      return undefined;
    case SecretTypes.FILESTORE:
      return undefined;
    default:
      return `Unsupported type '${String(secret.Type)}' for secret '${String(secret.Namespace)}:${String(secret.Name)}'`;
  }
}

/**
 * Kanister's ValidateProfile message for `profile`, or undefined when Kanister accepts it. Never
 * throws: a Profile a host built with the wrong shapes gives undefined here (and a coded error from
 * {@link validateProfile}).
 */
export function kanisterProfileProblem(profile: Profile | null | undefined): string | undefined {
  if (!profile) return "Profile must be non-nil";
  try {
    const c = profile.Credential;
    switch (c?.Type) {
      case CredentialTypes.KEY_PAIR:
        if (!c.KeyPair) return "Empty KeyPair field";
        if (!c.KeyPair.ID) return "Access key ID is not set";
        if (!c.KeyPair.Secret) return "Secret access key is not set";
        break;
      case CredentialTypes.SECRET: {
        const problem = secretProblem(c.Secret);
        if (problem) return problem;
        break;
      }
      case CredentialTypes.KOPIA: {
        const k = c.KopiaServerSecret;
        if (!k) return "Empty KopiaServerSecret field";
        if (!k.Username) return "Kopia Username is not set";
        if (!k.Password) return "Kopia UserPassphrase is not set";
        if (!k.Hostname) return "Kopia Hostname is not set";
        if (!k.Cert) return "Kopia TLSCert is not set";
        break;
      }
      default:
        return `Unsupported type '${typeof c?.Type === "string" ? c.Type : ""}' for credentials`;
    }
    if (!(Object.values(LocationTypes) as unknown[]).includes(profile.Location?.Type)) {
      return "Location type not supported";
    }
  } catch {
    return undefined;
  }
  return undefined;
}
