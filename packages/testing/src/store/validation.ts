/** Object-name and label validation with the API server's messages (422 Invalid with a field path). */
import { ApiStatusError } from "../api/errors.js";
import type { ResourceType } from "../api/seams.js";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Resources whose names must be DNS-1123 labels (no dots, ≤ 63) rather than subdomains. */
const LABEL_NAMED = new Set(["namespaces", "services"]);

/** Returns a message when `name` is not a valid object name for `type`, else undefined. */
export function nameProblem(type: ResourceType, name: string): string | undefined {
  if (LABEL_NAMED.has(type.resource) && type.group === "") {
    if (name.length > 63 || !DNS1123_LABEL.test(name)) {
      return `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;
    }
    return undefined;
  }
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
  }
  return undefined;
}

function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf("/");
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
    return `Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`;
  }
  if (
    prefix !== undefined &&
    (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))
  ) {
    return `Invalid value: "${key}": prefix part must be a lowercase RFC 1123 subdomain`;
  }
  return undefined;
}

/** Validates name and labels; throws 422 Invalid naming every offending field. */
export function validateMeta(
  type: ResourceType,
  meta: { name?: unknown; labels?: unknown; annotations?: unknown },
  displayName: string,
): void {
  const causes: { field: string; message: string; reason?: string }[] = [];
  if (typeof meta.name !== "string" || meta.name === "") {
    causes.push({
      field: "metadata.name",
      message: "Required value: name or generateName is required",
      reason: "FieldValueRequired",
    });
  } else {
    const problem = nameProblem(type, meta.name);
    if (problem) causes.push({ field: "metadata.name", message: problem });
  }
  if (meta.labels !== undefined && meta.labels !== null) {
    if (typeof meta.labels !== "object") {
      causes.push({
        field: "metadata.labels",
        message: "Invalid value: labels must be a map of strings",
        reason: "FieldValueTypeInvalid",
      });
    } else {
      for (const [k, v] of Object.entries(meta.labels)) {
        const kp = labelKeyProblem(k);
        if (kp) causes.push({ field: "metadata.labels", message: kp });
        if (typeof v !== "string" || v.length > 63 || !LABEL_VALUE.test(v)) {
          causes.push({
            field: `metadata.labels`,
            message: `Invalid value: "${String(v)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
          });
        }
      }
    }
  }
  if (meta.annotations !== undefined && meta.annotations !== null) {
    const ok =
      typeof meta.annotations === "object" &&
      Object.values(meta.annotations).every((v) => typeof v === "string");
    if (!ok)
      causes.push({
        field: "metadata.annotations",
        message: "Invalid value: annotations must be a map of strings",
        reason: "FieldValueTypeInvalid",
      });
  }
  if (causes.length > 0) throw ApiStatusError.invalid(type.kind, type.group, displayName, causes);
}

const SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** A random 5-character suffix from the alphabet the API server uses for generateName. */
export function randomSuffix(): string {
  let s = "";
  for (let i = 0; i < 5; i++) s += SUFFIX_ALPHABET[Math.floor(Math.random() * SUFFIX_ALPHABET.length)];
  return s;
}
