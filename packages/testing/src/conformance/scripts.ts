/**
 * The commands the Cluster conformance suite runs, each with its real form (for busybox on a real
 * cluster) and its scripted emulation (for the local cluster's scripted runtime).
 */

/** What a scripted handler sees (a structural subset of the local runtime's handler context). */
export interface ScriptContext {
  argv: readonly string[];
  stdin: AsyncIterable<Uint8Array> | undefined;
  signal: AbortSignal;
  stdout(chunk: string | Uint8Array): Promise<void>;
  stderr(chunk: string | Uint8Array): Promise<void>;
}

/** What a scripted handler returns. */
export interface ScriptResult {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
}

/** The part of a scriptable runtime the suite uses (the local cluster's scripted runtime fits). */
export interface ScriptingRuntime {
  onExec(
    match: { command?: string; image?: string },
    handler: (ctx: ScriptContext) => ScriptResult | undefined | Promise<ScriptResult | undefined>,
  ): () => void;
  onRun(
    match: { command?: string; image?: string },
    handler: (ctx: ScriptContext) => ScriptResult | undefined | Promise<ScriptResult | undefined>,
  ): () => void;
}

type Script = (ctx: ScriptContext) => Promise<ScriptResult | undefined>;

/** A command of the suite: its argv and how the scripted runtime plays it. */
export interface SuiteCommand {
  argv: string[];
  script: Script;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });

/** Bytes `big` writes: 3,000,000 (more than the suite's capture limits). */
export const BIG_OUTPUT_BYTES = 3_000_000;

export const commands = {
  /** Prints to both streams and exits 3. */
  mixed: {
    argv: ["sh", "-c", "echo out; echo err >&2; exit 3"],
    script: async () => ({ stdout: "out\n", stderr: "err\n", exitCode: 3 }),
  },
  /** Exits 0 silently. */
  ok: { argv: ["true"], script: async () => ({ exitCode: 0 }) },
  /** Echoes stdin to stdout. */
  cat: {
    argv: ["cat"],
    script: async (ctx) => {
      for await (const chunk of ctx.stdin ?? []) await ctx.stdout(chunk);
      return { exitCode: 0 };
    },
  },
  /** Writes BIG_OUTPUT_BYTES of "abcdefghi\n" lines. */
  big: {
    argv: ["sh", "-c", `yes abcdefghi | head -c ${BIG_OUTPUT_BYTES}`],
    script: async (ctx) => {
      const line = "abcdefghi\n";
      const block = Buffer.from(line.repeat(6_553)); // 65,530 bytes, whole lines
      let left = BIG_OUTPUT_BYTES;
      while (left > 0) {
        const n = Math.min(left, block.length);
        await ctx.stdout(n === block.length ? block : block.subarray(0, n));
        left -= n;
      }
      return { exitCode: 0 };
    },
  },
  /** Runs for 30 s (longer than any timeout the suite gives it). */
  slow: {
    argv: ["sleep", "30"],
    script: async (ctx) => {
      await sleep(30_000, ctx.signal);
      return { exitCode: 0 };
    },
  },
  /** A task that logs and succeeds. */
  taskOk: {
    argv: ["sh", "-c", "echo hello from task"],
    script: async () => ({ stdout: "hello from task\n", exitCode: 0 }),
  },
  /** A task that logs and fails with 3. */
  taskFail: {
    argv: ["sh", "-c", "echo about to fail; exit 3"],
    script: async () => ({ stdout: "about to fail\n", exitCode: 3 }),
  },
} satisfies Record<string, SuiteCommand>;

/** Registers every suite command with a scripted runtime (exec and main process); returns an undo. */
export function scriptCommands(runtime: ScriptingRuntime): () => void {
  const undo: (() => void)[] = [];
  for (const c of Object.values(commands) as SuiteCommand[]) {
    undo.push(runtime.onExec({ command: c.argv.join(" ") }, c.script));
    undo.push(runtime.onRun({ command: c.argv.join(" ") }, c.script));
  }
  return () => {
    for (const u of undo) u();
  };
}
