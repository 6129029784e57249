/**
 * BackupData and RestoreData of a mixed data set through the local cluster into the local S3
 * server, against the same restic commands (the argv and environment the functions build) run
 * directly on the host (each backup and restore with a cold restic cache, as in a new repository
 * and in RestoreData's new pod), on the same data, in the same run:
 * - wall time of each, and quiesce's ratio to the direct run (goal ≤ 1.10);
 * - peak RSS of this process above its baseline while quiesce runs (goal < 64 MiB whatever the size).
 * The cluster and the store run in a process of their own (see startDataClusterProcess), so this
 * process is only the SDK. Sizes: 64 MiB, then `QUIESCE_BENCH_DATA_MIB` (default 1024); rounds per
 * size: `QUIESCE_BENCH_DATA_ROUNDS` (default 3), alternating which side runs first; the ratio
 * reported is the median over the rounds (wall times on a shared machine vary from run to run: the
 * load average is printed with the figures). Every data set,
 * repository and restored copy lives in temporary directories that are removed at the end.
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@quiesce/kube";
import { resticTestsUnavailable } from "@quiesce/testing";
import {
  collectGarbage,
  cpuMsSince,
  fixed,
  MiB,
  median,
  printGrid,
  sampleRss,
  startDataClusterProcess,
} from "@quiesce/testing/bench";
import { registerBuiltins } from "../builtins/index.js";
import { loadProfile } from "../profile/load.js";
import type { Profile } from "../profile/types.js";
import { createRegistry } from "../registry.js";
import { runBlueprintAction } from "../runner/run-action.js";
import { blueprintOf } from "../test-support/local.js";
import { KANISTER_TOOLS_IMAGE } from "./common.js";
import {
  DEFAULT_ENCRYPTION_KEY,
  randomTag,
  resticArgs,
  resticCommand,
  snapshotIdFromBackupLog,
} from "./restic.js";

const unavailable = await resticTestsUnavailable();
if (unavailable !== undefined) {
  process.stdout.write(`data benchmark skipped: ${unavailable}\n`);
  process.exit(0);
}

const SIZES_MIB = [64, Number(process.env.QUIESCE_BENCH_DATA_MIB ?? 1024)];
const ROUNDS = Number(process.env.QUIESCE_BENCH_DATA_ROUNDS ?? 3);
const NS = "bench";
const TOOLS = KANISTER_TOOLS_IMAGE;

const workload = `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: bench-data, namespace: ${NS} }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 10Gi } } }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: bench-restore, namespace: ${NS} }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 10Gi } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: app, namespace: ${NS} }
spec:
  replicas: 1
  selector: { matchLabels: { app: bench } }
  template:
    metadata: { labels: { app: bench } }
    spec:
      volumes: [{ name: data, persistentVolumeClaim: { claimName: bench-data } }]
      containers:
      - { name: tools, image: ${TOOLS}, command: [sh, -c, "tail -f /dev/null"], volumeMounts: [{ name: data, mountPath: /data }] }
`;

const server = await startDataClusterProcess({ namespaces: [NS], manifests: workload });
const cluster = connect({ kubeconfig: server.kubeconfig });
const registry = createRegistry();
registerBuiltins(registry);

/** Files and bytes under `dir`. */
async function tree(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return { files, bytes };
}

/** Empties a directory (creating it if needed). */
async function empty(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(dir)) await rm(join(dir, name), { recursive: true, force: true });
}

const homes: string[] = [];
/**
 * A fresh HOME (so a fresh restic cache) for one direct backup or restore: the functions' restic
 * starts as cold in a new repository and in RestoreData's new pod.
 */
async function freshHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), "quiesce-bench-home-"));
  homes.push(home);
  return home;
}

/** Runs a restic command exactly as the functions build it, but on the host. */
function direct(
  profile: Profile,
  repository: string,
  args: string[],
  home: string,
): Promise<{ code: number; stdout: string }> {
  const command = resticCommand(profile, repository, DEFAULT_ENCRYPTION_KEY, args);
  return new Promise((resolve, reject) => {
    const child = spawn(command.argv[0] ?? "sh", command.argv.slice(1), {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: home,
        SSL_CERT_FILE: server.store.caFile,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4096)));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout: stdout + stderr }));
    child.stdin.end(command.stdin);
  });
}

/** Kanister's backup sequence on the host: list, init (the repository is new), backup. */
async function directBackup(profile: Profile, repository: string, path: string): Promise<string> {
  const home = await freshHome();
  const listed = await direct(profile, repository, resticArgs.latestSnapshots(false), home);
  if (listed.code !== 0) {
    const init = await direct(profile, repository, resticArgs.init(false), home);
    if (init.code !== 0) throw new Error(`restic init failed: ${init.stdout}`);
  }
  const backup = await direct(profile, repository, resticArgs.backup(randomTag(), path, false), home);
  const id = snapshotIdFromBackupLog(backup.stdout);
  if (backup.code !== 0 || id === "") throw new Error(`restic backup failed: ${backup.stdout}`);
  return id;
}

async function directRestore(
  profile: Profile,
  repository: string,
  id: string,
  target: string,
): Promise<void> {
  const restore = await direct(
    profile,
    repository,
    resticArgs.restoreById(id, target, "", false),
    await freshHome(),
  );
  if (restore.code !== 0) throw new Error(`restic restore failed: ${restore.stdout}`);
}

/** What one backup or restore took. */
interface Measured<T> {
  value: T;
  /** Wall time. */
  ms: number;
  /** This process's peak RSS above its baseline before the run. */
  rssMiB: number;
  /** CPU time of this process (the SDK) and of the cluster process (API server, store), in ms. */
  sdkCpuMs: number;
  clusterCpuMs: number;
}

async function measured<T>(fn: () => Promise<T>): Promise<Measured<T>> {
  collectGarbage();
  const base = process.memoryUsage.rss();
  const clusterFrom = await server.cpuMs();
  const cpu = process.cpuUsage();
  const rss = sampleRss(5);
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const sdkCpuMs = cpuMsSince(cpu);
  const rssMiB = (rss.stop() - base) / MiB;
  return { value, ms, rssMiB, sdkCpuMs, clusterCpuMs: (await server.cpuMs()) - clusterFrom };
}

/** Runs one function as a Blueprint phase against the bench deployment; resolves with its output. */
async function phase(func: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result = await runBlueprintAction(blueprintOf([{ func, name: "bench", args }]), "run", {
    cluster,
    registry,
    subject: { kind: "Deployment", namespace: NS, name: "app" },
    profile: server.profile,
  });
  if (result.error) throw result.error;
  return result.phases[0]?.output ?? {};
}

const quiesceBackup = async (pod: string, repository: string) =>
  String(
    (
      await phase("BackupData", {
        namespace: NS,
        pod,
        container: "tools",
        includePath: "/data",
        backupArtifactPrefix: repository,
      })
    ).backupID,
  );

const quiesceRestore = (repository: string, id: string) =>
  phase("RestoreData", {
    namespace: NS,
    image: TOOLS,
    volumes: { "bench-restore": "/restored" },
    restorePath: "/restored",
    backupArtifactPrefix: repository,
    backupIdentifier: id,
  });

const rows: string[][] = [];
const ratios: Record<"backup" | "restore", number[]> = { backup: [], restore: [] };
const rssBySize: Record<number, number> = {};
try {
  await cluster.waitFor(
    { group: "apps", version: "v1", resource: "deployments", namespace: NS, name: "app" },
    (o) => (o?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 1,
    { timeoutMs: 30_000 },
  );
  const pod =
    (await cluster.list({ version: "v1", resource: "pods", namespace: NS })).items[0]?.metadata?.name ?? "";
  const profile = await loadProfile(cluster, server.profile);
  const dataDir = await server.claimDir(NS, "bench-data");
  const restoreDir = await server.claimDir(NS, "bench-restore");
  const bucket = server.store.bucket;
  // A warm-up: first exec, first pod, first restic start are not what is measured.
  await quiesceBackup(pod, `${bucket}/warm-up`);

  for (const sizeMiB of SIZES_MIB) {
    await empty(dataDir);
    const set = await server.generate(dataDir, sizeMiB * MiB);
    const source = await tree(dataDir);
    process.stdout.write(`data set: ${set.files} files, ${fixed(set.bytes / MiB)} MiB\n`);
    for (let round = 1; round <= ROUNDS; round++) {
      const repo = (side: string) => `${bucket}/${sizeMiB}m-${round}-${side}`;
      const order = round % 2 === 1 ? ["direct", "quiesce"] : ["quiesce", "direct"];
      const times: Record<string, { backup: Measured<unknown>; restore: Measured<unknown> }> = {};
      for (const side of order) {
        await empty(restoreDir);
        if (side === "direct") {
          const b = await measured(() => directBackup(profile, repo(side), dataDir));
          const r = await measured(() => directRestore(profile, repo(side), b.value, restoreDir));
          times[side] = { backup: b, restore: r };
        } else {
          const b = await measured(() => quiesceBackup(pod, repo(side)));
          const r = await measured(() => quiesceRestore(repo(side), b.value));
          times[side] = { backup: b, restore: r };
        }
        const restored = await tree(restoreDir);
        if (restored.files !== source.files || restored.bytes !== source.bytes) {
          throw new Error(
            `${side}: restored ${restored.files} files / ${restored.bytes} B, expected ${source.files} / ${source.bytes}`,
          );
        }
      }
      const d = times.direct;
      const q = times.quiesce;
      if (!d || !q) continue;
      for (const op of ["backup", "restore"] as const) {
        const ratio = q[op].ms / d[op].ms;
        if (sizeMiB === SIZES_MIB.at(-1)) ratios[op].push(ratio);
        rows.push([
          `${sizeMiB} MiB`,
          op,
          String(round),
          fixed(d[op].ms),
          fixed(q[op].ms),
          fixed(q[op].ms - d[op].ms),
          `${ratio.toFixed(3)}×`,
          fixed(q[op].rssMiB, 1),
          fixed(q[op].sdkCpuMs),
          `${fixed(d[op].clusterCpuMs)} / ${fixed(q[op].clusterCpuMs)}`,
        ]);
        rssBySize[sizeMiB] = Math.max(rssBySize[sizeMiB] ?? 0, q[op].rssMiB);
      }
    }
  }
  printGrid(
    "BackupData / RestoreData against the same restic commands on the host (wall ms; RSS and CPU of this process, the SDK; CPU of the cluster process, which also serves the store)",
    [
      "data",
      "op",
      "round",
      "direct ms",
      "quiesce ms",
      "difference ms",
      "ratio",
      "peak RSS +MiB",
      "SDK CPU ms",
      "cluster CPU ms direct / quiesce",
    ],
    rows,
  );
  const last = SIZES_MIB.at(-1) ?? 0;
  process.stdout.write(
    `\n${last} MiB: median ratio backup ${median(ratios.backup).toFixed(3)}×, restore ${median(ratios.restore).toFixed(3)}× (goal ≤ 1.10); ` +
      `peak RSS above baseline ${SIZES_MIB.map((s) => `${s} MiB → ${fixed(rssBySize[s] ?? Number.NaN, 1)} MiB`).join(", ")} (goal < 64); ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} on ${availableParallelism()} CPUs\n`,
  );
} finally {
  await server.stop();
  for (const home of homes) await rm(home, { recursive: true, force: true });
}
