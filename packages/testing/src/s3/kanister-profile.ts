/**
 * A Kanister Profile for a store started by {@link startObjectStore}: the Profile CRD (as much of it
 * as the local API server needs) and a `keyPair` Profile with its credential Secret, as a user
 * would apply them next to Kanister.
 *
 * @example
 * ```ts
 * const store = await startObjectStore({ buckets: ["backups"] });
 * await lc.apply(KANISTER_PROFILE_CRD);
 * await lc.apply(kanisterProfileManifests(store, { namespace: "kanister", bucket: "backups" }));
 * // runBlueprintAction(…, { profile: { namespace: "kanister", name: "s3-profile" } })
 * ```
 */
import type { ObjectStoreServer } from "./object-store.js";

/** The `profiles.cr.kanister.io` CustomResourceDefinition (schema left open). */
export const KANISTER_PROFILE_CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: profiles.cr.kanister.io }
spec:
  group: cr.kanister.io
  scope: Namespaced
  names: { plural: profiles, singular: profile, kind: Profile }
  versions: [{ name: v1alpha1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }]
`;

/** Where the Profile goes and what it points at. */
export interface KanisterProfileOptions {
  /** Namespace of the Profile and its Secret (default `kanister`). */
  namespace?: string;
  /** The Profile's name (default `s3-profile`). */
  name?: string;
  /** The Secret holding `access_key` / `secret_key` (default `s3-creds`). */
  secretName?: string;
  /** The location's bucket (default the store's first bucket). */
  bucket?: string;
  /** The Profile's `skipSSLVerify` (default true: the store's certificate is self-signed). */
  skipSSLVerify?: boolean;
  /** YAML appended to the Profile document (extra top-level fields). */
  extra?: string;
}

/** The credential Secret and the `s3Compliant` Profile for `store`, as one YAML stream. */
export function kanisterProfileManifests(
  store: ObjectStoreServer,
  options: KanisterProfileOptions = {},
): string {
  const namespace = options.namespace ?? "kanister";
  const secret = options.secretName ?? "s3-creds";
  const bucket = options.bucket ?? store.buckets[0] ?? "quiesce";
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  return `
apiVersion: v1
kind: Secret
metadata: { name: ${secret}, namespace: ${namespace} }
type: Opaque
data: { access_key: ${b64(store.accessKeyId)}, secret_key: ${b64(store.secretAccessKey)} }
---
apiVersion: cr.kanister.io/v1alpha1
kind: Profile
metadata: { name: ${options.name ?? "s3-profile"}, namespace: ${namespace} }
location: { type: s3Compliant, bucket: ${bucket}, endpoint: "${store.endpoint}", region: ${store.region} }
credential:
  type: keyPair
  keyPair: { idField: access_key, secretField: secret_key, secret: { apiVersion: v1, kind: Secret, name: ${secret}, namespace: ${namespace} } }
skipSSLVerify: ${options.skipSSLVerify ?? true}
${options.extra ?? ""}`;
}
