/** `quiesce validate <file|dir|-...>`: text, JSON or YAML report, exit 1 on any error. */
import { globalRegistry } from "@quiesce/functions";
import "@quiesce/functions/builtins";
import { splitDocuments } from "./documents.js";
import { COMMON_FLAGS, FILE_FLAGS, fileArguments, parseCommand } from "./flags.js";
import { readInputs } from "./inputs.js";
import { type CliIO, EXIT_FAILED, EXIT_OK, UsageError } from "./io.js";
import { type OutputFormat, outputFormat, writeStructured } from "./output.js";
import { importPlugins } from "./plugins.js";
import type { DocumentReport, Finding } from "./validate.js";
import { validateDocument } from "./validate.js";

/** Options of the validate command. */
export interface ValidateCommandOptions {
  /** Files, directories and `-` (stdin). */
  files: readonly string[];
  /** Descend into subdirectories. */
  recursive: boolean;
  output: OutputFormat;
  strict: boolean;
  allowMissingFunctions: boolean;
}

/** Runs the command; returns the exit code. */
export async function validateCommand(opts: ValidateCommandOptions, io: CliIO): Promise<number> {
  const reports: DocumentReport[] = [];
  for (const input of await readInputs(opts.files, io, { recursive: opts.recursive })) {
    const file = input.name;
    if (input.error) {
      reports.push({
        file,
        document: 0,
        status: "invalid",
        errors: [{ path: "", message: input.error.message, kind: "file" }],
        warnings: [],
      });
      continue;
    }
    const text = input.text;
    const docs = splitDocuments(file, text);
    if (docs.length === 0) {
      reports.push({
        file,
        document: 0,
        status: "invalid",
        errors: [{ path: "", message: "no YAML document in file", kind: "file" }],
        warnings: [],
      });
    }
    for (const doc of docs) {
      reports.push(
        validateDocument(doc, {
          registry: globalRegistry(),
          allowMissingFunctions: opts.allowMissingFunctions,
        }),
      );
    }
  }
  const errors = reports.reduce((n, r) => n + r.errors.length, 0);
  const warnings = reports.reduce((n, r) => n + r.warnings.length, 0);
  const ok = errors === 0 && (!opts.strict || warnings === 0);
  if (opts.output !== "text") {
    writeStructured(io, opts.output, {
      ok,
      summary: summaryCounts(reports, errors, warnings),
      documents: reports,
    });
  } else {
    io.stdout.write(formatReports(reports, errors, warnings));
  }
  return ok ? EXIT_OK : EXIT_FAILED;
}

function summaryCounts(reports: DocumentReport[], errors: number, warnings: number) {
  return {
    documents: reports.length,
    valid: reports.filter((r) => r.status === "valid").length,
    invalid: reports.filter((r) => r.status === "invalid").length,
    unsupported: reports.filter((r) => r.status === "unsupported").length,
    errors,
    warnings,
  };
}

/** The text report: one line per document, its errors, then its warnings, then a summary line. */
export function formatReports(reports: DocumentReport[], errors: number, warnings: number): string {
  const lines: string[] = [];
  for (const r of reports) {
    const what = r.kind ? `${r.kind}${r.name ? ` ${r.name}` : ""}` : "document";
    const where = r.document > 0 ? `${r.file}#${r.document}` : r.file;
    const verdict = r.status === "valid" ? "ok" : r.status === "invalid" ? "INVALID" : "skipped";
    lines.push(`${verdict.padEnd(7)} ${where}  ${what}`);
    for (const e of r.errors) lines.push(`  error    ${formatFinding(r, e)}`);
    for (const w of r.warnings) lines.push(`  warning  ${formatFinding(r, w)}`);
  }
  const s = summaryCounts(reports, errors, warnings);
  lines.push(
    "",
    `${s.documents} document(s): ${s.valid} valid, ${s.invalid} invalid, ${s.unsupported} unsupported; ` +
      `${errors} error(s), ${warnings} warning(s)`,
  );
  return `${lines.join("\n")}\n`;
}

/** `file#document:line[:column] path: message` — every finding names where it is; YAML errors show their excerpt. */
function formatFinding(r: DocumentReport, f: Finding): string {
  const position = f.line === undefined ? "" : `:${f.line}${f.column === undefined ? "" : `:${f.column}`}`;
  const where = `${r.file}${r.document > 0 ? `#${r.document}` : ""}${position}`;
  const path = f.path && f.path !== "(root)" ? `${f.path}: ` : "";
  const excerpt = f.excerpt
    ? `\n${f.excerpt
        .split("\n")
        .map((l) => `             ${l}`)
        .join("\n")}`
    : "";
  return `${where} ${path}${f.message}${excerpt}`;
}

/** `quiesce validate` from its argv. */
export async function validateCli(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    ...COMMON_FLAGS,
    ...FILE_FLAGS,
    strict: { type: "boolean" },
    "allow-missing-functions": { type: "boolean" },
  });
  const files = fileArguments(positionals, values.filename);
  if (files.length === 0) throw new UsageError("validate needs at least one file, directory or - (stdin)");
  const output = outputFormat(values);
  await importPlugins(values.import ?? [], io.cwd);
  return validateCommand(
    {
      files,
      recursive: values.recursive ?? false,
      output,
      strict: values.strict ?? false,
      allowMissingFunctions: values["allow-missing-functions"] ?? false,
    },
    io,
  );
}
