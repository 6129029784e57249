/** Reading a credential Secret (as templates hold it: data as bytes). */
import type { SecretParams } from "../template-params.js";

/** The Secret's `type`. */
export function secretType(secret: SecretParams): string {
  return secret.Type;
}

/** The keys of the Secret's data. */
export function secretKeys(secret: SecretParams): string[] {
  return Object.keys(secret.Data);
}

/** The value of `key` in the Secret's data as text, or undefined when the key is absent. */
export function secretValue(secret: SecretParams, key: string): string | undefined {
  const bytes = Object.hasOwn(secret.Data, key) ? secret.Data[key] : undefined;
  return bytes === undefined ? undefined : Buffer.from(bytes).toString("utf8");
}

/** `namespace/name` of the Secret. */
export function secretName(secret: SecretParams): string {
  return `${secret.Namespace}/${secret.Name}`;
}
