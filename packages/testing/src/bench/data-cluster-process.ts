/**
 * For the data benchmarks: a local cluster (process runtime, kanister-tools containers with file
 * systems of their own) and an S3 server, both in a process of their own, with a Kanister Profile
 * `kanister/s3-profile` for the store's bucket. The benchmark's process is then only the client,
 * so its memory figures are the SDK's, not the API server's or the store's. The process also
 * writes the benchmark's data set into a claim on request, so generating it costs the client nothing.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startLocalCluster } from "../local-cluster.js";
import { KANISTER_PROFILE_CRD, kanisterProfileManifests } from "../s3/kanister-profile.js";
import { startObjectStore } from "../s3/object-store.js";

/** What the data cluster process serves. */
export interface DataClusterOptions {
  /** Namespaces to create besides `kanister` (default `["bench"]`). */
  namespaces?: readonly string[];
  /** YAML applied once the Profile exists (the workload). */
  manifests?: string;
  /** The store's bucket (default `bench`). */
  bucket?: string;
}

/** The store as a client sees it. */
export interface DataClusterStore {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The store's CA certificate in a file (restic `SSL_CERT_FILE`). */
  caFile: string;
  bucket: string;
}

/** What a mixed data set holds. */
export interface DataSetSummary {
  files: number;
  bytes: number;
}

/** A running data cluster process. */
export interface DataClusterProcess {
  kubeconfig: string;
  store: DataClusterStore;
  /** The Profile resource for the store's bucket. */
  profile: { namespace: string; name: string };
  /** The host directory of a claim (its data lives there). */
  claimDir(namespace: string, claim: string): Promise<string>;
  /**
   * Writes about `bytes` of incompressible data into `dir` as a mix of file sizes (40 % in 8 large
   * files, 40 % in 1 MiB files, 20 % in 16 KiB files), from the cluster process.
   */
  generate(dir: string, bytes: number): Promise<DataSetSummary>;
  /** CPU time (user + system, ms) the cluster process has used since it started (not its children). */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

type Query =
  | { claimDir: { namespace: string; claim: string } }
  | { generate: { dir: string; bytes: number } }
  | { cpu: true };
type Request = Query & { id: number };
type Ready = Omit<DataClusterProcess, "claimDir" | "generate" | "cpuMs" | "stop">;

const MiB = 1024 * 1024;

/** Writes the mixed data set (see {@link DataClusterProcess.generate}). */
async function generate(dir: string, bytes: number): Promise<DataSetSummary> {
  const chunk = Buffer.allocUnsafe(MiB);
  let files = 0;
  let written = 0;
  const write = async (path: string, size: number) => {
    await mkdir(join(path, ".."), { recursive: true });
    const file = await open(path, "w");
    try {
      for (let left = size; left > 0; left -= chunk.length) {
        const part = chunk.subarray(0, Math.min(chunk.length, left));
        randomFillSync(part);
        await file.write(part);
      }
    } finally {
      await file.close();
    }
    files++;
    written += size;
  };
  const large = Math.floor((bytes * 0.4) / 8);
  for (let i = 0; i < 8; i++) await write(join(dir, "large", `blob-${i}.bin`), large);
  const medium = Math.floor((bytes * 0.4) / MiB);
  for (let i = 0; i < medium; i++) await write(join(dir, "medium", String(i % 16), `file-${i}.bin`), MiB);
  const small = Math.floor((bytes * 0.2) / (16 * 1024));
  for (let i = 0; i < small; i++) await write(join(dir, "small", String(i % 64), `file-${i}.dat`), 16 * 1024);
  return { files, bytes: written };
}

async function serve(options: DataClusterOptions): Promise<void> {
  const bucket = options.bucket ?? "bench";
  const store = await startObjectStore({ buckets: [bucket] });
  const lc = await startLocalCluster({
    runtime: "process",
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: ["kanister", ...(options.namespaces ?? ["bench"])],
  });
  lc.runtime.isolate({
    image: "kanister-tools",
    env: { SSL_CERT_FILE: store.caFile },
    hostPaths: [store.caFile],
  });
  await lc.apply(KANISTER_PROFILE_CRD);
  await lc.apply(kanisterProfileManifests(store, { bucket }));
  if (options.manifests) await lc.apply(options.manifests);
  process.on("message", (m: Request) => {
    const answer = async () => {
      if ("claimDir" in m) return lc.runtime.pvcDir(m.claimDir.namespace, m.claimDir.claim);
      if ("cpu" in m) {
        const used = process.cpuUsage();
        return (used.user + used.system) / 1000;
      }
      return generate(m.generate.dir, m.generate.bytes);
    };
    void answer().then(
      (value) => process.send?.({ id: m.id, value }),
      (err: unknown) => process.send?.({ id: m.id, error: String(err) }),
    );
  });
  process.on("disconnect", () => {
    void lc
      .stop()
      .then(() => store.stop())
      .then(() => process.exit(0));
  });
  const ready: Ready = {
    kubeconfig: lc.kubeconfig,
    store: {
      endpoint: store.endpoint,
      accessKeyId: store.accessKeyId,
      secretAccessKey: store.secretAccessKey,
      caFile: store.caFile,
      bucket,
    },
    profile: { namespace: "kanister", name: "s3-profile" },
  };
  process.send?.({ ready });
}

if (process.argv[2] === "--serve-data-cluster") void serve(JSON.parse(process.argv[3] ?? "{}"));

/**
 * Starts the data cluster process and resolves once the store, the cluster, the Profile and
 * `manifests` are in place.
 *
 * @example
 * ```ts
 * const server = await startDataClusterProcess({ manifests: workloadYaml });
 * const cluster = connect({ kubeconfig: server.kubeconfig });
 * await server.generate(await server.claimDir("bench", "data"), 1024 * MiB);
 * // runBlueprintAction(…, { cluster, profile: server.profile })
 * await server.stop();
 * ```
 */
export async function startDataClusterProcess(options: DataClusterOptions = {}): Promise<DataClusterProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...process.execArgv.filter((a) => a !== "--expose-gc"),
      fileURLToPath(import.meta.url),
      "--serve-data-cluster",
      JSON.stringify(options),
    ],
    { stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  const ready = await new Promise<Ready>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the data cluster process exited with ${code}`));
    child.once("exit", onExit);
    child.on("message", (m: { ready?: Ready }) => {
      if (!m.ready) return;
      child.off("exit", onExit);
      resolve(m.ready);
    });
  });
  let next = 0;
  const ask = <T>(request: Query) =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      const onMessage = (m: { id?: number; value?: T; error?: string }) => {
        if (m.id !== id) return;
        child.off("message", onMessage);
        if (m.error !== undefined) reject(new Error(m.error));
        else resolve(m.value as T);
      };
      child.on("message", onMessage);
      child.send({ ...request, id });
    });
  return {
    ...ready,
    claimDir: (namespace, claim) => ask<string>({ claimDir: { namespace, claim } }),
    generate: (dir, bytes) => ask<DataSetSummary>({ generate: { dir, bytes } }),
    cpuMs: () => ask<number>({ cpu: true }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.disconnect();
      }),
  };
}
