/**
 * The data functions' test set-up: a local cluster whose `kanister-tools` containers run real
 * restic on their own file system (isolated process runtime), an S3 server (s3rver over https) whose
 * CA those containers trust, and a Kanister Profile for it.
 */
import { execFile } from "node:child_process";
import {
  type LocalCluster,
  type ObjectStoreServer,
  type ProcessRuntime,
  startLocalCluster,
  startObjectStore,
} from "@quiesce/testing";
import { registerBuiltins } from "../../builtins/index.js";
import { createRegistry, type FunctionRegistry } from "../../registry.js";
import { DEFAULT_ENCRYPTION_KEY } from "../restic.js";

/** Image the tests' tool containers use; matched by the isolation rule. */
export const TOOLS_IMAGE = "ghcr.io/kanisterio/kanister-tools:0.119.0";

/** Kanister's Profile CRD, as much of it as the local API server needs. */
export const PROFILE_CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: profiles.cr.kanister.io }
spec:
  group: cr.kanister.io
  scope: Namespaced
  names: { plural: profiles, singular: profile, kind: Profile }
  versions: [{ name: v1alpha1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }]
`;

/** A running data test environment. */
export interface DataEnv {
  lc: LocalCluster<ProcessRuntime>;
  store: ObjectStoreServer;
  registry: FunctionRegistry;
  /** The Profile resource `kanister/s3-profile` for the store's bucket `quiesce`. */
  profile: { namespace: string; name: string };
  bucket: string;
  /** Runs restic on the host against `repository` (a `bucket/path`) with the store's credentials. */
  restic(
    repository: string,
    args: string[],
    password?: string,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

/** The Profile and its credential Secret for `store` (bucket `quiesce`), in namespace `kanister`. */
export function profileManifests(store: ObjectStoreServer, extra = ""): string {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  return `
apiVersion: v1
kind: Secret
metadata: { name: s3-creds, namespace: kanister }
type: Opaque
data: { access_key: ${b64(store.accessKeyId)}, secret_key: ${b64(store.secretAccessKey)} }
---
apiVersion: cr.kanister.io/v1alpha1
kind: Profile
metadata: { name: s3-profile, namespace: kanister }
location: { type: s3Compliant, bucket: quiesce, endpoint: "${store.endpoint}", region: us-east-1 }
credential:
  type: keyPair
  keyPair: { idField: access_key, secretField: secret_key, secret: { apiVersion: v1, kind: Secret, name: s3-creds, namespace: kanister } }
skipSSLVerify: true
${extra}`;
}

/** Starts the cluster, the store and the Profile; namespaces besides `kanister` may be asked for. */
export async function startDataEnv(namespaces: string[] = []): Promise<DataEnv> {
  const store = await startObjectStore({ buckets: ["quiesce"] });
  const lc = await startLocalCluster({
    runtime: "process",
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: ["kanister", ...namespaces],
  });
  // The "image" trusts the store's CA, as a real one would after adding it to its trust store.
  lc.runtime.isolate({
    image: "kanister-tools",
    env: { SSL_CERT_FILE: store.caFile },
    hostPaths: [store.caFile],
  });
  await lc.apply(PROFILE_CRD);
  await lc.apply(profileManifests(store));
  const registry = createRegistry();
  registerBuiltins(registry);
  return {
    lc,
    store,
    registry,
    profile: { namespace: "kanister", name: "s3-profile" },
    bucket: "quiesce",
    restic: (repository, args, password = DEFAULT_ENCRYPTION_KEY) =>
      new Promise((resolve) => {
        execFile(
          "restic",
          args,
          {
            env: {
              PATH: process.env.PATH ?? "",
              HOME: process.env.HOME ?? "/tmp",
              AWS_ACCESS_KEY_ID: store.accessKeyId,
              AWS_SECRET_ACCESS_KEY: store.secretAccessKey,
              RESTIC_REPOSITORY: `s3:${store.endpoint}/${repository}`,
              RESTIC_PASSWORD: password,
              SSL_CERT_FILE: store.caFile,
            },
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
          },
          (err, stdout, stderr) =>
            resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      }),
    async stop() {
      await lc.stop();
      await store.stop();
    },
  };
}
