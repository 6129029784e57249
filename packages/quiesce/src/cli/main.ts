/**
 * The CLI's entry: dispatches to a command, turns every failure into one line and an exit code.
 * Commands are imported only when they run, so `--help` and `--version` answer without loading
 * the SDK.
 */
import { readFileSync } from "node:fs";
import { describeError } from "./describe-error.js";
import { HOOKS_HELP, MAIN_HELP, RECOVER_HELP, RENDER_HELP, RUN_HELP, VALIDATE_HELP } from "./help.js";
import { type CliIO, EXIT_FAILED, EXIT_OK, EXIT_USAGE, interruptedExitCode, UsageError } from "./io.js";

type CommandEntry = (args: readonly string[], io: CliIO) => Promise<number>;

const COMMANDS: Record<string, { help: string; load: () => Promise<CommandEntry> }> = {
  validate: { help: VALIDATE_HELP, load: async () => (await import("./validate-command.js")).validateCli },
  render: { help: RENDER_HELP, load: async () => (await import("./render-command.js")).renderCli },
  run: { help: RUN_HELP, load: async () => (await import("./run-command.js")).runCli },
  hooks: { help: HOOKS_HELP, load: async () => (await import("./hooks-command.js")).hooksCli },
  recover: { help: RECOVER_HELP, load: async () => (await import("./recover-command.js")).recoverCli },
};

/**
 * Runs the `quiesce` command line and resolves to its exit code; it never exits the process and
 * writes only to `io`. When `io.signal` aborts (Ctrl-C), the running command is cancelled, its
 * cleanup runs, and the code is 130 (143 for SIGTERM).
 *
 * @example
 * ```ts
 * const code = await main(["validate", "blueprint.yaml"], {
 *   stdout: process.stdout,
 *   stderr: process.stderr,
 *   cwd: process.cwd(),
 *   env: process.env,
 * });
 * ```
 */
export type { CliIO, TextSink } from "./io.js";

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  const entry = command === undefined ? undefined : COMMANDS[command];
  try {
    switch (command) {
      case undefined:
      case "-h":
      case "--help":
      case "help":
        io.stdout.write((command === "help" && rest[0] && COMMANDS[rest[0]]?.help) || MAIN_HELP);
        return command === undefined ? EXIT_USAGE : EXIT_OK;
      case "-v":
      case "--version":
      case "version":
        io.stdout.write(`${version()}\n`);
        return EXIT_OK;
      default:
        break;
    }
    if (!entry) throw new UsageError(`unknown command "${command}"`);
    if (rest.includes("-h") || rest.includes("--help")) {
      const end = rest.indexOf("--");
      const own = end < 0 ? rest : rest.slice(0, end);
      if (own.includes("-h") || own.includes("--help")) {
        io.stdout.write(entry.help);
        return EXIT_OK;
      }
    }
    const run = await entry.load();
    const onAbort = () => {
      const why = io.signal?.reason instanceof Error ? io.signal.reason.message : "interrupted";
      io.stderr.write(`quiesce: ${why}: cancelling and running cleanup (interrupt again to exit at once)\n`);
    };
    io.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const code = await run(rest, io);
      return io.signal?.aborted ? interruptedExitCode(io.signal.reason) : code;
    } finally {
      io.signal?.removeEventListener("abort", onAbort);
    }
  } catch (err) {
    if (err instanceof UsageError || isParseArgsError(err)) {
      const hint = entry ? `quiesce ${command} --help` : "quiesce --help";
      io.stderr.write(`quiesce: ${(err as Error).message}\nRun "${hint}" for usage.\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`quiesce: ${describeError(err)}\n`);
    return io.signal?.aborted ? interruptedExitCode(io.signal.reason) : EXIT_FAILED;
  }
}

function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}

/** The package's version, read from its package.json (the same relative place from src/ and dist/). */
export function version(): string {
  const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}
