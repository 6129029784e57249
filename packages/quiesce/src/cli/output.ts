/** `-o json|yaml` (and `--json`): how a command prints its result. */
import { stringify } from "yaml";
import { withoutApiDumps } from "./describe-error.js";
import { type CliIO, UsageError } from "./io.js";

/** `text` is each command's own human-readable form (the default). */
export type OutputFormat = "text" | "json" | "yaml";

/**
 * The format `-o/--output` asks for; `--json` is an alias of `-o json`. kubectl and velero spell
 * the structured formats `json` and `yaml`.
 */
export function outputFormat(values: {
  output?: string | undefined;
  json?: boolean | undefined;
}): OutputFormat {
  const o = values.output;
  if (o === undefined) return values.json ? "json" : "text";
  if (values.json && o !== "json") throw new UsageError(`--json contradicts --output ${o}`);
  if (o === "json" || o === "yaml") return o;
  throw new UsageError(`--output: unknown format "${o}" (allowed: json, yaml)`);
}

/**
 * Prints a result as JSON or YAML; Secret bytes print as text; a Kubernetes API error's cause says
 * what the server answered, without the HTTP dump (as the text output does).
 */
export function writeStructured(io: Pick<CliIO, "stdout">, format: "json" | "yaml", value: unknown): void {
  const plain: unknown = withoutApiDumps(JSON.parse(JSON.stringify(value, bytesAsText) ?? "null"));
  io.stdout.write(
    format === "json" ? `${JSON.stringify(plain, null, 2)}\n` : stringify(plain, { lineWidth: 0 }),
  );
}

/** JSON replacer: bytes (Secret data) print as text. */
export function bytesAsText(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? new TextDecoder().decode(value) : value;
}
