/** Reading a credential Secret as the API serves it: its type and its base64 data. */
import type { KubeObject } from "@quiesce/kube";

/** The Secret's `type` ("" when absent, as Go's zero value). */
export function secretType(secret: KubeObject): string {
  return typeof secret.type === "string" ? secret.type : "";
}

/** The keys of the Secret's `data`. */
export function secretKeys(secret: KubeObject): string[] {
  const data = secret.data;
  return data !== null && typeof data === "object" ? Object.keys(data) : [];
}

/** The decoded value of `key` in the Secret's `data`, or undefined when the key is absent. */
export function secretValue(secret: KubeObject, key: string): string | undefined {
  const data = (secret.data ?? {}) as Record<string, unknown>;
  if (!Object.hasOwn(data, key)) return undefined;
  const value = data[key];
  return typeof value === "string" ? Buffer.from(value, "base64").toString("utf8") : "";
}

/** `namespace/name` of the Secret. */
export function secretName(secret: KubeObject): string {
  return `${secret.metadata?.namespace ?? ""}/${secret.metadata?.name ?? ""}`;
}
