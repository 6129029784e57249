/** Flags shared by the commands, spelled as kubectl and velero spell them. */
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";

/** A command's argv parsed strictly (unknown flags are usage errors), positionals allowed. */
export function parseCommand<T extends ParseArgsOptionsConfig>(args: readonly string[], options: T) {
  return parseArgs({ args: [...args], allowPositionals: true, strict: true, options });
}

/** `-h`, `-o json|yaml` (`--json` is its alias) and `--import <module>`. */
export const COMMON_FLAGS = {
  help: { type: "boolean", short: "h" },
  output: { type: "string", short: "o" },
  json: { type: "boolean" },
  import: { type: "string", multiple: true },
} as const;

/** `-f/--filename` (repeatable; a file, a directory or `-`) and `-R/--recursive`, as `kubectl apply`. */
export const FILE_FLAGS = {
  filename: { type: "string", short: "f", multiple: true },
  recursive: { type: "boolean", short: "R" },
} as const;

/** `--kubeconfig`, `--context` and `-n/--namespace`, as kubectl. */
export const CLUSTER_FLAGS = {
  kubeconfig: { type: "string" },
  context: { type: "string" },
  namespace: { type: "string", short: "n" },
} as const;

/** File arguments: the positionals, then every `-f`. */
export function fileArguments(
  positionals: readonly string[],
  filenames: readonly string[] | undefined,
): string[] {
  return [...positionals, ...(filenames ?? [])];
}
