/** The CLI's entry: parses argv, dispatches to a command, turns every failure into an exit code. */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { QuiesceError } from "@quiesce/core";
import { MAIN_HELP, RENDER_HELP, RUN_HELP, VALIDATE_HELP } from "./help.js";
import { type CliIO, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from "./io.js";
import { importPlugins } from "./plugins.js";
import { renderCommand } from "./render-command.js";
import { DEFAULT_RUN_TIMEOUT, runCommand } from "./run-command.js";
import { validateCommand } from "./validate-command.js";

/**
 * Runs the `quiesce` command line and resolves to its exit code; it never exits the process and
 * writes only to `io`.
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
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case "-h":
      case "--help":
      case "help":
        io.stdout.write(MAIN_HELP);
        return command === undefined ? EXIT_USAGE : EXIT_OK;
      case "-v":
      case "--version":
        io.stdout.write(`${version()}\n`);
        return EXIT_OK;
      case "validate":
        return await validate(rest, io);
      case "render":
        return await renderCmd(rest, io);
      case "run":
        return await run(rest, io);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError || isParseArgsError(err)) {
      io.stderr.write(
        `quiesce: ${(err as Error).message}\nRun "quiesce ${helpTarget(command)}--help" for usage.\n`,
      );
      return EXIT_USAGE;
    }
    const code = err instanceof QuiesceError ? ` [${err.code}]` : "";
    io.stderr.write(`quiesce: ${err instanceof Error ? err.message : String(err)}${code}\n`);
    return EXIT_FAILED;
  }
}

const COMMON = {
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
  import: { type: "string", multiple: true },
} as const;

async function validate(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: { ...COMMON, strict: { type: "boolean" }, "allow-missing-functions": { type: "boolean" } },
  });
  if (values.help) return help(VALIDATE_HELP, io);
  if (positionals.length === 0) throw new UsageError("validate needs at least one file");
  await importPlugins(values.import ?? [], io.cwd);
  return validateCommand(
    {
      files: positionals,
      json: values.json ?? false,
      strict: values.strict ?? false,
      allowMissingFunctions: values["allow-missing-functions"] ?? false,
    },
    io,
  );
}

async function renderCmd(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      ...COMMON,
      action: { type: "string" },
      params: { type: "string" },
      set: { type: "string", multiple: true },
      time: { type: "string" },
    },
  });
  if (values.help) return help(RENDER_HELP, io);
  const file = single(positionals, "render");
  if (!values.action) throw new UsageError("render needs --action <name>");
  await importPlugins(values.import ?? [], io.cwd);
  return renderCommand(
    {
      file,
      action: values.action,
      paramsFile: values.params,
      sets: values.set ?? [],
      time: values.time,
      json: values.json ?? false,
    },
    io,
  );
}

async function run(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      ...COMMON,
      action: { type: "string" },
      subject: { type: "string" },
      kubeconfig: { type: "string" },
      context: { type: "string" },
      timeout: { type: "string" },
      "phase-timeout": { type: "string" },
      option: { type: "string", multiple: true },
      secret: { type: "string", multiple: true },
      configmap: { type: "string", multiple: true },
      artifacts: { type: "string" },
      quiet: { type: "boolean", short: "q" },
    },
  });
  if (values.help) return help(RUN_HELP, io);
  const file = single(positionals, "run");
  if (!values.action) throw new UsageError("run needs --action <name>");
  if (!values.subject) throw new UsageError("run needs --subject <kind>/<namespace>/<name>");
  await importPlugins(values.import ?? [], io.cwd);
  return runCommand(
    {
      file,
      action: values.action,
      subject: values.subject,
      kubeconfig: values.kubeconfig,
      context: values.context,
      timeout: values.timeout ?? DEFAULT_RUN_TIMEOUT,
      phaseTimeout: values["phase-timeout"],
      options: values.option ?? [],
      secrets: values.secret ?? [],
      configMaps: values.configmap ?? [],
      artifactsFile: values.artifacts,
      json: values.json ?? false,
      quiet: values.quiet ?? false,
    },
    io,
  );
}

function help(text: string, io: CliIO): number {
  io.stdout.write(text);
  return EXIT_OK;
}

function single(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`${command} takes exactly one Blueprint file`);
  return positionals[0] as string;
}

function helpTarget(command: string | undefined): string {
  return command === "validate" || command === "render" || command === "run" ? `${command} ` : "";
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
