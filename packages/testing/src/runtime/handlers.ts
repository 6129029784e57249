/** Scripted handlers: what tests register to play a container's main process or an exec'd command. */
import type { PodFiles } from "./memory-files.js";
import type { ContainerInfo, ExecIO, ProcessExit, ProcessOutput } from "./types.js";

/**
 * Which containers/commands a handler answers. Every given field must match.
 * - `image`: a string matches the whole image, the image without its tag/digest, or its last path
 *   segment without tag (`"postgres"` matches `docker.io/library/postgres:16`); a RegExp is tested on the whole image.
 * - `pod`, `container`: the pod's / container's name (a string is compared exactly).
 * - `command`: a string must equal `argv.join(" ")`, a RegExp is tested on it, a function gets the argv.
 */
export interface HandlerMatch {
  image?: string | RegExp;
  container?: string;
  pod?: string | RegExp;
  namespace?: string;
  command?: string | RegExp | ((argv: readonly string[]) => boolean);
}

/** What a handler sees. */
export interface HandlerContext {
  namespace: string;
  pod: string;
  container: string;
  image: string;
  /** The command: exec's argv, or a main process's `command` + `args`. */
  argv: readonly string[];
  /** The container's environment from its spec. */
  env: Readonly<Record<string, string>>;
  /** Stdin of an exec session that asked for it. */
  stdin: AsyncIterable<Uint8Array> | undefined;
  /** Aborts when the client goes away, the exec times out or the pod is deleted. */
  signal: AbortSignal;
  /** Writes to stdout; await the returned promise to honour backpressure on large output. */
  stdout(chunk: string | Uint8Array): Promise<void>;
  stderr(chunk: string | Uint8Array): Promise<void>;
  /** The pod's in-memory files; paths under a PVC mount are shared by every pod mounting that claim. */
  files: PodFiles;
}

/** What a handler returns; strings are written after anything streamed. `exitCode` defaults to 0. */
export interface HandlerResult {
  stdout?: string | Uint8Array;
  stderr?: string | Uint8Array;
  exitCode?: number;
}

export type Handler = (ctx: HandlerContext) => HandlerResult | undefined | Promise<HandlerResult | undefined>;

interface Entry {
  match: HandlerMatch;
  handler: Handler;
}

const encoder = new TextEncoder();

function toBytes(chunk: string | Uint8Array): Uint8Array {
  return typeof chunk === "string" ? encoder.encode(chunk) : chunk;
}

/** True when `pattern` (see {@link HandlerMatch.image}) selects `image`. */
export function imageMatches(pattern: string | RegExp, image: string): boolean {
  if (typeof pattern !== "string") return pattern.test(image);
  if (pattern === image) return true;
  const withoutDigest = image.split("@")[0] ?? image;
  const lastColon = withoutDigest.lastIndexOf(":");
  const repo = lastColon > withoutDigest.lastIndexOf("/") ? withoutDigest.slice(0, lastColon) : withoutDigest;
  return pattern === repo || pattern === repo.slice(repo.lastIndexOf("/") + 1);
}

/** True when `match` selects this container and command. */
export function handlerMatches(
  match: HandlerMatch,
  container: ContainerInfo,
  argv: readonly string[],
): boolean {
  if (match.namespace !== undefined && match.namespace !== container.namespace) return false;
  if (match.container !== undefined && match.container !== container.container) return false;
  if (match.pod !== undefined) {
    if (typeof match.pod === "string" ? match.pod !== container.pod : !match.pod.test(container.pod))
      return false;
  }
  if (match.image !== undefined && !imageMatches(match.image, container.image)) return false;
  const command = match.command;
  if (command !== undefined) {
    if (typeof command === "function") return command(argv);
    const line = argv.join(" ");
    return typeof command === "string" ? command === line : command.test(line);
  }
  return true;
}

/** An ordered set of handlers; the most recently registered match wins, so a test can override. */
export class HandlerRegistry {
  readonly #entries: Entry[] = [];

  add(match: HandlerMatch, handler: Handler): () => void {
    const entry: Entry = { match, handler };
    this.#entries.push(entry);
    return () => {
      const i = this.#entries.indexOf(entry);
      if (i >= 0) this.#entries.splice(i, 1);
    };
  }

  find(container: ContainerInfo, argv: readonly string[]): Handler | undefined {
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const entry = this.#entries[i];
      if (entry && handlerMatches(entry.match, container, argv)) return entry.handler;
    }
    return undefined;
  }

  clear(): void {
    this.#entries.length = 0;
  }
}

/** Awaits a sink's result when it returned a promise (backpressure), without allocating otherwise. */
export function write(sink: (chunk: Uint8Array) => void | Promise<void>, chunk: Uint8Array): Promise<void> {
  const result = sink(chunk) as unknown;
  if (
    result !== null &&
    typeof result === "object" &&
    typeof (result as PromiseLike<void>).then === "function"
  ) {
    return Promise.resolve(result as PromiseLike<void>);
  }
  return Promise.resolve();
}

/** Exit code of a process killed by SIGKILL, as a shell reports it. */
export const KILLED_EXIT_CODE = 137;

/** Runs one handler to its end; a throwing handler exits 1 with the error on stderr. */
export async function runHandler(
  handler: Handler,
  container: ContainerInfo,
  argv: readonly string[],
  io: ExecIO | ProcessOutput,
  files: PodFiles,
  signal: AbortSignal,
): Promise<ProcessExit> {
  const ctx: HandlerContext = {
    namespace: container.namespace,
    pod: container.pod,
    container: container.container,
    image: container.image,
    argv,
    env: container.env,
    stdin: "stdin" in io ? io.stdin : undefined,
    signal,
    stdout: (chunk) => write(io.stdout, toBytes(chunk)),
    stderr: (chunk) => write(io.stderr, toBytes(chunk)),
    files,
  };
  try {
    const result = (await handler(ctx)) ?? {};
    if (signal.aborted) return { exitCode: KILLED_EXIT_CODE };
    if (result.stdout !== undefined) await ctx.stdout(result.stdout);
    if (result.stderr !== undefined) await ctx.stderr(result.stderr);
    return { exitCode: result.exitCode ?? 0 };
  } catch (err) {
    if (signal.aborted) return { exitCode: KILLED_EXIT_CODE };
    const message = err instanceof Error ? err.message : String(err);
    await ctx.stderr(`quiesce local cluster: handler for "${argv.join(" ")}" threw: ${message}\n`);
    return { exitCode: 1 };
  }
}
