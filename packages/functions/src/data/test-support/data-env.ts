/**
 * The data functions' test set-up: a local cluster whose `kanister-tools` containers run real
 * restic on their own file system (isolated process runtime), an S3 server (s3rver over https) whose
 * CA those containers trust, and a Kanister Profile for it.
 */
import {
  KANISTER_PROFILE_CRD,
  kanisterProfileManifests,
  type LocalCluster,
  type ObjectStoreServer,
  type ProcessRuntime,
  type ResticRun,
  runResticOnHost,
  startLocalCluster,
  startObjectStore,
} from "@quiesce/testing";
import { registerBuiltins } from "../../builtins/index.js";
import { createRegistry, type FunctionRegistry } from "../../registry.js";
import { DEFAULT_ENCRYPTION_KEY } from "../restic.js";

/** Image the tests' tool containers use; matched by the isolation rule. */
export const TOOLS_IMAGE = "ghcr.io/kanisterio/kanister-tools:0.119.0";

/** A running data test environment. */
export interface DataEnv {
  lc: LocalCluster<ProcessRuntime>;
  store: ObjectStoreServer;
  registry: FunctionRegistry;
  /** The Profile resource `kanister/s3-profile` for the store's bucket `quiesce`. */
  profile: { namespace: string; name: string };
  bucket: string;
  /** Runs restic on the host against `repository` (a `bucket/path`) with the store's credentials. */
  restic(repository: string, args: string[], password?: string): Promise<ResticRun>;
  stop(): Promise<void>;
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
  await lc.apply(KANISTER_PROFILE_CRD);
  await lc.apply(kanisterProfileManifests(store));
  const registry = createRegistry();
  registerBuiltins(registry);
  return {
    lc,
    store,
    registry,
    profile: { namespace: "kanister", name: "s3-profile" },
    bucket: "quiesce",
    restic: (repository, args, password = DEFAULT_ENCRYPTION_KEY) =>
      runResticOnHost(store, repository, args, password),
    async stop() {
      await lc.stop();
      await store.stop();
    },
  };
}
