/**
 * The process container runtime: containers' main commands and exec sessions run as HOST processes.
 * Not isolated in any way — host user, host filesystem, host network. For examples and end-to-end runs.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { lstat, mkdir, rm, symlink, unlink } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { directorySnapshots } from "./directory-snapshots.js";
import {
  type Handler,
  type HandlerMatch,
  HandlerRegistry,
  imageMatches,
  KILLED_EXIT_CODE,
  runHandler,
  write,
} from "./handlers.js";
import { type IsolatedMount, type IsolationRule, isolatedArgv } from "./isolation.js";
import { MemoryVolumes } from "./memory-files.js";
import { mapArguments, POD_DIRECTORIES, podDirectories, podEnvironment } from "./pod-paths.js";
import type { ScriptableRuntime } from "./scripted.js";
import type { ContainerInfo, ExecIO, PodInfo, ProcessExit, ProcessOutput } from "./types.js";

/** Options of {@link createProcessRuntime}. */
export interface ProcessRuntimeOptions {
  /** Directory holding pod roots (`pods/`), PVC directories (`pvcs/`) and other volumes. */
  root: string;
  /**
   * Host environment variables passed through to processes (default PATH and LANG). They win over
   * the pod's own HOME, TMPDIR and HOSTNAME; the container's `env` wins over both.
   */
  passEnv?: readonly string[];
  /** How long a process may take to exit after SIGTERM before SIGKILL (default 500 ms). */
  killGraceMs?: number;
  /** Containers that get a file system of their own (see {@link ProcessRuntime.isolate}). */
  isolate?: readonly IsolationRule[];
}

const encoder = new TextEncoder();

/** The process runtime: scriptable like the default one, with host directories per pod and per PVC. */
export interface ProcessRuntime extends ScriptableRuntime {
  /** The host directory of a pod's root (its processes' cwd and `$QUIESCE_POD_ROOT`). */
  podRoot(namespace: string, pod: string, podUid: string): string;
  /** The host directory of a PVC (`<root>/pvcs/<namespace>/<claim>`). */
  pvcDir(namespace: string, claim: string): string;
  /**
   * Gives containers whose image matches `rule.image` a file system of their own: their processes
   * run chrooted in a private mount namespace, with the host's system directories read-only and
   * each volume mounted at its `mountPath`, so absolute paths in their commands mean what they
   * mean in a real container. Needs root or unprivileged user namespaces
   * (`isolationAvailable()`). Returns an undo function; the latest matching rule wins.
   *
   * @example
   * ```ts
   * lc.runtime.isolate({ image: "kanister-tools", env: { SSL_CERT_FILE: caFile }, hostPaths: [caFile] });
   * // `restic backup /var/log` in such a container reads the volume mounted at /var/log
   * ```
   */
  isolate(rule: IsolationRule): () => void;
  startPod(pod: PodInfo): Promise<void>;
  stopPod(pod: PodInfo): Promise<void>;
  /** Kills every process still running. */
  close(): void;
}

/**
 * Creates the process runtime. Each pod gets a root directory (the processes' cwd, also in
 * `$QUIESCE_POD_ROOT`); each PVC is a host directory `<root>/pvcs/<namespace>/<claim>` (a volume
 * snapshot is a copy of it under `<root>/snapshots/<handle>`), and every
 * volumeMount appears as a symlink `<podRoot>/<mountPath without leading slash>` to its volume's
 * directory — commands use relative paths or `$QUIESCE_POD_ROOT/<mountPath>`. Commands run
 * without a shell unless their argv is itself `sh -c …`. Scripted handlers registered with
 * `onExec`/`onRun` take precedence over host processes.
 *
 * @example
 * ```ts
 * const lc = await startLocalCluster({ runtime: "process" });
 * // …a pod "shell" is Running…
 * const r = await lc.cluster.exec({ namespace: "default", pod: "shell" }, ["sh", "-c", "echo hi; exit 3"]);
 * // r.exitCode === 3, r.stdout === "hi\n"
 * ```
 */
export function createProcessRuntime(options: ProcessRuntimeOptions): ProcessRuntime {
  const execs = new HandlerRegistry();
  const runs = new HandlerRegistry();
  const volumes = new MemoryVolumes();
  const passEnv = options.passEnv ?? ["PATH", "LANG"];
  const killGraceMs = options.killGraceMs ?? 500;
  const children = new Set<ChildProcess>();
  const rules: IsolationRule[] = [...(options.isolate ?? [])];

  const podRoot = (namespace: string, pod: string, podUid: string) =>
    join(options.root, "pods", namespace, `${pod}-${podUid.slice(0, 8)}`);
  const pvcDir = (namespace: string, claim: string) => join(options.root, "pvcs", namespace, claim);
  const volumeDir = (podUid: string, volume: string) => join(options.root, "volumes", podUid, volume);
  const rootfsDir = (namespace: string, pod: string, podUid: string) =>
    join(options.root, "rootfs", namespace, `${pod}-${podUid.slice(0, 8)}`);
  const ruleFor = (container: ContainerInfo) => {
    for (let i = rules.length - 1; i >= 0; i--) {
      const rule = rules[i];
      if (rule && imageMatches(rule.image, container.image)) return rule;
    }
    return undefined;
  };
  // An isolated container: its command runs chrooted with its volumes at their mount paths.
  const isolated = (container: ContainerInfo, rule: IsolationRule, argv: readonly string[]) => {
    const mounts: IsolatedMount[] = container.mounts.map((m) => ({
      source: m.claimName ? pvcDir(container.namespace, m.claimName) : volumeDir(container.podUid, m.name),
      target: m.mountPath,
      readOnly: m.readOnly,
    }));
    for (const path of rule.hostPaths ?? []) mounts.push({ source: path, target: path, readOnly: true });
    const rootfs = join(rootfsDir(container.namespace, container.pod, container.podUid), container.container);
    return isolatedArgv(rootfs, container.workingDir ?? "/", mounts, argv);
  };

  const environment = (container: ContainerInfo): Record<string, string> => {
    const root = podRoot(container.namespace, container.pod, container.podUid);
    const env: Record<string, string> = podEnvironment(root, container.pod);
    for (const name of passEnv) {
      const value = process.env[name];
      if (value !== undefined) env[name] = value;
    }
    return { ...env, ...container.env, QUIESCE_POD_ROOT: root };
  };

  // Inside its own file system a container's HOME and TMPDIR are /root and /tmp, as in an image.
  const isolatedEnvironment = (container: ContainerInfo, rule: IsolationRule): Record<string, string> => {
    const env: Record<string, string> = { ...environment(container), HOME: "/root", TMPDIR: "/tmp" };
    delete env.QUIESCE_POD_ROOT;
    return { ...env, ...container.env, ...rule.env };
  };

  const spawnProcess = (
    container: ContainerInfo,
    argv: readonly string[],
    io: ProcessOutput & { stdin?: AsyncIterable<Uint8Array> | undefined },
    signal: AbortSignal,
  ): Promise<ProcessExit> =>
    new Promise<ProcessExit>((resolve) => {
      if (argv[0] === undefined) {
        resolve({ exitCode: 0 });
        return;
      }
      const root = podRoot(container.namespace, container.pod, container.podUid);
      const rule = ruleFor(container);
      let cwd = root;
      let command: readonly string[];
      try {
        if (!rule && container.workingDir) cwd = inRoot(root, container.workingDir, "workingDir");
        // An isolated container sees its paths where they are; others get theirs mapped into the pod root.
        command = rule
          ? isolated(container, rule, argv)
          : mapArguments(argv, podDirectories(container), root, cwd);
      } catch (err) {
        const message = `quiesce local cluster (process runtime): ${(err as Error).message}\n`;
        void write(io.stderr, encoder.encode(message)).then(() => resolve({ exitCode: 126 }));
        return;
      }
      const [file, ...args] = command as [string, ...string[]];
      const child = spawn(file, args, {
        cwd,
        env: rule ? isolatedEnvironment(container, rule) : environment(container),
        detached: true, // its own process group, so a kill reaches what it started
        stdio: [io.stdin ? "pipe" : "ignore", "pipe", "pipe"],
      });
      children.add(child);
      let killed = false;
      let killTimer: NodeJS.Timeout | undefined;
      const killGroup = (sig: NodeJS.Signals) => {
        if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
        try {
          process.kill(-child.pid, sig);
        } catch {
          // Already gone.
        }
      };
      const onAbort = () => {
        killed = true;
        killGroup("SIGTERM");
        killTimer = setTimeout(() => killGroup("SIGKILL"), killGraceMs);
        killTimer.unref();
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });

      const pump = (
        stream: NodeJS.ReadableStream | null,
        sink: (chunk: Uint8Array) => void | Promise<void>,
      ) => {
        stream?.on("data", (chunk: Buffer) => {
          const pending = write(sink, chunk);
          stream.pause();
          pending.then(
            () => stream.resume(),
            () => stream.resume(),
          );
        });
      };
      pump(child.stdout, io.stdout);
      pump(child.stderr, io.stderr);

      if (io.stdin && child.stdin) {
        const stdin = child.stdin;
        stdin.on("error", () => {}); // EPIPE when the process exits before reading everything
        void (async () => {
          try {
            for await (const chunk of io.stdin as AsyncIterable<Uint8Array>) {
              if (!stdin.write(chunk)) await new Promise((r) => stdin.once("drain", r));
            }
          } catch {
            // The client went away; closing stdin is all that is left to do.
          }
          stdin.end();
        })();
      }

      let spawnError: NodeJS.ErrnoException | undefined;
      child.on("error", (err: NodeJS.ErrnoException) => {
        spawnError = err;
      });
      child.on("close", (code, sig) => {
        children.delete(child);
        signal.removeEventListener("abort", onAbort);
        if (killTimer) clearTimeout(killTimer);
        if (spawnError) {
          const exitCode = spawnError.code === "ENOENT" ? 127 : 126;
          const reason = spawnError.code === "ENOENT" ? "command not found" : spawnError.message;
          void write(
            io.stderr,
            encoder.encode(`quiesce local cluster (process runtime): ${file}: ${reason}\n`),
          ).then(() => resolve({ exitCode }));
          return;
        }
        if (code !== null) resolve({ exitCode: code });
        else resolve({ exitCode: killed && sig === "SIGKILL" ? KILLED_EXIT_CODE : 128 + signalNumber(sig) });
      });
    });

  const runScripted = (
    handler: Handler,
    container: ContainerInfo,
    argv: readonly string[],
    io: ExecIO | ProcessOutput,
    signal: AbortSignal,
  ) =>
    runHandler(
      handler,
      container,
      argv,
      io,
      volumes.podFiles(container.namespace, container.podUid, container.mounts),
      signal,
    );

  return {
    name: "process",
    podRoot,
    pvcDir,
    isolate(rule: IsolationRule) {
      rules.push(rule);
      return () => {
        const i = rules.indexOf(rule);
        if (i >= 0) rules.splice(i, 1);
      };
    },
    onExec: (match: HandlerMatch, handler: Handler) => execs.add(match, handler),
    onRun: (match: HandlerMatch, handler: Handler) => runs.add(match, handler),
    files: (namespace, podUid, mounts = []) => volumes.podFiles(namespace, podUid, mounts),
    claimFiles: (namespace, claim) => volumes.claimFiles(namespace, claim),
    volumeSnapshots: directorySnapshots(options.root, pvcDir, volumes),
    async startPod(pod: PodInfo) {
      const root = podRoot(pod.namespace, pod.pod, pod.podUid);
      await mkdir(root, { recursive: true });
      const containers = [...pod.containers, ...(pod.initContainers ?? [])];
      // One link per mount path; a path is checked before anything is written on the host.
      const mounts = new Map<string, (typeof containers)[number]["mounts"][number]>();
      for (const mount of containers.flatMap((c) => c.mounts)) {
        const rel = relative(root, inRoot(root, mount.mountPath, "mountPath"));
        if (rel !== "" && !mounts.has(rel)) mounts.set(rel, mount);
      }
      for (const rel of mounts.keys()) {
        const parent = [...mounts.keys()].find((other) => other !== rel && rel.startsWith(`${other}${sep}`));
        if (parent !== undefined) {
          throw new QuiesceError(
            ErrorCodes.VALIDATION,
            `the process runtime cannot mount /${rel} inside the mount /${parent}; use separate paths`,
          );
        }
      }
      for (const [rel, mount] of mounts) {
        const target = mount.claimName
          ? pvcDir(pod.namespace, mount.claimName)
          : volumeDir(pod.podUid, mount.name);
        await mkdir(target, { recursive: true });
        const link = join(root, rel);
        await mkdir(dirname(link), { recursive: true });
        const existing = await lstat(link).catch(() => undefined);
        if (existing?.isSymbolicLink()) await unlink(link);
        else if (existing) continue; // never replace a real file or directory
        await symlink(target, link, "dir");
      }
      // /tmp and /root of the container (unless a volume is mounted there), then its workingDir.
      for (const dir of POD_DIRECTORIES) await mkdir(join(root, dir), { recursive: true });
      for (const container of containers) {
        if (container.workingDir)
          await mkdir(inRoot(root, container.workingDir, "workingDir"), { recursive: true });
      }
    },
    run(container, output, signal) {
      const handler = runs.find(container, container.argv);
      if (handler) return runScripted(handler, container, container.argv, output, signal);
      if (container.argv.length === 0) return undefined;
      return spawnProcess(container, container.argv, output, signal);
    },
    exec(container, argv, io, signal) {
      const handler = execs.find(container, argv);
      if (handler) return runScripted(handler, container, argv, io, signal);
      return spawnProcess(container, argv, io, signal);
    },
    async stopPod(pod: PodInfo) {
      volumes.releasePod(
        pod.podUid,
        [...pod.containers, ...(pod.initContainers ?? [])].flatMap((c) => c.mounts),
      );
      // PVC directories stay, like the claims; the pod's root and its other volumes go.
      await rm(podRoot(pod.namespace, pod.pod, pod.podUid), { recursive: true, force: true });
      await rm(join(options.root, "volumes", pod.podUid), { recursive: true, force: true });
      // Mounts of isolated containers live only in their namespaces: on the host this is a plain directory.
      await rm(rootfsDir(pod.namespace, pod.pod, pod.podUid), { recursive: true, force: true });
    },
    close() {
      for (const child of children) {
        if (child.pid !== undefined) {
          try {
            process.kill(-child.pid, "SIGKILL");
          } catch {
            // Already gone.
          }
        }
      }
      children.clear();
    },
  };
}

/** `path` (a container path) inside the pod root; a path climbing out of it is refused. */
function inRoot(root: string, path: string, what: string): string {
  const resolved = resolve(root, `.${sep}${path.replace(/^\/+/, "")}`);
  if (resolved !== root && !resolved.startsWith(`${root}${sep}`)) {
    throw new QuiesceError(ErrorCodes.VALIDATION, `${what} "${path}" leaves the pod root`, {
      details: { path },
    });
  }
  return resolved;
}

const SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGPIPE: 13,
  SIGTERM: 15,
};

function signalNumber(sig: NodeJS.Signals | null): number {
  return (sig && SIGNALS[sig]) ?? 15;
}
