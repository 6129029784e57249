/** `startLocalCluster()`: an embedded Kubernetes API server with controllers and a container runtime, for tests. */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Logger, noopLogger, throwIfAborted } from "@quiesce/core";
import { type Cluster, type ConnectOptions, connect } from "@quiesce/kube";
import {
  type ApiServer,
  createApiServer,
  createFaults,
  createObjectStore,
  type Faults,
  kubeconfigFor,
  type LocalObjectStore,
  type StoredObject,
} from "./api/index.js";
import { type ApplyOptions, applyManifests, deleteManifests, type ManifestInput } from "./apply.js";
import { type RunningControllers, startControllers } from "./controllers/manager.js";
import { snapshotCrds } from "./csi/crds.js";
import type { LocalCsiDriver } from "./csi/driver.js";
import type { LocalCsiOptions } from "./csi/index.js";
import { createProcessRuntime, type ProcessRuntime } from "./runtime/process.js";
import { createScriptedRuntime, type ScriptableRuntime } from "./runtime/scripted.js";
import type { ContainerRuntime } from "./runtime/types.js";

/** Options of {@link startLocalCluster}. */
export interface LocalClusterOptions<R extends ContainerRuntime = ScriptableRuntime> {
  /**
   * How containers run: `"scripted"` (default; test handlers via `runtime.onExec`/`onRun`),
   * `"process"` (host processes — NOT isolated), or your own {@link ContainerRuntime}.
   */
  runtime?: "scripted" | "process" | R;
  /** Delay between a pod being scheduled and its containers starting (default 20 ms; tests use 0–5). */
  podStartDelayMs?: number;
  /** Delay between a container starting and becoming Ready (default 10 ms). */
  readyDelayMs?: number;
  /** Delay between a deleted pod's containers stopping and the pod disappearing (default 10 ms). */
  terminationDelayMs?: number;
  /** status.podIP of every pod (default 127.0.0.1, so HTTP hooks reach servers you start on loopback). */
  podIP?: string;
  /** Bearer token the API server requires (default: a random one, written into the kubeconfig). */
  token?: string;
  /** Namespaces to create besides `default` and `kube-system`. */
  namespaces?: string[];
  /** Images that fail to pull (default: tag `does-not-exist` or registry `invalid.example/`). */
  imagePullFailures?: (image: string) => boolean;
  /** Bytes of log kept per container (default 4 MiB). */
  logLimitBytes?: number;
  /** First container restart delay (default 50 ms, doubling, at most 5 s). */
  restartBackoffMs?: number;
  /**
   * Serve HTTPS with a throwaway self-signed certificate for 127.0.0.1, whose CA goes into the
   * kubeconfig (`certificate-authority-data`; no insecure skip). Default false (plain http).
   * Needed for kubectl, which never sends a bearer token over plain http (it then gets 401).
   */
  tls?: boolean;
  /**
   * Volume snapshots (default on): the `snapshot.storage.k8s.io/v1` CRDs, the snapshot controller
   * and the local CSI driver (`csi` on the result). `false` serves none of it, like a cluster
   * without the snapshot CRDs; an object sets the driver name and retry intervals.
   */
  csi?: boolean | LocalCsiOptions;
  /** Options for the `cluster` adapter (qps, burst, retry, …); the kubeconfig is the local one. */
  connect?: Omit<ConnectOptions, "kubeconfig" | "kubeconfigPath" | "context">;
  /** Receives controller diagnostics; nothing is written to the console. */
  logger?: Logger;
  /** Aborts the start-up. */
  signal?: AbortSignal;
}

/** A running local cluster. */
export interface LocalCluster<R extends ContainerRuntime = ScriptableRuntime> {
  /** `http://127.0.0.1:<port>` (`https://` with `tls`). */
  readonly url: string;
  /** With `tls`: the server certificate (PEM) clients trust, also in the kubeconfig. */
  readonly certificateAuthority?: string;
  /** A kubeconfig (YAML) for the cluster: `connect({ kubeconfig })`, kubectl, client-node. */
  readonly kubeconfig: string;
  /** The same kubeconfig written to a temporary file (removed by `stop()`). */
  readonly kubeconfigPath: string;
  /** The bearer token the server accepts. */
  readonly token: string;
  /** The Cluster port over real HTTP/WebSocket: `@quiesce/kube`'s client-node adapter. */
  readonly cluster: Cluster;
  /** The object store behind the server, for white-box assertions and direct setup. */
  readonly store: LocalObjectStore;
  /** The container runtime: register handlers with `runtime.onExec` / `runtime.onRun`. */
  readonly runtime: R;
  /** Fault injection: errors, latency, resets, cut exec/watch streams, `410 Gone`. */
  readonly faults: Faults;
  /**
   * The local CSI driver behind VolumeSnapshots: its name (for VolumeSnapshotClasses), the
   * physical snapshots it holds, and CSI faults (driver errors, snapshots that never become ready).
   * Absent with `csi: false`.
   */
  readonly csi?: LocalCsiDriver;
  /** The cluster's temporary directory (pod roots and PVC directories of the process runtime live here). */
  readonly tmpDir: string;
  /** Creates or updates objects (multi-document YAML, an object or a list); CRDs and namespaces first. */
  apply(input: ManifestInput, options?: ApplyOptions): Promise<StoredObject[]>;
  /** Deletes the objects named in `input` (Background propagation); missing ones are skipped. */
  delete(input: ManifestInput, options?: ApplyOptions): Promise<StoredObject[]>;
  /** Stops the server, every container process and exec session, and removes the temporary files. Idempotent. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

function makeRuntime<R extends ContainerRuntime>(
  choice: "scripted" | "process" | R | undefined,
  root: string,
): R | ScriptableRuntime | ProcessRuntime {
  if (choice === undefined || choice === "scripted") return createScriptedRuntime();
  if (choice === "process") return createProcessRuntime({ root });
  return choice;
}

/**
 * Starts an embedded Kubernetes API server on 127.0.0.1 (real HTTP + WebSocket wire protocol) with
 * controllers for Deployments, ReplicaSets, StatefulSets (with PVCs), Jobs and pods, volume
 * snapshots (the snapshot.storage.k8s.io/v1 CRDs, a snapshot controller and a local CSI driver), and
 * a pluggable container runtime. `connect()` and client-node work against it unchanged; kubectl too
 * with `tls: true` (kubectl sends the bearer token only over https).
 *
 * @example
 * ```ts
 * import { startLocalCluster } from "@quiesce/testing";
 * import { afterAll, beforeAll, expect, it } from "vitest";
 *
 * let lc: Awaited<ReturnType<typeof startLocalCluster>>;
 * beforeAll(async () => {
 *   lc = await startLocalCluster({ podStartDelayMs: 0, readyDelayMs: 0, terminationDelayMs: 0 });
 * });
 * afterAll(() => lc.stop());
 *
 * it("freezes the database", async () => {
 *   lc.runtime.onExec({ container: "db", command: /^fsfreeze/ }, () => ({ stdout: "frozen\n" }));
 *   await lc.apply(`
 * apiVersion: v1
 * kind: Pod
 * metadata: { name: db-0 }
 * spec: { containers: [{ name: db, image: postgres:16 }] }
 * `);
 *   await lc.cluster.waitFor({ version: "v1", resource: "pods", namespace: "default", name: "db-0" },
 *     (pod) => (pod?.status as { phase?: string } | undefined)?.phase === "Running");
 *   const result = await lc.cluster.exec({ namespace: "default", pod: "db-0" }, ["fsfreeze", "-f", "/data"]);
 *   expect(result).toMatchObject({ exitCode: 0, stdout: "frozen\n" });
 * });
 * ```
 */
export async function startLocalCluster(
  options?: LocalClusterOptions<ScriptableRuntime> & { runtime?: "scripted" },
): Promise<LocalCluster<ScriptableRuntime>>;
export async function startLocalCluster(
  options: LocalClusterOptions<ProcessRuntime> & { runtime: "process" },
): Promise<LocalCluster<ProcessRuntime>>;
export async function startLocalCluster<R extends ContainerRuntime>(
  options: LocalClusterOptions<R> & { runtime: R },
): Promise<LocalCluster<R>>;
export async function startLocalCluster<R extends ContainerRuntime>(
  options: LocalClusterOptions<R> = {},
): Promise<LocalCluster<R>> {
  throwIfAborted(options.signal);
  const tmpDir = await mkdtemp(join(tmpdir(), "quiesce-local-"));
  const runtime = makeRuntime(options.runtime, tmpDir) as R;
  const store = createObjectStore({ namespaces: ["default", "kube-system", ...(options.namespaces ?? [])] });
  const faults = createFaults();
  const token = options.token ?? randomBytes(24).toString("hex");
  let controllers: RunningControllers | undefined;
  let server: ApiServer | undefined;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await server?.close();
      await controllers?.stop();
      await runtime.close?.();
      await rm(tmpDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    const csi = options.csi ?? true;
    if (csi !== false) applyManifests(store, snapshotCrds());
    controllers = startControllers(store, runtime, {
      csi: csi === true ? {} : csi,
      ...(options.podStartDelayMs !== undefined ? { podStartDelayMs: options.podStartDelayMs } : {}),
      ...(options.readyDelayMs !== undefined ? { readyDelayMs: options.readyDelayMs } : {}),
      ...(options.terminationDelayMs !== undefined ? { terminationDelayMs: options.terminationDelayMs } : {}),
      ...(options.podIP !== undefined ? { podIP: options.podIP } : {}),
      ...(options.imagePullFailures !== undefined ? { imagePullFailures: options.imagePullFailures } : {}),
      ...(options.logLimitBytes !== undefined ? { logLimitBytes: options.logLimitBytes } : {}),
      ...(options.restartBackoffMs !== undefined ? { restartBackoffMs: options.restartBackoffMs } : {}),
      logger: options.logger ?? noopLogger,
      faults,
    });
    server = await createApiServer({
      store,
      podIO: controllers.podIO,
      faults,
      token,
      ...(options.tls ? { tls: true } : {}),
    });
    throwIfAborted(options.signal);
    const { certificateAuthority } = server;
    const kubeconfig = kubeconfigFor(
      server.url,
      token,
      certificateAuthority !== undefined ? { certificateAuthority } : {},
    );
    const kubeconfigPath = join(tmpDir, "kubeconfig");
    await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
    const cluster = connect({ ...(options.connect ?? {}), kubeconfig });
    const url = server.url;
    return {
      url,
      ...(certificateAuthority !== undefined ? { certificateAuthority } : {}),
      kubeconfig,
      kubeconfigPath,
      token,
      cluster,
      store,
      runtime,
      faults,
      ...(controllers.csi ? { csi: controllers.csi } : {}),
      tmpDir,
      apply: async (input, applyOptions) => applyManifests(store, input, applyOptions),
      delete: async (input, applyOptions) => deleteManifests(store, input, applyOptions),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
